package eml

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// westernLabels are the charset labels that mean "one byte per character,
// Western European". ISO-8859-1 and US-ASCII are decoded as Windows-1252,
// its superset, as every browser does (WHATWG Encoding §4.2): Outlook labels
// Windows-1252 text with curly quotes and € as iso-8859-1.
var westernLabels = map[string]*charmap.Charmap{
	"us-ascii": charmap.Windows1252, "ascii": charmap.Windows1252, "ansi_x3.4-1968": charmap.Windows1252,
	"iso-8859-1": charmap.Windows1252, "iso8859-1": charmap.Windows1252, "iso_8859-1": charmap.Windows1252,
	"latin1": charmap.Windows1252, "l1": charmap.Windows1252, "cp819": charmap.Windows1252,
	"windows-1252": charmap.Windows1252, "cp1252": charmap.Windows1252, "x-cp1252": charmap.Windows1252,
	"iso-8859-15": charmap.ISO8859_15, "iso8859-15": charmap.ISO8859_15, "iso_8859-15": charmap.ISO8859_15,
	"latin-9": charmap.ISO8859_15, "latin9": charmap.ISO8859_15,
}

// utf8Labels are the labels of UTF-8 and of "nothing declared".
var utf8Labels = map[string]bool{"": true, "utf-8": true, "utf8": true, "unicode-1-1-utf-8": true, "x-unknown": true}

// normCharset turns a charset parameter into a lookup label.
func normCharset(label string) string {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	// RFC 2231 §5 allows a language after the charset: "utf-8*fr".
	if i := strings.IndexByte(label, '*'); i >= 0 {
		label = label[:i]
	}
	return label
}

// decodeText turns the bytes of a text in the declared charset into valid
// UTF-8. It never fails: an unknown or lying charset falls back to UTF-8
// when the bytes are valid UTF-8, else to Windows-1252, with a problem
// noted under what (e.g. "body", "header Subject").
func (p *parser) decodeText(data []byte, label, what string) string {
	label = normCharset(label)
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	switch {
	case utf8Labels[label]:
		if utf8.Valid(data) {
			return string(data)
		}
		if label == "" || label == "x-unknown" {
			p.problem(fmt.Sprintf("%s: 8-bit text without charset is not UTF-8, invalid bytes decoded as Windows-1252", what))
		} else {
			p.problem(fmt.Sprintf("%s: charset %q declared but text is not valid UTF-8, invalid bytes decoded as Windows-1252", what, label))
		}
		return mixedUTF8(data)
	case westernLabels[label] != nil:
		// Valid UTF-8 with non-ASCII bytes is almost never real Latin-1
		// text ("Ã©" would be needed): the label is lying.
		if hasNonASCII(data) && utf8.Valid(data) {
			p.problem(fmt.Sprintf("%s: charset %q declared but text is UTF-8, decoded as UTF-8", what, label))
			return string(data)
		}
		out, _ := westernLabels[label].NewDecoder().Bytes(data)
		return string(out)
	}
	if r, err := charset.Reader(label, bytes.NewReader(data)); err == nil {
		if out, err := io.ReadAll(r); err == nil {
			return strings.ToValidUTF8(string(out), "\uFFFD")
		}
	}
	if utf8.Valid(data) {
		if hasNonASCII(data) {
			p.problem(fmt.Sprintf("%s: unknown charset %q, decoded as UTF-8", what, label))
		}
		return string(data)
	}
	p.problem(fmt.Sprintf("%s: unknown charset %q, decoded as Windows-1252", what, label))
	return cp1252(data)
}

// mixedUTF8 keeps the valid UTF-8 sequences of data and decodes every
// other byte as Windows-1252: a UTF-8 text with a few Latin-1 bytes pasted
// in stays readable instead of turning wholly into mojibake.
func mixedUTF8(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune(charmap.Windows1252.DecodeByte(data[0]))
			size = 1
		} else {
			b.Write(data[:size])
		}
		data = data[size:]
	}
	return b.String()
}

