package mailer

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	s := LogSender{Logger: slog.New(slog.NewTextHandler(&buf, nil))}
	id, err := s.Send(context.Background(), resetMessage())
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	out := buf.String()
	for _, want := range []string{"level=INFO", id, "alice@client.fr", "archive@courtier.fr", "Reset your password", "https://courtier.example.fr/reset/abc123"} {
		if !strings.Contains(out, want) {
			t.Errorf("got log %q, want it to contain %q", out, want)
		}
	}
	if _, err := s.Send(context.Background(), &Message{Subject: "no one"}); err == nil {
		t.Errorf("got no error without recipients, want one")
	}
}

// Compile-time checks that every Sender implementation satisfies the interface.
var (
	_ Sender = LogSender{}
	_ Sender = (*Recorder)(nil)
	_ Sender = (*SMTP)(nil)
)
