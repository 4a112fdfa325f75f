package documents

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
)

// Text statuses of a version: whether its words are searchable.
const (
	TextNone      = "none"      // a type whose text the store does not read
	TextExtracted = "extracted" // all of it
	TextTruncated = "truncated" // the first MaxText bytes
	TextFailed    = "failed"    // unreadable: the document is stored all the same
)

// pdfTimeout bounds the work spent on one PDF's text.
const pdfTimeout = 20 * time.Second

// extracted is the text of a content and how it went.
type extracted struct {
	Text   string
	Status string
	Err    string
}

// extractText reads the words of a content of the given MIME type, at most
// limit bytes of them. It never fails: an unreadable content is TextFailed.
func extractText(mime string, content []byte, limit int) extracted {
	var text string
	var err error
	switch essence := essenceOf(mime); {
	case isText(mime):
		text = decodeText(content)
	case essence == "text/html":
		text = htmlText(decodeText(content))
	case essence == MimePDF:
		text, err = pdfText(content, limit, time.Now().Add(pdfTimeout))
	default:
		return extracted{Status: TextNone}
	}
	text = cleanText(text)
	var msg string
	if err != nil {
		msg = truncate(err.Error(), 500)
	}
	switch {
	case err != nil && strings.TrimSpace(text) == "":
		return extracted{Status: TextFailed, Err: msg}
	case len(text) > limit:
		return extracted{Text: truncate(text, limit), Status: TextTruncated}
	case errors.Is(err, errTextFull), errors.Is(err, errPDFTimeout):
		return extracted{Text: text, Status: TextTruncated, Err: msg}
	}
	// A PDF with an unreadable page keeps the text of the others, and says why.
	return extracted{Text: text, Status: TextExtracted, Err: msg}
}

// decodeText turns a text file into UTF-8: a byte-order mark says UTF-8 or
// UTF-16; otherwise valid UTF-8 is taken as is and anything else is read as
// Windows-1252, what French spreadsheets export CSV in.
func decodeText(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return string(b[3:])
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return utf16Text(b[2:], binary.LittleEndian)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return utf16Text(b[2:], binary.BigEndian)
	case utf8.Valid(b):
		return string(b)
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), " ")
	}
	return string(s)
}

func utf16Text(b []byte, order binary.ByteOrder) string {
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	return string(utf16.Decode(units))
}

// htmlText keeps the text of an HTML page: no tags, no scripts or styles,
// entities decoded, a space wherever a tag was (so words never merge).
func htmlText(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			if name, _ := z.TagName(); hidden(string(name)) {
				skip++
			}
			b.WriteByte(' ')
		case html.EndTagToken:
			if name, _ := z.TagName(); hidden(string(name)) && skip > 0 {
				skip--
			}
			b.WriteByte(' ')
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		}
	}
}

func hidden(tag string) bool {
	return tag == "script" || tag == "style" || tag == "noscript" || tag == "template"
}

// cleanText makes text safe to store on both databases: valid UTF-8 (which
// PostgreSQL requires), no NUL nor other control character but tabs and
// line breaks, and no replacement character.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, " ")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case r == utf8.RuneError, unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}

// truncate cuts s to at most n bytes, on a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
