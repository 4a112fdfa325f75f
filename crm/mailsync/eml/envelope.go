package eml

import (
	"fmt"
	"io"
	"mime"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// envelope fills the header-derived fields of the message.
func (p *parser) envelope(h header) {
	m := p.msg
	m.MessageID = NormalizeID(h.get("Message-ID"))
	if m.MessageID == "" && h.has("Message-ID") {
		p.problem(fmt.Sprintf("header Message-ID: unusable value %q", cutUTF8(strings.TrimSpace(h.get("Message-ID")), 100)))
	}
	m.Subject = cleanLine(p.decodeWords(h.get("Subject"), "header Subject"))
	m.Date = p.date(h)
	m.From = p.addresses(h, "From")
	m.Sender = p.addresses(h, "Sender")
	m.To = p.addresses(h, "To")
	m.Cc = p.addresses(h, "Cc")
	m.ReplyTo = p.addresses(h, "Reply-To")
	if len(m.From) == 0 {
		p.problem("header From: missing or without address")
	}
	m.InReplyTo = parseIDs(h.all("In-Reply-To"))
	m.References = parseIDs(h.all("References"))
	for _, name := range headerNames {
		if h.has(name) {
			if m.Headers == nil {
				m.Headers = map[string]string{}
			}
			m.Headers[name] = cleanLine(p.decodeWords(h.get(name), "header "+name))
		}
	}
}

// NormalizeID returns the canonical form of a Message-ID (or of one id of
// In-Reply-To/References): the text inside the first <...> (or the whole
// trimmed value without brackets), with the domain part after the last "@"
// lower-cased and the local part kept as is (RFC 5322 leaves it
// case-sensitive). It returns "" for an unusable id: empty, without "@" or
// with an empty side, with blanks or control characters inside, or longer
// than 998 bytes. Ids without "@" are refused because the ones seen in the
// wild are placeholders ("<none>", "<1>") that would merge unrelated mail.
func NormalizeID(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		s = s[i+1:]
		if j := strings.IndexByte(s, '>'); j >= 0 {
			s = s[:j]
		}
	}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 998 || !utf8.ValidString(s) {
		return ""
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>' }) {
		return ""
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return ""
	}
	return s[:at+1] + strings.ToLower(s[at+1:])
}

// maxIDs caps the ids kept from References; the first (thread root) and
// the last ones (nearest ancestors) matter for threading.
const maxIDs = 100

