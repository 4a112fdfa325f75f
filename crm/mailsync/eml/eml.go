// Package eml parses one raw RFC 5322 message into what Courtier keeps of
// it: envelope, readable text, sanitised HTML and attachments.
//
// Parsing streams: attachments go to a Sink as they are read, one at a
// time, and only text bodies (capped) are held in memory, so a 25 MB
// attachment costs a few buffers. Parsing never gives up on a message: what
// goes wrong is noted in Message.Problems and whatever was read is kept,
// because the raw message is the broker's record and must reach the CRM
// timeline even when it is malformed.
package eml

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// Message is what Courtier keeps of a parsed e-mail.
type Message struct {
	MessageID  string    // normalised (see NormalizeID); "" when missing or unusable
	ContentKey string    // "sha256:<hex>" identifying the message across mailboxes (see ContentKey)
	Subject    string    // RFC 2047 decoded, whitespace-collapsed
	Date       time.Time // UTC; zero when missing or unparseable
	From       []Address
	Sender     []Address
	To         []Address
	Cc         []Address
	ReplyTo    []Address
	InReplyTo  []string // normalised ids, in order, deduplicated
	References []string // normalised ids, in order, deduplicated
	// Text is the plain text body in UTF-8 with "\n" line endings, derived
	// from the HTML when the message has no plain text part; at most
	// MaxText bytes.
	Text string
	// HTML is the sanitised HTML body ("" if none): no scripts, styles,
	// forms or remote images; cid: images are kept for the attachments.
	HTML        string
	Attachments []Attachment
	// Headers holds, decoded, those of Auto-Submitted, List-Id,
	// List-Unsubscribe, Precedence, X-Mailer, User-Agent, X-Autoreply and
	// X-Autorespond that are present, for auto-reply and mailing-list
	// detection; nil when none is.
	Headers map[string]string
	// Problems says in English what was wrong with the message.
	Problems []string
	// Broken is set when the input has no header at all; Text then holds
	// the input read as text, so that triage can show what it was.
	Broken bool
}

// Address is one mailbox of an address field.
type Address struct {
	Name  string // display name, decoded
	Email string // lower-cased and trimmed
}

// Attachment is a non-body part of a message, stored by the Sink.
type Attachment struct {
	// Filename is decoded (RFC 2231, RFC 2047, raw 8-bit) and safe to use as
	// a file name; a part without one gets "attachment-N.ext", N its rank.
	Filename    string
	ContentType string // lower-case media type without parameters
	Size        int64
	SHA256      string // hex, as returned by the sink
	Inline      bool   // shown in the body (inline disposition or a Content-ID)
	ContentID   string // without <>
}

// Sink stores an attachment as it streams (it must not buffer it whole)
// and returns its SHA-256 in hex and its size. It may stop reading early.
type Sink func(r io.Reader) (sha256hex string, size int64, err error)

// Size limits of what is held in memory.
const (
	// MaxText caps Message.Text; a longer text is cut with a problem noted.
	MaxText = 1 << 20
	// maxHTML caps the raw HTML read before sanitising.
	maxHTML = 2 << 20
	// maxDepth caps multipart nesting; deeper parts are kept as attachments.
	maxDepth = 16
	// maxAttachments caps the attachments extracted from one message.
	maxAttachments = 1000
	// maxProblems caps Problems on pathological input.
	maxProblems = 50
	// bufSize is the read buffer over the raw message.
	bufSize = 32 << 10
)

// headerNames are the header fields copied into Message.Headers.
var headerNames = [...]string{
	"Auto-Submitted", "List-Id", "List-Unsubscribe", "Precedence",
	"X-Mailer", "User-Agent", "X-Autoreply", "X-Autorespond",
}

// parser holds the state of one Parse call.
type parser struct {
	msg       *Message
	sink      Sink
	sinkErr   error
	seen      map[string]bool
	text      []string // plain text pieces of the body, in order
	html      []string
	textLeft  int
	htmlLeft  int
	nAttached int
	// scratch is the buffer for skipping data; partBufs and multipartBufs
	// are the read buffers of each nesting depth, reused from one part to
	// the next so that a message of many small parts does not allocate
	// 36 KiB per part.
	scratch       []byte
	partBufs      []*bufio.Reader
	multipartBufs []*bufio.Reader
}

