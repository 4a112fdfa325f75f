package mailer

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

func newSMTP(t *testing.T, cfg SMTPConfig) *SMTP {
	t.Helper()
	s, err := NewSMTP(cfg)
	if err != nil {
		t.Fatalf("NewSMTP: %v", err)
	}
	return s
}

func resetMessage() *Message {
	return &Message{
		To:      []Address{{Name: "Alice Martin", Address: "alice@client.fr"}},
		Cc:      []Address{addr("manager@client.fr")},
		Bcc:     []Address{addr("archive@courtier.fr")},
		Subject: "Reset your password",
		Text:    "Open https://courtier.example.fr/reset/abc123 to choose a new password.",
		Headers: map[string]string{"X-Courtier-Ref": "user/42"},
	}
}

func TestSMTPPlainDelivery(t *testing.T) {
	be := &backend{}
	s := newSMTP(t, startServer(t, be, SecurityNone))

	id, err := s.Send(context.Background(), resetMessage())
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := onlyMessage(t, be)
	if got.from != "noreply@example.fr" {
		t.Errorf("got envelope from %q, want %q", got.from, "noreply@example.fr")
	}
	wantRcpts := []string{"alice@client.fr", "manager@client.fr", "archive@courtier.fr"}
	if !slices.Equal(got.rcpts, wantRcpts) {
		t.Errorf("got envelope rcpts %v, want %v", got.rcpts, wantRcpts)
	}
	if got.tls {
		t.Errorf("got TLS session, want plain")
	}
	if strings.Contains(string(got.data), "archive@courtier.fr") {
		t.Errorf("got Bcc address in DATA, want it absent:\n%s", got.data)
	}
	if !strings.Contains(string(got.data), "\r\n\r\n") || strings.Contains(strings.ReplaceAll(string(got.data), "\r\n", ""), "\n") {
		t.Errorf("got bare LF line endings, want CRLF")
	}

	p := parse(t, got.data)
	for field, want := range map[string]string{
		"From":           `"Courtier" <noreply@example.fr>`,
		"To":             `"Alice Martin" <alice@client.fr>`,
		"Cc":             "<manager@client.fr>",
		"Bcc":            "",
		"Subject":        "Reset your password",
		"X-Courtier-Ref": "user/42",
	} {
		if got := p.header.Get(field); got != want {
			t.Errorf("got %s %q, want %q", field, got, want)
		}
	}
	if date, err := p.header.Date(); err != nil || time.Since(date) > time.Minute {
		t.Errorf("got Date %v (%v), want about now", date, err)
	}
	if msgID, _ := p.header.MessageID(); msgID != id {
		t.Errorf("got Message-ID %q, want the returned %q", msgID, id)
	}
	if !strings.HasSuffix(id, "@example.fr") {
		t.Errorf("got Message-ID %q, want the From domain @example.fr", id)
	}
	if len(p.parts) != 1 || p.parts[0].contentType != "text/plain" || !strings.Contains(string(p.parts[0].body), "/reset/abc123") {
		t.Errorf("got parts %+v, want one text/plain part with the link", p.parts)
	}
}

func TestSMTPAuth(t *testing.T) {
	be := &backend{user: "courtier", pass: "s3cret"}
	cfg := startServer(t, be, SecurityNone)

	cfg.Username, cfg.Password = "courtier", "s3cret"
	if _, err := newSMTP(t, cfg).Send(context.Background(), resetMessage()); err != nil {
		t.Fatalf("Send with right credentials: %v", err)
	}

	cfg.Password = "wrong"
	_, err := newSMTP(t, cfg).Send(context.Background(), resetMessage())
	if err == nil || !strings.HasPrefix(err.Error(), "mailer: auth: ") {
		t.Errorf("got error %v, want a mailer: auth: error", err)
	}
	var smtpErr *smtp.SMTPError
	if !errors.As(err, &smtpErr) || smtpErr.Code != 535 {
		t.Errorf("got %v, want SMTP code 535", err)
	}
	if n := len(be.messages()); n != 1 {
		t.Errorf("got %d delivered messages, want 1", n)
	}
}

