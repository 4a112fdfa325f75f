package eml

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// entity reads one MIME entity (the message or a part) whose header is h.
func (p *parser) entity(h header, body io.Reader, depth int) {
	ct, params := p.contentType(h)
	cte := h.get("Content-Transfer-Encoding")
	if strings.HasPrefix(ct, "multipart/") {
		boundary := params["boundary"]
		switch {
		case boundary == "":
			p.problem("multipart: boundary parameter missing, body read as text")
			ct = "text/plain"
		case depth >= maxDepth:
			p.problem("multipart: nested too deep, kept as an attachment")
			p.attachment(h, ct, "", "", cte, body)
			return
		default:
			p.multipart(ct, boundary, p.transferDecoder(cte, body), depth)
			return
		}
	}
	disp, dparams := p.parseParams(h.get("Content-Disposition"), "header Content-Disposition")
	filename := dparams["filename"]
	if filename == "" {
		filename = params["name"]
	}
	// Filenames often carry RFC 2047 words even inside quotes, where the
	// RFC forbids them; every mail client decodes them anyway.
	filename = p.decodeWords(filename, "filename")
	if (ct == "text/plain" || ct == "text/html") && disp != "attachment" && filename == "" {
		p.bodyText(ct, params["charset"], p.transferDecoder(cte, body))
		return
	}
	p.attachment(h, ct, disp, filename, cte, body)
}

// multipart reads the parts of a multipart entity in turn.
func (p *parser) multipart(ct, boundary string, body io.Reader, depth int) {
	mr := &multipartReader{
		br:      bufAt(&p.multipartBufs, depth, multipartBufSize, body),
		dash:    []byte("--" + boundary),
		scratch: p.scratch,
	}
	type mark struct{ text, html int }
	var marks []mark
	for p.sinkErr == nil {
		part := mr.next(MaxText)
		if part == nil {
			break
		}
		marks = append(marks, mark{len(p.text), len(p.html)})
		br := bufAt(&p.partBufs, depth, 4096, part)
		h, rest, found := p.readHeader(br, false)
		if !found && len(rest) > 0 {
			p.problem("multipart: part without header, read as text")
		}
		p.entity(h, withPrefix(rest, br), depth+1)
	}
	if p.sinkErr != nil {
		return
	}
	if mr.neverFound {
		// A mangled boundary parameter is the usual cause: if the body
		// starts with a delimiter line, use its boundary instead.
		if found := delimiterIn(mr.preamble); found != "" && found != boundary && len(mr.preamble) < MaxText {
			p.problem(fmt.Sprintf("multipart: boundary %q never found, parts read with boundary %q found in the body", boundary, found))
			p.multipart(ct, found, bytes.NewReader(mr.preamble), depth+1)
			return
		}
		p.problem(fmt.Sprintf("multipart: boundary %q never found, body read as text", boundary))
		p.addText(mr.preamble, "", "body")
	}
	if mr.missingClose {
		p.problem("multipart: closing boundary missing")
	}
	if ct != "multipart/alternative" || len(marks) < 2 {
		return
	}
	// Alternatives say the same thing: keep the first plain text (the
	// HTML rendering of it is the HTML) and the last HTML, the richest
	// version by RFC 2046 §5.1.4 order.
	textEnd, htmlEnd := len(p.text), len(p.html)
	var keepText, keepHTML []string
	for i, m := range marks {
		te, he := textEnd, htmlEnd
		if i+1 < len(marks) {
			te, he = marks[i+1].text, marks[i+1].html
		}
		if keepText == nil && te > m.text {
			keepText = slices.Clone(p.text[m.text:te])
		}
		if he > m.html {
			keepHTML = slices.Clone(p.html[m.html:he])
		}
	}
	for _, s := range p.text[marks[0].text:] {
		p.textLeft += len(s)
	}
	for _, s := range keepText {
		p.textLeft -= len(s)
	}
	p.text = append(p.text[:marks[0].text], keepText...)
	p.html = append(p.html[:marks[0].html], keepHTML...)
}

