package eml

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/courtier-crm/courtier/crm/mailsync/mailcorpus"
)

// memSink stores attachments in memory, for tests.
type memSink struct {
	files map[string][]byte
}

func (s *memSink) sink(r io.Reader) (string, int64, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return "", 0, err
	}
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:])
	if s.files == nil {
		s.files = map[string][]byte{}
	}
	s.files[key] = data
	return key, int64(len(data)), nil
}

func parseFixture(t *testing.T, name string) *Message {
	t.Helper()
	for _, f := range mailcorpus.Fixtures() {
		if f.Name == name {
			m, err := Parse(bytes.NewReader(f.Raw), nil)
			if err != nil {
				t.Fatalf("parse %s: %v", name, err)
			}
			return m
		}
	}
	t.Fatalf("no fixture %s", name)
	return nil
}

// TestParseFixtures checks every fixture's Want, and that a message
// without expected problems is parsed without any.
func TestParseFixtures(t *testing.T) {
	for _, f := range mailcorpus.Fixtures() {
		t.Run(f.Name, func(t *testing.T) {
			var sink memSink
			m, err := Parse(bytes.NewReader(f.Raw), sink.sink)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			w := f.Want
			if m.MessageID != w.MessageID {
				t.Errorf("MessageID = %q, want %q", m.MessageID, w.MessageID)
			}
			if w.Subject != "" && m.Subject != w.Subject {
				t.Errorf("Subject = %q, want %q", m.Subject, w.Subject)
			}
			if m.Broken != w.Broken {
				t.Errorf("Broken = %v, want %v", m.Broken, w.Broken)
			}
			for _, s := range w.TextContains {
				if !strings.Contains(m.Text, s) {
					t.Errorf("Text lacks %q; Text:\n%s", s, m.Text)
				}
			}
			for _, s := range w.HTMLContains {
				if !strings.Contains(m.HTML, s) {
					t.Errorf("HTML lacks %q; HTML:\n%s", s, m.HTML)
				}
			}
			for _, s := range w.HTMLNotContains {
				if strings.Contains(m.HTML, s) {
					t.Errorf("HTML contains %q; HTML:\n%s", s, m.HTML)
				}
			}
			var names []string
			for _, a := range m.Attachments {
				names = append(names, a.Filename)
				if data, ok := sink.files[a.SHA256]; !ok || int64(len(data)) != a.Size {
					t.Errorf("attachment %q: sink has no %d bytes under %s", a.Filename, a.Size, a.SHA256)
				}
			}
			if !slices.Equal(names, w.Attachments) {
				t.Errorf("Attachments = %q, want %q", names, w.Attachments)
			}
			if w.From != "" && (len(m.From) == 0 || m.From[0].Email != w.From) {
				t.Errorf("From = %v, want %s", m.From, w.From)
			}
			if w.Participants != nil {
				var got []string
				for _, a := range slices.Concat(m.From, m.To, m.Cc) {
					if !slices.Contains(got, a.Email) {
						got = append(got, a.Email)
					}
				}
				want := slices.Clone(w.Participants)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("participants = %q, want %q", got, want)
				}
			}
			if w.InReplyTo != "" && (len(m.InReplyTo) == 0 || m.InReplyTo[0] != w.InReplyTo) {
				t.Errorf("InReplyTo = %q, want %q", m.InReplyTo, w.InReplyTo)
			}
			for _, s := range w.ProblemContains {
				if !slices.ContainsFunc(m.Problems, func(p string) bool { return strings.Contains(p, s) }) {
					t.Errorf("no problem mentions %q; problems: %q", s, m.Problems)
				}
			}
			if len(w.ProblemContains) == 0 && !w.Broken && len(m.Problems) > 0 {
				t.Errorf("unexpected problems: %q", m.Problems)
			}
			checkInvariants(t, m)
		})
	}
}