func TestSMTPStartTLS(t *testing.T) {
	be := &backend{user: "courtier", pass: "s3cret"}
	cfg := startServer(t, be, SecuritySTARTTLS)
	cfg.Username, cfg.Password = "courtier", "s3cret"

	if _, err := newSMTP(t, cfg).Send(context.Background(), resetMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := onlyMessage(t, be); !got.tls {
		t.Errorf("got plain session, want TLS after STARTTLS")
	}

	cfg.InsecureSkipVerify = false
	_, err := newSMTP(t, cfg).Send(context.Background(), resetMessage())
	if err == nil || !strings.HasPrefix(err.Error(), "mailer: starttls: ") {
		t.Errorf("got error %v, want a mailer: starttls: error for an untrusted certificate", err)
	}
}

func TestSMTPStartTLSUnsupported(t *testing.T) {
	cfg := startServer(t, &backend{}, SecurityNone)
	cfg.Security = SecuritySTARTTLS
	_, err := newSMTP(t, cfg).Send(context.Background(), resetMessage())
	if err == nil || !strings.HasPrefix(err.Error(), "mailer: starttls: ") {
		t.Errorf("got error %v, want a mailer: starttls: error", err)
	}
}

func TestSMTPImplicitTLS(t *testing.T) {
	be := &backend{}
	if _, err := newSMTP(t, startServer(t, be, SecurityTLS)).Send(context.Background(), resetMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := onlyMessage(t, be); !got.tls {
		t.Errorf("got plain session, want implicit TLS")
	}
}

func TestSMTPNonASCII(t *testing.T) {
	be := &backend{}
	s := newSMTP(t, startServer(t, be, SecurityNone))
	subject := "Convocation – formation Sécurité incendie à Lyon"
	body := "Bonjour Hélène,\n\nMontant : 1 250,00 €\n"
	m := &Message{
		From:    Address{Name: "Société Formation Réunie", Address: "contact@formation.fr"},
		To:      []Address{{Name: "Hélène Dupré", Address: "helene@client.fr"}},
		Subject: subject,
		Text:    body,
		Attachments: []Attachment{{
			Filename:    "Attestation-Hélène.pdf",
			ContentType: "application/pdf",
			Data:        []byte("%PDF-1.4\r\n.\r\n\x00\xff binary"),
		}},
	}
	if _, err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := onlyMessage(t, be)
	for i, b := range got.data {
		if b > 127 {
			t.Fatalf("got non-ASCII byte %#x at %d in DATA, want 7-bit encodings", b, i)
		}
	}
	p := parse(t, got.data)
	if gotSubject, err := p.header.Subject(); gotSubject != subject || err != nil {
		t.Errorf("got subject %q (%v), want %q", gotSubject, err, subject)
	}
	from, err := p.header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Société Formation Réunie" {
		t.Errorf("got From %v (%v), want display name %q", from, err, "Société Formation Réunie")
	}
	to, err := p.header.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Name != "Hélène Dupré" {
		t.Errorf("got To %v (%v), want display name %q", to, err, "Hélène Dupré")
	}
	if len(p.parts) != 2 {
		t.Fatalf("got %d parts, want text and attachment", len(p.parts))
	}
	if got, want := string(p.parts[0].body), strings.ReplaceAll(body, "\n", "\r\n"); got != want {
		t.Errorf("got body %q, want %q", got, want)
	}
	att := p.parts[1]
	if att.filename != "Attestation-Hélène.pdf" || att.contentType != "application/pdf" {
		t.Errorf("got attachment %q (%s), want %q (application/pdf)", att.filename, att.contentType, "Attestation-Hélène.pdf")
	}
	if string(att.body) != string(m.Attachments[0].Data) {
		t.Errorf("got attachment bytes %q, want %q", att.body, m.Attachments[0].Data)
	}
}

func TestSMTPMessageIDs(t *testing.T) {
	be := &backend{}
	s := newSMTP(t, startServer(t, be, SecurityNone))
	m := resetMessage()
	id1, err1 := s.Send(context.Background(), m)
	id2, err2 := s.Send(context.Background(), m)
	if err1 != nil || err2 != nil {
		t.Fatalf("Send: %v, %v", err1, err2)
	}
	if id1 == id2 {
		t.Errorf("got the same Message-ID %q twice, want unique ids", id1)
	}
	if m.MessageID != "" || m.From.Address != "" {
		t.Errorf("got caller's message changed to id %q from %q, want it untouched", m.MessageID, m.From.Address)
	}
	msgs := be.messages()
	for i, want := range []string{id1, id2} {
		h := parse(t, msgs[i].data).header
		if got, _ := h.MessageID(); got != want {
			t.Errorf("got Message-ID %q, want %q", got, want)
		}
	}

	m.MessageID = "<fixed@courtier.fr>"
	if id, err := s.Send(context.Background(), m); id != "fixed@courtier.fr" || err != nil {
		t.Errorf("got id %q (%v), want the caller's %q", id, err, "fixed@courtier.fr")
	}
}

func TestSMTPRecipientRefused(t *testing.T) {
	be := &backend{reject: "manager@client.fr"}
	_, err := newSMTP(t, startServer(t, be, SecurityNone)).Send(context.Background(), resetMessage())
	if err == nil || !strings.HasPrefix(err.Error(), "mailer: rcpt <manager@client.fr>: ") {
		t.Errorf("got error %v, want one naming rcpt <manager@client.fr>", err)
	}
	var smtpErr *smtp.SMTPError
	if !errors.As(err, &smtpErr) || smtpErr.Code != 550 {
		t.Errorf("got %v, want SMTP code 550", err)
	}
	if n := len(be.messages()); n != 0 {
		t.Errorf("got %d delivered messages, want 0", n)
	}
}

func TestSMTPContext(t *testing.T) {
	t.Run("cancelled before send", func(t *testing.T) {
		s := newSMTP(t, startServer(t, &backend{}, SecurityNone))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := s.Send(ctx, resetMessage()); !errors.Is(err, context.Canceled) {
			t.Errorf("got %v, want context.Canceled", err)
		}
	})
	t.Run("cancelled while the server is silent", func(t *testing.T) {
		s := newSMTP(t, startSilentServer(t))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := s.Send(ctx, resetMessage())
		if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "mailer: hello: ") {
			t.Errorf("got %v, want a mailer: hello: error wrapping context.Canceled", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("got Send returning after %v, want soon after cancel", d)
		}
	})
	t.Run("config timeout", func(t *testing.T) {
		cfg := startSilentServer(t)
		cfg.Timeout = 50 * time.Millisecond
		if _, err := newSMTP(t, cfg).Send(context.Background(), resetMessage()); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestSMTPMessageErrors(t *testing.T) {
	cfg := startServer(t, &backend{}, SecurityNone)
	cfg.From = ""
	s := newSMTP(t, cfg)
	if _, err := s.Send(context.Background(), resetMessage()); err == nil {
		t.Errorf("got no error for a message without From and no default sender, want one")
	}
	if _, err := s.Send(context.Background(), &Message{From: addr("a@b.fr"), Subject: "x"}); err == nil {
		t.Errorf("got no error for a message without recipients, want one")
	}
}

func TestNewSMTP(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     SMTPConfig
		wantErr string // empty: valid
		port    int
	}{
		{"missing host", SMTPConfig{Port: 25}, "mailer: smtp host is required", 0},
		{"negative port", SMTPConfig{Host: "smtp.example.fr", Port: -1}, "mailer: invalid smtp port -1", 0},
		{"port too large", SMTPConfig{Host: "smtp.example.fr", Port: 70000}, "mailer: invalid smtp port 70000", 0},
		{"unknown security", SMTPConfig{Host: "smtp.example.fr", Security: "ssl"}, `mailer: unknown smtp security mode "ssl"`, 0},
		{"bad from", SMTPConfig{Host: "smtp.example.fr", From: "not an address"}, "mailer: invalid smtp from address", 0},
		{"negative timeout", SMTPConfig{Host: "smtp.example.fr", Timeout: -time.Second}, "mailer: negative smtp timeout", 0},
		{"starttls default port", SMTPConfig{Host: "smtp.example.fr"}, "", 587},
		{"tls default port", SMTPConfig{Host: "smtp.example.fr", Security: "tls"}, "", 465},
		{"none default port", SMTPConfig{Host: "smtp.example.fr", Security: "none"}, "", 25},
		{"explicit port", SMTPConfig{Host: "smtp.example.fr", Port: 2525, From: "Courtier <noreply@example.fr>"}, "", 2525},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewSMTP(tc.cfg)
			if tc.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
					t.Errorf("got error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if s.cfg.Port != tc.port {
				t.Errorf("got port %d, want %d", s.cfg.Port, tc.port)
			}
		})
	}
}

func TestNewMessageID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-f]{32}@example\.fr$`)
	a, b := NewMessageID("example.fr"), NewMessageID("example.fr")
	if !re.MatchString(a) || a == b {
		t.Errorf("got %q and %q, want two distinct <32 hex>@example.fr", a, b)
	}
	if got := NewMessageID(""); !strings.HasSuffix(got, "@localhost") {
		t.Errorf("got %q, want a @localhost fallback", got)
	}
}