// cp1252 decodes Windows-1252, which maps every byte, so it cannot fail.
func cp1252(data []byte) string {
	out, _ := charmap.Windows1252.NewDecoder().Bytes(data)
	return string(out)
}

func hasNonASCII(data []byte) bool {
	for _, c := range data {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// metaCharsetRe finds the charset an HTML document declares for itself.
var metaCharsetRe = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)`)

// htmlCharset returns the charset declared in the first KiB of an HTML
// body, used when the MIME header declares none.
func htmlCharset(data []byte) string {
	if m := metaCharsetRe.FindSubmatch(data[:min(len(data), 2048)]); m != nil {
		return string(m[1])
	}
	return ""
}

// encodedWordRe matches one RFC 2047 encoded word. The text part is
// allowed to hold blanks, which is not standard but common in Q words.
var encodedWordRe = regexp.MustCompile(`=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=`)

// decodeWords decodes the RFC 2047 encoded words of a header value after
// fixing raw 8-bit bytes. Adjacent encoded words (only blanks between)
// are joined without the blanks (RFC 2047 §6.2), and their bytes are
// concatenated before charset decoding when they share a charset, so that
// a character split across two words survives.
func (p *parser) decodeWords(s, what string) string {
	s = p.rawHeader(s, what)
	if !strings.Contains(s, "=?") {
		return s
	}
	locs := encodedWordRe.FindAllStringSubmatchIndex(s, -1)
	if locs == nil {
		return s
	}
	var out strings.Builder
	var run []byte
	runCharset := ""
	flush := func() {
		if runCharset != "" || len(run) > 0 {
			out.WriteString(p.decodeText(run, runCharset, what))
		}
		run, runCharset = run[:0], ""
	}
	last := 0
	for _, l := range locs {
		between := s[last:l[0]]
		if last == 0 || strings.Trim(between, " \t\r\n") != "" {
			flush()
			out.WriteString(between)
		}
		cs := normCharset(s[l[2]:l[3]])
		if cs != runCharset {
			flush()
			runCharset = cs
		}
		text := s[l[6]:l[7]]
		if enc := s[l[4]:l[5]]; enc == "b" || enc == "B" {
			run = append(run, decodeB(text)...)
		} else {
			run = append(run, decodeQ(text)...)
		}
		last = l[1]
	}
	flush()
	out.WriteString(s[last:])
	return out.String()
}

// rawHeader makes a raw header value valid UTF-8: RFC 6532 allows UTF-8,
// and older mailers send Latin-1 bytes undeclared.
func (p *parser) rawHeader(s, what string) string {
	if utf8.ValidString(s) {
		return s
	}
	p.problem(fmt.Sprintf("%s: 8-bit bytes that are not UTF-8, decoded as Windows-1252", what))
	return mixedUTF8([]byte(s))
}

// decodeB decodes the base64 of a B word, tolerating missing padding and
// stray characters.
func decodeB(s string) []byte {
	var out []byte
	var quad [4]byte
	n := 0
	for i := 0; i < len(s); i++ {
		v := b64Value[s[i]]
		if v == 0xff {
			continue
		}
		quad[n] = v
		if n++; n == 4 {
			out = append(out, quad[0]<<2|quad[1]>>4, quad[1]<<4|quad[2]>>2, quad[2]<<6|quad[3])
			n = 0
		}
	}
	if n >= 2 {
		out = append(out, quad[0]<<2|quad[1]>>4)
	}
	if n == 3 {
		out = append(out, quad[1]<<4|quad[2]>>2)
	}
	return out
}

// decodeQ decodes the text of a Q word: "_" is a space, "=XX" a byte; an
// invalid escape is kept as written.
func decodeQ(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_':
			out = append(out, ' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			out = append(out, c)
		}
	}
	return out
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