// checkInvariants holds for every parsed message, whatever the input.
func checkInvariants(t *testing.T, m *Message) {
	t.Helper()
	if !strings.HasPrefix(m.ContentKey, "sha256:") || len(m.ContentKey) != 7+64 {
		t.Errorf("ContentKey = %q", m.ContentKey)
	}
	if len(m.Text) > MaxText {
		t.Errorf("Text is %d bytes, over %d", len(m.Text), MaxText)
	}
	for name, s := range map[string]string{"Text": m.Text, "HTML": m.HTML, "Subject": m.Subject} {
		if !utf8.ValidString(s) {
			t.Errorf("%s is not valid UTF-8", name)
		}
		if strings.ContainsRune(s, 0) {
			t.Errorf("%s contains NUL", name)
		}
	}
	if strings.Contains(m.Text, "\r") {
		t.Errorf("Text contains CR")
	}
	for _, a := range m.Attachments {
		if a.Filename == "" || strings.ContainsAny(a.Filename, "/\\\x00") || !utf8.ValidString(a.Filename) {
			t.Errorf("unsafe attachment name %q", a.Filename)
		}
	}
	if !m.Date.IsZero() && m.Date.Location().String() != "UTC" {
		t.Errorf("Date %v not in UTC", m.Date)
	}
}

// TestContentKey checks that the key survives delivery to two folders and
// tells apart messages without Message-ID.
func TestContentKey(t *testing.T) {
	inbox := parseFixture(t, "duplicate-id-inbox-copy")
	archive := parseFixture(t, "duplicate-id-archive-folder-copy")
	if inbox.ContentKey != archive.ContentKey {
		t.Errorf("copies of one message: keys %s and %s differ", inbox.ContentKey, archive.ContentKey)
	}
	first := parseFixture(t, "no-message-id-first")
	second := parseFixture(t, "no-message-id-second")
	if first.ContentKey == second.ContentKey {
		t.Errorf("two messages without Message-ID share key %s", first.ContentKey)
	}
	for _, f := range mailcorpus.Fixtures() {
		if f.Name != "no-message-id-first" {
			continue
		}
		delivered := append([]byte("Received: from mx.example (mx.example [192.0.2.1])\r\n\tby mail.courtier.test; Mon, 16 Mar 2026 09:00:05 +0100\r\nDelivered-To: other@courtier.test\r\n"), f.Raw...)
		m, err := Parse(bytes.NewReader(delivered), nil)
		if err != nil {
			t.Fatal(err)
		}
		if m.ContentKey != first.ContentKey {
			t.Errorf("trace fields changed the key of a message without Message-ID")
		}
	}
	// Keys are plain functions of the fields.
	a := &Message{Subject: "x", To: []Address{{Email: "b@x"}}, Cc: []Address{{Email: "a@x"}}}
	b := &Message{Subject: "x", To: []Address{{Email: "a@x"}}, Cc: []Address{{Email: "b@x"}}}
	if ContentKey(a) != ContentKey(b) {
		t.Errorf("recipient order changed the key")
	}
	c := &Message{Subject: "xy"}
	d := &Message{Subject: "x", Text: "y"}
	if ContentKey(c) == ContentKey(d) {
		t.Errorf("moving text between fields kept the key")
	}
}

