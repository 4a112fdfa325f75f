package eml

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestMultipartReader(t *testing.T) {
	long := strings.Repeat("x", 3*multipartBufSize+17)
	tests := []struct {
		name, body   string
		parts        []string
		neverFound   bool
		missingClose bool
	}{
		{"simple", "pre\r\n--b\r\none\r\n--b\r\ntwo\r\n--b--\r\nepilogue\r\n", []string{"one", "two"}, false, false},
		{"LF only", "--b\none\n--b\ntwo\n--b--\n", []string{"one", "two"}, false, false},
		{"line endings inside kept", "--b\r\na\r\n\r\nb\r\n\r\n--b--", []string{"a\r\n\r\nb\r\n"}, false, false},
		{"padded delimiter", "--b  \t\r\none\r\n--b--  \r\n", []string{"one"}, false, false},
		{"longer boundary is content", "--b\r\n--bc\r\n--b--\r\n", []string{"--bc"}, false, false},
		{"delimiter not at line start", "--b\r\nx--b\r\n--b--", []string{"x--b"}, false, false},
		{"close with trailing junk", "--b\r\none\r\n--b--junk\r\nmore", []string{"one"}, false, false},
		{"empty part", "--b\r\n--b\r\ntwo\r\n--b--", []string{"", "two"}, false, false},
		{"no parts", "--b--\r\n", nil, false, false},
		{"line longer than the buffer", "--b\r\n" + long + "\r\n--b--", []string{long}, false, false},
		{"missing close", "--b\r\none\r\n--b\r\ntwo\r\n", []string{"one", "two\r\n"}, false, true},
		{"truncated mid-line", "--b\r\none\r\n--b\r\ntw", []string{"one", "tw"}, false, true},
		{"never found", "just text\r\n", nil, true, false},
		{"empty body", "", nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, chunk := range []int{1, 7, 1 << 20} {
				mr := newMultipartReader(&chunkReader{data: tt.body, n: chunk}, "b")
				var parts []string
				for {
					part := mr.next(MaxText)
					if part == nil {
						break
					}
					parts = append(parts, string(readCapped(part, 1<<20, make([]byte, 512))))
				}
				if !slices.Equal(parts, tt.parts) {
					t.Errorf("chunks of %d: parts = %q, want %q", chunk, parts, tt.parts)
				}
				if mr.neverFound != tt.neverFound || mr.missingClose != tt.missingClose {
					t.Errorf("chunks of %d: neverFound=%v missingClose=%v, want %v %v", chunk, mr.neverFound, mr.missingClose, tt.neverFound, tt.missingClose)
				}
			}
		})
	}
}

