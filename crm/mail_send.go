package crm

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/mailer"
)

// Outgoing is an e-mail a module sends about records.
type Outgoing struct {
	To, Cc      []MailAddress
	Subject     string
	Text        string
	HTML        string
	Attachments []mailer.Attachment
	// InReplyTo is the Message-ID of the mail answered, if any.
	InReplyTo string
	Links     []Ref
}

// MailConfig is how Courtier sends: the one SMTP sender every module uses,
// the From address, and the broker's other own addresses.
type MailConfig struct {
	Sender mailer.Sender
	From   mailer.Address
	Own    []string
}

// Send sends the mail and writes it to the history. It gets its own
// Message-ID and a Reply-To carrying a token (crm+r<token>@domain), so that
// answers thread back to it even when the client's mail program drops the
// threading headers. Nothing is written when sending fails.
func (m *Mail) Send(ctx context.Context, out Outgoing) (StoredMail, error) {
	if m.cfg.Sender == nil || m.cfg.From.Address == "" {
		return StoredMail{}, fmt.Errorf("crm: no mail sender configured")
	}
	inv := &errs.Invalid{}
	if len(out.To) == 0 {
		inv.Add("to", "error.required")
	}
	for _, a := range append(out.To, out.Cc...) {
		if !validEmail(strings.ToLower(a.Email)) {
			inv.Add("to", "error.email_invalid")
		}
	}
	if strings.TrimSpace(out.Subject) == "" {
		inv.Add("subject", "error.required")
	}
	if err := inv.OrNil(); err != nil {
		return StoredMail{}, err
	}
	local, domain, _ := strings.Cut(m.cfg.From.Address, "@")
	domain = strings.ToLower(domain)
	token := newReplyToken()
	msg := &mailer.Message{
		From:      m.cfg.From,
		ReplyTo:   &mailer.Address{Name: m.cfg.From.Name, Address: local + "+r" + token + "@" + domain},
		Subject:   out.Subject,
		Text:      out.Text,
		HTML:      out.HTML,
		MessageID: mailer.NewMessageID(domain),
		InReplyTo: out.InReplyTo,
	}
	if out.InReplyTo != "" {
		msg.References = []string{out.InReplyTo}
	}
	msg.Attachments = out.Attachments
	for _, a := range out.To {
		msg.To = append(msg.To, mailer.Address{Name: a.Name, Address: strings.ToLower(a.Email)})
	}
	for _, a := range out.Cc {
		msg.Cc = append(msg.Cc, mailer.Address{Name: a.Name, Address: strings.ToLower(a.Email)})
	}
	id, err := m.cfg.Sender.Send(ctx, msg)
	if err != nil {
		return StoredMail{}, fmt.Errorf("crm: send mail %q: %w", out.Subject, err)
	}
	in := MailInput{Key: id, MessageID: id, Subject: out.Subject, SentAt: time.Now().UTC(), Text: out.Text,
		From: []MailAddress{{Name: m.cfg.From.Name, Email: strings.ToLower(m.cfg.From.Address)}},
		To:   lower(out.To), Cc: lower(out.Cc), InReplyTo: out.InReplyTo, References: msg.References,
		Outgoing: true, ReplyToken: token, Links: out.Links}
	for _, a := range out.Attachments {
		in.Attachments = append(in.Attachments, MailAttachment{Filename: a.Filename, ContentType: a.ContentType, Size: int64(len(a.Data))})
	}
	stored, err := m.Store(ctx, in)
	if err != nil {
		return stored, fmt.Errorf("crm: mail %s was sent but not written to the history: %w", id, err)
	}
	return stored, nil
}

func lower(list []MailAddress) []MailAddress {
	out := make([]MailAddress, len(list))
	for i, a := range list {
		out[i] = MailAddress{Name: a.Name, Email: strings.ToLower(strings.TrimSpace(a.Email))}
	}
	return out
}

// newReplyToken returns 10 random lower-case base-32 characters.
func newReplyToken() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