func TestNormalizeID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<Abc.123@Example.COM>", "Abc.123@example.com"},
		{"  <abc@x.fr>  ", "abc@x.fr"},
		{"abc@X.FR", "abc@x.fr"},
		{"<a@b@C>", "a@b@c"},
		{"<abc@x.fr> (comment)", "abc@x.fr"},
		{"<abc@x.fr", "abc@x.fr"},
		{"", ""},
		{"<>", ""},
		{"<none>", ""},
		{"<@x.fr>", ""},
		{"<abc@>", ""},
		{"<a b@x.fr>", ""},
		{"<a\x01b@x.fr>", ""},
		{"<\xffabc@x.fr>", ""},
		{"<" + strings.Repeat("a", 1000) + "@x.fr>", ""},
	}
	for _, tt := range tests {
		if got := NormalizeID(tt.in); got != tt.want {
			t.Errorf("NormalizeID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseIDs(t *testing.T) {
	tests := []struct {
		in   []string
		want []string
	}{
		{[]string{"<a@X> <b@y>"}, []string{"a@x", "b@y"}},
		{[]string{"<a@x>\t<b@y> <a@X>"}, []string{"a@x", "b@y"}},
		{[]string{"<a@x>", "<c@z>"}, []string{"a@x", "c@z"}},
		{[]string{"a@x, b@y"}, []string{"a@x", "b@y"}},
		{[]string{"Message de Marie du 3 mars <a@x>"}, []string{"a@x"}},
		{[]string{"<none> <b@y>"}, []string{"b@y"}},
		{[]string{""}, nil},
	}
	for _, tt := range tests {
		if got := parseIDs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("parseIDs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// failingReader returns data then an error, like a dropped connection.
type failingReader struct {
	data []byte
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, errors.New("connection reset")
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// TestParseErrors checks that only read and sink failures are errors.
func TestParseErrors(t *testing.T) {
	raw := mailcorpus.Fixtures()[0].Raw
	if _, err := Parse(&failingReader{data: raw[:100]}, nil); err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("read failure: err = %v", err)
	}
	var withAttachment []byte
	for _, f := range mailcorpus.Fixtures() {
		if len(f.Want.Attachments) > 0 {
			withAttachment = f.Raw
			break
		}
	}
	sinkErr := errors.New("disk full")
	_, err := Parse(bytes.NewReader(withAttachment), func(io.Reader) (string, int64, error) { return "", 0, sinkErr })
	if !errors.Is(err, sinkErr) || !strings.HasPrefix(err.Error(), "eml: ") {
		t.Errorf("sink failure: err = %v", err)
	}
	// A sink that stops reading early does not break the parse.
	m, err := Parse(bytes.NewReader(withAttachment), func(r io.Reader) (string, int64, error) {
		io.CopyN(io.Discard, r, 10)
		return "partial", 10, nil
	})
	if err != nil || len(m.Attachments) == 0 || m.Text == "" {
		t.Errorf("early-stopping sink: m = %+v, err = %v", m, err)
	}
}

// TestParseSmall covers inputs too small or odd for a fixture.
func TestParseSmall(t *testing.T) {
	tests := []struct {
		name, raw string
		broken    bool
		text      string
		problem   string
	}{
		{"empty", "", true, "", "empty message"},
		{"header only, no newline", "Subject: x", false, "", ""},
		{"header only", "Subject: x\r\n", false, "", ""},
		{"LF line endings", "Subject: x\nFrom: a@b\n\nbody\n", false, "body", ""},
		{"mbox From line", "From a@b Mon Mar  2 10:00:00 2026\nSubject: x\n\nbody\n", false, "body", ""},
		{"missing blank line", "Subject: x\nthis is body\n", false, "this is body", "start of the body"},
		{"leading fold", " folded\nSubject: x\n\nbody\n", true, "folded", "no header found"},
		{"multipart without boundary", "Content-Type: multipart/mixed\n\nhello\n", false, "hello", "boundary parameter missing"},
		{"invalid content type", "Content-Type: texte\n\nhello\n", false, "hello", "invalid"},
		{"unknown transfer encoding", "Content-Transfer-Encoding: x-uue\n\nhello\n", false, "hello", "unknown transfer encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(strings.NewReader(tt.raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.Broken != tt.broken {
				t.Errorf("Broken = %v, want %v", m.Broken, tt.broken)
			}
			if !strings.Contains(m.Text, tt.text) {
				t.Errorf("Text = %q, want %q in it", m.Text, tt.text)
			}
			if tt.problem != "" && !slices.ContainsFunc(m.Problems, func(p string) bool { return strings.Contains(p, tt.problem) }) {
				t.Errorf("Problems = %q, want one with %q", m.Problems, tt.problem)
			}
			checkInvariants(t, m)
		})
	}
}