// TestParseStructure covers MIME trees the fixtures do not.
func TestParseStructure(t *testing.T) {
	tests := []struct {
		name, raw   string
		text, html  string
		attachments []string
		problem     string
	}{
		{
			name: "alternative prefers plain for Text and HTML for HTML",
			raw:  "Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\nplain\n--a\nContent-Type: text/html\n\n<p>html</p>\n--a--\n",
			text: "plain", html: "<p>html</p>",
		},
		{
			name: "alternative with HTML first keeps both",
			raw:  "Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/html\n\n<p>html</p>\n--a\nContent-Type: text/plain\n\nplain\n--a--\n",
			text: "plain", html: "<p>html</p>",
		},
		{
			name: "HTML only: text derived",
			raw:  "Content-Type: text/html\n\n<div>Bonjour<br>Marie &amp; Paul</div><ul><li>un</li><li>deux</li></ul>\n",
			text: "Bonjour\nMarie & Paul\n\n- un\n- deux", html: "<div>Bonjour<br>Marie &amp; Paul</div><ul><li>un</li><li>deux</li></ul>",
		},
		{
			name: "mixed with text pieces around an image",
			raw:  "Content-Type: multipart/mixed; boundary=m\n\n--m\n\nfirst\n--m\nContent-Type: image/jpeg\n\nJPEG\n--m\nContent-Type: text/plain\n\nsecond\n--m--\n",
			text: "first\nsecond", attachments: []string{"attachment-1.jpg"},
		},
		{
			name: "text with a filename is an attachment",
			raw:  "Content-Type: multipart/mixed; boundary=m\n\n--m\n\nbody\n--m\nContent-Type: text/plain; name=notes.txt\n\nnotes\n--m\nContent-Type: text/html\nContent-Disposition: attachment\n\n<p>page</p>\n--m--\n",
			text: "body", attachments: []string{"notes.txt", "attachment-2.html"},
		},
		{
			name: "calendar in alternative is an attachment",
			raw:  "Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\ninvitation\n--a\nContent-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\n--a--\n",
			text: "invitation", attachments: []string{"attachment-1.ics"},
		},
		{
			name: "nested missing closing boundary",
			raw:  "Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: multipart/alternative; boundary=inner\n\n--inner\nContent-Type: text/plain\n\ninner text\n--outer\nContent-Type: application/pdf\n\nPDF\n--outer--\n",
			text: "inner text", attachments: []string{"attachment-1.pdf"}, problem: "closing boundary missing",
		},
		{
			name: "multipart base64-encoded as a whole",
			raw:  "Content-Type: multipart/mixed; boundary=m\nContent-Transfer-Encoding: base64\n\nLS1tDQoNCmhlbGxvDQotLW0tLQ0K\n",
			text: "hello",
		},
		{
			name: "part without header",
			raw:  "Content-Type: multipart/mixed; boundary=m\n\n--m\njust text, no header\n--m--\n",
			text: "just text, no header", problem: "part without header",
		},
		{
			name:        "too deep",
			raw:         nested(maxDepth+1) + "\ndeep\n",
			attachments: []string{"attachment-1.bin"}, problem: "nested too deep",
		},
		{
			name:        "attached message without subject",
			raw:         "Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: message/rfc822\n\nFrom: a@b\n\nhi\n--m--\n",
			attachments: []string{"attachment-1.eml"},
		},
		{
			name:        "attached message with filename",
			raw:         "Content-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: message/rfc822; name=Fwd\n\nSubject: x\n\nhi\n--m--\n",
			attachments: []string{"Fwd.eml"},
		},
		{
			name: "inline image by Content-ID",
			raw:  "Content-Type: multipart/related; boundary=r\n\n--r\nContent-Type: text/html\n\n<img src=\"cid:a@b\">\n--r\nContent-Type: image/gif\nContent-ID: <a@b>\n\nGIF\n--r--\n",
			html: `<img src="cid:a@b">`, attachments: []string{"attachment-1.gif"},
		},
		{
			name: "html charset from meta",
			raw:  "Content-Type: text/html\n\n<meta charset=\"iso-8859-1\"><p>\xe9t\xe9</p>\n",
			text: "été",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(strings.NewReader("From: a@b\nDate: Tue, 03 Mar 2026 09:15:00 +0100\n"+tt.raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if m.Text != tt.text {
				t.Errorf("Text = %q, want %q", m.Text, tt.text)
			}
			if tt.html != "" && m.HTML != tt.html {
				t.Errorf("HTML = %q, want %q", m.HTML, tt.html)
			}
			var names []string
			for _, a := range m.Attachments {
				names = append(names, a.Filename)
			}
			if !slices.Equal(names, tt.attachments) {
				t.Errorf("attachments = %q, want %q", names, tt.attachments)
			}
			if tt.problem != "" && !slices.ContainsFunc(m.Problems, func(p string) bool { return strings.Contains(p, tt.problem) }) {
				t.Errorf("problems %q lack %q", m.Problems, tt.problem)
			}
			if tt.problem == "" && len(m.Problems) > 0 {
				t.Errorf("unexpected problems %q", m.Problems)
			}
			checkInvariants(t, m)
		})
	}
}

// TestInlineFlag checks Inline and ContentID of attachments.
func TestInlineFlag(t *testing.T) {
	raw := "From: a@b\nDate: Tue, 03 Mar 2026 09:15:00 +0100\nContent-Type: multipart/mixed; boundary=m\n\n" +
		"--m\nContent-Type: image/png\nContent-ID: <logo@x>\n\nA\n" +
		"--m\nContent-Type: image/png\nContent-Disposition: inline; filename=b.png\n\nB\n" +
		"--m\nContent-Type: image/png\nContent-Disposition: attachment\nContent-ID: <c@x>\n\nC\n--m--\n"
	m, err := Parse(strings.NewReader(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		inline bool
		cid    string
	}{{true, "logo@x"}, {true, ""}, {false, "c@x"}}
	if len(m.Attachments) != len(want) {
		t.Fatalf("attachments = %+v", m.Attachments)
	}
	for i, w := range want {
		if a := m.Attachments[i]; a.Inline != w.inline || a.ContentID != w.cid {
			t.Errorf("attachment %d: Inline=%v ContentID=%q, want %v %q", i, a.Inline, a.ContentID, w.inline, w.cid)
		}
	}
}

// TestTextCap checks that a huge text body is cut at MaxText.
func TestTextCap(t *testing.T) {
	// 2 MiB of UTF-8, placed so that the byte cap falls inside a character.
	body := "x" + strings.Repeat("é", MaxText)
	m, err := Parse(strings.NewReader("From: a@b\nDate: Tue, 03 Mar 2026 09:15:00 +0100\nContent-Type: text/plain; charset=utf-8\n\n"+body), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Text) > MaxText || len(m.Text) < MaxText-4 {
		t.Errorf("Text is %d bytes, want about %d", len(m.Text), MaxText)
	}
	if len(m.Problems) != 1 || !strings.Contains(m.Problems[0], "longer than 1 MiB") {
		t.Errorf("problems = %q, want only the cut", m.Problems)
	}
	checkInvariants(t, m)
}

// nested returns the headers and opening delimiters of n nested multiparts.
func nested(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=m%d\n\n--m%d\n", i, i)
	}
	return b.String()
}
