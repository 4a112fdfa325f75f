package mailer

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func render(t *testing.T, m *Message) parsed {
	t.Helper()
	data, err := Render(m, time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return parse(t, data)
}

func contentTypes(p parsed) []string {
	var out []string
	for _, part := range p.parts {
		out = append(out, part.contentType)
	}
	return out
}

func TestRenderAlternative(t *testing.T) {
	m := resetMessage()
	m.From = addr("noreply@example.fr")
	m.HTML = `<p><a href="https://courtier.example.fr/reset/abc123">Reset</a></p>`
	p := render(t, m)
	if got, _, _ := p.header.ContentType(); got != "multipart/alternative" {
		t.Errorf("got Content-Type %q, want multipart/alternative", got)
	}
	if got, want := contentTypes(p), []string{"text/plain", "text/html"}; !slices.Equal(got, want) {
		t.Errorf("got parts %v, want %v", got, want)
	}
	if got := string(p.parts[1].body); got != m.HTML {
		t.Errorf("got HTML %q, want %q", got, m.HTML)
	}

	m.Attachments = []Attachment{{Filename: "devis.pdf", Data: []byte("%PDF")}}
	p = render(t, m)
	if got, _, _ := p.header.ContentType(); got != "multipart/mixed" {
		t.Errorf("got Content-Type %q, want multipart/mixed", got)
	}
	if got, want := contentTypes(p), []string{"text/plain", "text/html", "application/octet-stream"}; !slices.Equal(got, want) {
		t.Errorf("got parts %v, want %v", got, want)
	}
}

func TestRenderHTMLOnly(t *testing.T) {
	p := render(t, &Message{From: addr("noreply@example.fr"), To: []Address{addr("a@client.fr")}, HTML: "<p>Bonjour</p>"})
	if got, want := contentTypes(p), []string{"text/html"}; !slices.Equal(got, want) {
		t.Errorf("got parts %v, want %v", got, want)
	}
}

func TestRenderThreading(t *testing.T) {
	m := resetMessage()
	m.From = addr("noreply@example.fr")
	m.MessageID = "reply-1@example.fr"
	m.InReplyTo = "<orig@provider.fr>"
	m.References = []string{"root@provider.fr", "<orig@provider.fr>"}
	m.ReplyTo = &Address{Name: "Service formation", Address: "formation@example.fr"}
	p := render(t, m)
	if got, _ := p.header.MessageID(); got != "reply-1@example.fr" {
		t.Errorf("got Message-ID %q, want %q", got, "reply-1@example.fr")
	}
	if got, _ := p.header.MsgIDList("In-Reply-To"); !slices.Equal(got, []string{"orig@provider.fr"}) {
		t.Errorf("got In-Reply-To %v, want [orig@provider.fr]", got)
	}
	if got, _ := p.header.MsgIDList("References"); !slices.Equal(got, []string{"root@provider.fr", "orig@provider.fr"}) {
		t.Errorf("got References %v, want [root@provider.fr orig@provider.fr]", got)
	}
	if got := p.header.Get("Reply-To"); got != `"Service formation" <formation@example.fr>` {
		t.Errorf("got Reply-To %q, want the service address", got)
	}
	if got := p.header.Get("Date"); got != "Sat, 01 Mar 2025 10:00:00 +0000" {
		t.Errorf("got Date %q, want the render time", got)
	}
}

func TestRenderErrors(t *testing.T) {
	if _, err := Render(&Message{To: []Address{addr("a@client.fr")}}, time.Now()); err == nil {
		t.Errorf("got no error without From, want one")
	}
	m := &Message{From: addr("a@example.fr"), To: []Address{addr("b@client.fr")}, Headers: map[string]string{"Bad Name": "x"}}
	if _, err := Render(m, time.Now()); err == nil || !strings.HasPrefix(err.Error(), "mailer: render: ") {
		t.Errorf("got %v, want a mailer: render: error for an invalid header name", err)
	}
	m = &Message{From: addr("a@example.fr"), To: []Address{addr("b@client.fr")}, Subject: "Hi\r\nBcc: victim@example.com"}
	data, err := Render(m, time.Now())
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if strings.Contains(string(data), "\r\nBcc:") {
		t.Errorf("got an injected header from the subject:\n%s", data)
	}
}