// parseIDs extracts the normalised ids of In-Reply-To or References
// values, in order and without duplicates. Ids are taken from <...>; a
// value without brackets is split on blanks and commas.
func parseIDs(values []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range values {
		var tokens []string
		if strings.Contains(v, "<") {
			for _, part := range strings.Split(v, "<")[1:] {
				if id, _, ok := strings.Cut(part, ">"); ok {
					tokens = append(tokens, id)
				}
			}
		} else {
			tokens = strings.FieldsFunc(v, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
		}
		for _, t := range tokens {
			if id := NormalizeID(t); id != "" && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	if len(out) > maxIDs {
		out = append(out[:1], out[len(out)-maxIDs+1:]...)
	}
	return out
}

// addresses parses every occurrence of an address field, in order, each
// address once.
func (p *parser) addresses(h header, name string) []Address {
	var out []Address
	seen := map[string]bool{}
	for _, v := range h.all(name) {
		for _, a := range p.addressList(v, name) {
			if a.Email != "" && !seen[a.Email] {
				seen[a.Email] = true
				out = append(out, a)
			}
		}
	}
	return out
}

// addrParser decodes display names with a charset reader that never
// fails, so that an unknown charset in a name does not lose the address.
var addrParser = &mail.AddressParser{WordDecoder: &mime.WordDecoder{CharsetReader: lenientCharsetReader}}

func lenientCharsetReader(label string, input io.Reader) (io.Reader, error) {
	if r, err := charset.Reader(label, input); err == nil {
		return r, nil
	}
	return charmap.Windows1252.NewDecoder().Reader(input), nil
}

// addressList parses one address field value; a list net/mail rejects is
// read address by address, and an address it rejects is read by looking
// for <...> or a word with "@".
func (p *parser) addressList(v, name string) []Address {
	v = p.rawHeader(v, "header "+name)
	if strings.TrimSpace(v) == "" {
		return nil
	}
	list, err := addrParser.ParseList(v)
	if err != nil {
		p.problem(fmt.Sprintf("header %s: malformed address list, read leniently", name))
		list = nil
		for _, part := range splitAddresses(v) {
			if a, err := addrParser.Parse(part); err == nil {
				list = append(list, a)
			} else if a := looseAddress(part); a != nil {
				list = append(list, a)
			}
		}
	}
	out := make([]Address, 0, len(list))
	for _, a := range list {
		email := strings.ToLower(strings.TrimSpace(a.Address))
		if !strings.Contains(email, "@") {
			continue
		}
		displayName := a.Name
		if strings.Contains(displayName, "=?") {
			// net/mail does not decode encoded words inside quotes.
			displayName = p.decodeWords(displayName, "header "+name)
		}
		out = append(out, Address{Name: cleanLine(displayName), Email: email})
	}
	return out
}

// splitAddresses splits an address list on commas and semicolons that are
// outside quotes, angle brackets and comments.
func splitAddresses(s string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<' || c == '(':
			depth++
		case (c == '>' || c == ')') && depth > 0:
			depth--
		case (c == ',' || c == ';') && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// looseAddress reads "Name <addr>" or a bare word with "@" out of text
// net/mail refuses; nil if there is no "@".
func looseAddress(s string) *mail.Address {
	var name, email string
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		email, _, _ = strings.Cut(s[i+1:], ">")
		name = s[:i]
	} else {
		for _, w := range strings.Fields(s) {
			if strings.Contains(w, "@") {
				email = w
				name = strings.Replace(s, w, "", 1)
				break
			}
		}
	}
	email = strings.Trim(strings.TrimSpace(email), `<>"'(),;`)
	if !strings.Contains(email, "@") || strings.ContainsFunc(email, unicode.IsSpace) {
		return nil
	}
	return &mail.Address{Name: strings.Trim(strings.TrimSpace(name), `"' `), Address: email}
}

// zoneOffsets fixes the zone abbreviations time.Parse reads as UTC+0.
var zoneOffsets = map[string]int{
	"CET": 1, "CEST": 2, "MET": 1, "MEST": 2, "WET": 0, "WEST": 1, "EET": 2, "EEST": 3,
	"BST": 1, "IST": 1, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
	"PST": -8, "PDT": -7,
}

// dateLayouts are tried when net/mail refuses a Date.
var dateLayouts = []string{
	time.RFC3339,
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	time.ANSIC,
	time.UnixDate,
	"Mon, 2 Jan 2006 15:04:05 -0700 MST",
	"Mon, 2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15.04.05 -0700",
	"Monday, January 2, 2006 3:04 PM",
}

// commentRe matches a parenthesised comment such as "(CET)".
var commentRe = regexp.MustCompile(`\([^)]*\)`)

// date parses the Date field into UTC.
func (p *parser) date(h header) time.Time {
	v := strings.TrimSpace(p.rawHeader(h.get("Date"), "header Date"))
	if v == "" {
		p.problem("header Date: missing")
		return time.Time{}
	}
	t, err := mail.ParseDate(v)
	if err != nil {
		plain := strings.Join(strings.Fields(commentRe.ReplaceAllString(v, " ")), " ")
		for _, layout := range dateLayouts {
			if t, err = time.Parse(layout, plain); err == nil {
				break
			}
		}
	}
	if err != nil {
		p.problem(fmt.Sprintf("header Date: cannot parse %q", cutUTF8(v, 100)))
		return time.Time{}
	}
	if name, off := t.Zone(); off == 0 {
		if h, ok := zoneOffsets[name]; ok {
			t = t.Add(-time.Duration(h) * time.Hour)
		}
	}
	return t.UTC()
}

// cleanLine makes a one-line header text: valid UTF-8, control characters
// turned into blanks, blanks collapsed.
func cleanLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
