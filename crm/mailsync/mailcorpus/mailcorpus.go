// Package mailcorpus holds e-mail messages for tests: hand-written fixtures
// covering what the parser and the ingester must cope with, each with what
// must be found in it, and generators of realistic or large messages for
// benchmarks. It is a normal package so that the tests of eml, mailsync
// and crm can share it; it imports nothing from Courtier.
package mailcorpus

import (
	"bytes"
	"encoding/base64"
	"io"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// Addresses the fixtures use, always these.
const (
	Broker   = "crm@courtier.test"              // the broker's mailbox
	Client   = "marie.durand@acme-industrie.fr" // contact of the client ACME Industrie
	Client2  = "paul.martin@acme-industrie.fr"  // second contact of the same client
	Provider = "contact@formaplus.fr"           // contact of the training provider FormaPlus
	Unknown  = "newsletter@inconnu.example"     // a sender Courtier knows nothing of
)

// Fixture is one raw message and what must be found in it.
type Fixture struct {
	Name string
	Raw  []byte // CRLF line endings, as delivered by an IMAP server
	Want Want
}

// Want is what a parser or ingester must find in a fixture. Empty fields
// are not checked, except MessageID, Broken and Attachments which are
// always compared.
type Want struct {
	MessageID       string // normalised, "" when missing
	Subject         string // decoded
	Broken          bool
	TextContains    []string
	HTMLContains    []string
	HTMLNotContains []string
	Attachments     []string // filenames in order, inline images included
	From            string   // e-mail address of the sender, lower-cased
	Participants    []string // every address of From, To and Cc, lower-cased, in any order
	InReplyTo       string   // first In-Reply-To id, normalised
	ProblemContains []string // substrings each expected in one of the parser's problems
}

// Fixtures returns every fixture, in a stable order. Each call builds new
// slices, so callers may modify them.
func Fixtures() []Fixture {
	var all []Fixture
	all = append(all, charsetFixtures()...)
	all = append(all, headerFixtures()...)
	all = append(all, mimeFixtures()...)
	all = append(all, brokenFixtures()...)
	all = append(all, threadFixtures()...)
	return all
}

// crlf turns the "\n" of a message written in Go source into CRLF.
func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}

// latin1, latin9 and cp1252 encode UTF-8 source text in a legacy charset;
// they panic on a character the charset lacks, which is a fixture bug.
func latin1(s string) string { return encode(charmap.ISO8859_1, s) }
func latin9(s string) string { return encode(charmap.ISO8859_15, s) }
func cp1252(s string) string { return encode(charmap.Windows1252, s) }

func encode(cm *charmap.Charmap, s string) string {
	out, err := cm.NewEncoder().String(s)
	if err != nil {
		panic("mailcorpus: " + err.Error())
	}
	return out
}

// b64 encodes data in base64 lines of 76 characters, each ended by "\n".
func b64(data []byte) string {
	var b bytes.Buffer
	w := &lineWriter{w: &b, eol: []byte("\n")}
	enc := base64.NewEncoder(base64.StdEncoding, w)
	enc.Write(data)
	enc.Close()
	w.end()
	return b.String()
}

// lineWriter cuts what is written into lines of 76 bytes.
type lineWriter struct {
	w   io.Writer
	eol []byte
	col int
	err error
}

// Write implements io.Writer.
func (l *lineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && l.err == nil {
		k := min(76-l.col, len(p))
		_, l.err = l.w.Write(p[:k])
		p, l.col = p[k:], l.col+k
		if l.col == 76 {
			_, l.err = l.w.Write(l.eol)
			l.col = 0
		}
	}
	return n, l.err
}

// end closes the last line.
func (l *lineWriter) end() error {
	if l.col > 0 && l.err == nil {
		_, l.err = l.w.Write(l.eol)
		l.col = 0
	}
	return l.err
}

// fakePDF returns a small deterministic PDF-looking file.
func fakePDF(title string, size int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n% " + title + "\n")
	for i := 0; b.Len() < size; i++ {
		b.WriteByte(byte(i*7 + len(title)))
	}
	return b.Bytes()[:size]
}

// pngPixel is a 1x1 PNG, the inline logo of the fixtures.
var pngPixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