// sourceReader turns a read error into EOF for the parser, so that a
// failing connection ends parsing cleanly, and keeps the error for Parse to
// return.
type sourceReader struct {
	r   io.Reader
	err error
}

// Read implements io.Reader.
func (s *sourceReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, io.EOF
	}
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
		err = io.EOF
	}
	return n, err
}

// Parse reads the raw message from r, sending each attachment to sink (a
// nil sink only hashes them). It returns an error only when reading r or
// the sink fails; every parsing problem is reported in Message.Problems and
// Message.Broken instead, so that no message is ever lost.
func Parse(r io.Reader, sink Sink) (*Message, error) {
	src := &sourceReader{r: r}
	p := &parser{
		msg:      &Message{},
		sink:     sink,
		seen:     map[string]bool{},
		textLeft: MaxText,
		htmlLeft: maxHTML,
		scratch:  make([]byte, 8192),
	}
	br := bufio.NewReaderSize(src, bufSize)
	h, rest, found := p.readHeader(br, true)
	body := withPrefix(rest, br)
	if !found {
		p.msg.Broken = true
		if len(rest) == 0 {
			p.problem("empty message")
		} else {
			p.problem("no header found: not an e-mail message")
		}
		p.addText(readCapped(body, MaxText+1, p.scratch), "", "body")
	} else {
		p.envelope(h)
		p.entity(h, body, 0)
	}
	if src.err != nil {
		return nil, fmt.Errorf("eml: read message: %w", src.err)
	}
	if p.sinkErr != nil {
		return nil, p.sinkErr
	}
	p.finishBody()
	p.msg.ContentKey = ContentKey(p.msg)
	return p.msg, nil
}

// problem notes what went wrong, once.
func (p *parser) problem(s string) {
	if p.seen[s] {
		return
	}
	p.seen[s] = true
	switch n := len(p.msg.Problems); {
	case n < maxProblems:
		p.msg.Problems = append(p.msg.Problems, s)
	case n == maxProblems:
		p.msg.Problems = append(p.msg.Problems, "more problems not listed")
	}
}

// store streams one attachment to the sink, or hashes it without a sink.
func (p *parser) store(r io.Reader) (string, int64, error) {
	if p.sink == nil {
		h := sha256.New()
		n, err := io.CopyBuffer(h, onlyReader{r}, p.scratch)
		return hex.EncodeToString(h.Sum(nil)), n, err
	}
	return p.sink(r)
}

// onlyReader hides the WriterTo of a reader from io.Copy, which would
// allocate a 32 KiB buffer for io.MultiReader and the like.
type onlyReader struct{ io.Reader }

// drain reads r to its end through buf.
func drain(r io.Reader, buf []byte) {
	for {
		if _, err := r.Read(buf); err != nil {
			return
		}
	}
}

// prefixReader reads rest, then r.
type prefixReader struct {
	rest []byte
	r    io.Reader
}

// Read implements io.Reader.
func (p *prefixReader) Read(b []byte) (int, error) {
	if len(p.rest) > 0 {
		n := copy(b, p.rest)
		p.rest = p.rest[n:]
		return n, nil
	}
	return p.r.Read(b)
}

// withPrefix returns a reader of rest then r.
func withPrefix(rest []byte, r io.Reader) io.Reader {
	if len(rest) == 0 {
		return r
	}
	return &prefixReader{rest: rest, r: r}
}

// bufAt returns the reader buffer of a nesting depth, reset to read r.
func bufAt(bufs *[]*bufio.Reader, depth, size int, r io.Reader) *bufio.Reader {
	for len(*bufs) <= depth {
		*bufs = append(*bufs, nil)
	}
	if (*bufs)[depth] == nil {
		(*bufs)[depth] = bufio.NewReaderSize(r, size)
	} else {
		(*bufs)[depth].Reset(r)
	}
	return (*bufs)[depth]
}