// bodyText reads a text/plain or text/html body part.
func (p *parser) bodyText(ct, charset string, r io.Reader) {
	if ct == "text/html" {
		data := readCapped(r, p.htmlLeft+1, p.scratch)
		if len(data) > p.htmlLeft {
			data = trimPartialRune(data[:p.htmlLeft])
			p.problem("html: body longer than 2 MiB, cut")
		}
		p.htmlLeft -= len(data)
		if charset == "" {
			charset = htmlCharset(data)
		}
		if s := p.decodeText(data, charset, "body"); s != "" {
			p.html = append(p.html, s)
		}
		return
	}
	// A few bytes more than the budget so that a cut is noticed; the cut
	// itself is made on the decoded text.
	data := readCapped(r, p.textLeft+4, p.scratch)
	if len(data) == p.textLeft+4 {
		data = trimPartialRune(data)
	}
	p.addText(data, charset, "body")
}

// trimPartialRune drops an incomplete UTF-8 sequence left at the end of
// data by a cut, so that the cut alone does not make the text look like
// another charset.
func trimPartialRune(data []byte) []byte {
	for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				return data[:i]
			}
			break
		}
	}
	return data
}

// addText decodes a plain text piece and appends it within the budget.
func (p *parser) addText(data []byte, charset, what string) {
	s := normalizeText(p.decodeText(data, charset, what))
	if len(s) > p.textLeft {
		s = cutUTF8(s, p.textLeft)
		p.problem("text: body longer than 1 MiB, cut")
	}
	p.textLeft -= len(s)
	if strings.TrimSpace(s) != "" {
		p.text = append(p.text, s)
	}
}

// finishBody assembles Text and HTML from the pieces read.
func (p *parser) finishBody() {
	if len(p.html) > 0 {
		p.msg.HTML = sanitizeHTML(strings.Join(p.html, "\n"))
	}
	switch {
	case len(p.text) > 0:
		var b strings.Builder
		for _, s := range p.text {
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
				b.WriteByte('\n')
			}
			b.WriteString(s)
		}
		p.msg.Text = b.String()
	case p.msg.HTML != "":
		p.msg.Text = htmlToText(p.msg.HTML)
		if len(p.msg.Text) > MaxText {
			p.msg.Text = cutUTF8(p.msg.Text, MaxText)
			p.problem("text: body longer than 1 MiB, cut")
		}
	}
	p.msg.Text = strings.TrimRight(strings.TrimLeft(p.msg.Text, "\n"), " \t\n")
}

// normalizeText turns CRLF and CR into LF and drops the control
// characters other than tab and LF: NUL is refused by PostgreSQL text
// columns, and the others only garble the display.
func normalizeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if strings.ContainsFunc(s, isStrayControl) {
		s = strings.Map(func(r rune) rune {
			if isStrayControl(r) {
				return -1
			}
			return r
		}, s)
	}
	return s
}

func isStrayControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\t'
}

// cutUTF8 cuts s to at most n bytes without splitting a character.
func cutUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// delimiterIn returns the boundary of the delimiter line a body starts
// with ("--" and 1 to 70 characters without blanks, RFC 2046 §5.1.1),
// provided a header field follows it; "" otherwise, so that a signature
// line such as "--Marie" is not taken for a delimiter.
func delimiterIn(body []byte) string {
	body = bytes.TrimLeft(body, " \t\r\n")
	line, rest, _ := bytes.Cut(body, []byte("\n"))
	b, ok := bytes.CutPrefix(bytes.TrimRight(line, " \t\r"), []byte("--"))
	if !ok || len(b) == 0 || len(b) > 70 || bytes.ContainsAny(b, " \t") || bytes.HasSuffix(b, []byte("--")) ||
		len(bytes.Trim(b, "-")) == 0 {
		return ""
	}
	next, _, _ := bytes.Cut(rest, []byte("\n"))
	if colon := bytes.IndexByte(next, ':'); colon <= 0 || !validFieldName(next[:colon]) {
		return ""
	}
	return string(b)
}
