package mailer

import (
	"context"
	"log/slog"
	"strings"
)

// Sender delivers a Message and returns the Message-ID actually used, without angle brackets.
// Implementations leave m untouched: the default From and the generated Message-ID go on a copy.
type Sender interface {
	Send(ctx context.Context, m *Message) (messageID string, err error)
}

// LogSender is the demo-mode Sender used when no SMTP host is configured: it
// only logs the message, text body included, so that links such as password
// resets can be followed from the console.
type LogSender struct {
	Logger *slog.Logger // slog.Default() when nil
}

// Send logs m at Info level and returns its Message-ID.
func (s LogSender) Send(ctx context.Context, m *Message) (string, error) {
	msg, err := prepare(m, Address{})
	if err != nil {
		return "", err
	}
	body := msg.Text
	if body == "" {
		body = msg.HTML // still the only place a demo user can find the link
	}
	logger := s.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.InfoContext(ctx, "mailer: e-mail logged, not sent (no SMTP host configured)",
		"message_id", msg.MessageID,
		"from", msg.From.Address,
		"to", join(msg.To),
		"cc", join(msg.Cc),
		"bcc", join(msg.Bcc),
		"subject", msg.Subject,
		"attachments", len(msg.Attachments),
		"text", body,
	)
	return msg.MessageID, nil
}

func join(list []Address) string {
	s := make([]string, len(list))
	for i, a := range list {
		s[i] = a.Address
	}
	return strings.Join(s, ", ")
}
