package eml

import (
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// htmlPolicy is bluemonday's user-generated-content policy (no script,
// style, event handler, form or iframe) plus the cid: scheme, so that
// inline images can be mapped to their attachments. Built once: a Policy
// is safe for concurrent use.
var htmlPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("cid")
	return p
})

// linkRel is set on every link: the mail's links go to pages that must not
// get a handle on the CRM window, its URL as referrer, or any ranking.
const linkRel = "noopener noreferrer nofollow"

// sanitizeHTML cleans a mail's HTML for display in the CRM. After
// bluemonday, links get rel and target="_blank", and images keep only cid:
// sources: a remote image is a tracking pixel that tells the sender when
// and where the broker read the mail.
func sanitizeHTML(s string) string {
	clean := htmlPolicy().Sanitize(s)
	var out strings.Builder
	z := html.NewTokenizer(strings.NewReader(clean))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			tok := z.Token()
			switch tok.Data {
			case "a", "area":
				var attrs []html.Attribute
				href := false
				for _, a := range tok.Attr {
					if a.Key != "rel" && a.Key != "target" {
						attrs = append(attrs, a)
					}
					href = href || a.Key == "href"
				}
				if href {
					attrs = append(attrs, html.Attribute{Key: "rel", Val: linkRel}, html.Attribute{Key: "target", Val: "_blank"})
				}
				tok.Attr = attrs
				out.WriteString(tok.String())
				continue
			case "img":
				var attrs []html.Attribute
				src := false
				for _, a := range tok.Attr {
					if a.Key == "src" {
						if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "cid:") {
							continue
						}
						src = true
					}
					attrs = append(attrs, a)
				}
				if src {
					tok.Attr = attrs
					out.WriteString(tok.String())
				}
				continue
			}
		}
		out.Write(z.Raw())
	}
	return strings.TrimSpace(out.String())
}

// blockTags end a line of text; paragraphTags also leave a blank line.
var (
	blockTags = map[string]bool{
		"div": true, "tr": true, "li": true, "dt": true, "dd": true, "section": true,
		"article": true, "aside": true, "header": true, "footer": true, "address": true,
		"figure": true, "figcaption": true, "caption": true, "details": true, "summary": true,
		"center": true, "hr": true,
	}
	paragraphTags = map[string]bool{
		"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"ul": true, "ol": true, "dl": true, "table": true, "blockquote": true, "pre": true,
	}
)

// htmlToText renders sanitised HTML as readable plain text: block elements
// break lines, paragraphs are separated by a blank line, list items start
// with "- ", table cells are separated by a blank, entities are decoded
// and runs of blanks collapsed outside <pre>.
func htmlToText(s string) string {
	t := textWriter{}
	pre := 0
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.TextToken:
			data := strings.ReplaceAll(tok.Data, "\u00a0", " ")
			if pre > 0 {
				for i, l := range strings.Split(strings.ReplaceAll(data, "\r\n", "\n"), "\n") {
					if i > 0 {
						t.lineBreak()
					}
					t.raw(l)
				}
				continue
			}
			words := strings.Fields(data)
			if len(words) == 0 || startsWithBlank(data) {
				t.space = true
			}
			t.write(strings.Join(words, " "))
			if len(words) > 0 && endsWithBlank(data) {
				t.space = true
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			switch name := tok.Data; {
			case name == "br":
				t.lineBreak()
			case name == "li":
				t.blockBreak(1)
				t.write("-")
				t.space = true
			case name == "td" || name == "th":
				t.space = true
			case name == "pre":
				t.blockBreak(2)
				pre++
			case paragraphTags[name]:
				t.blockBreak(2)
			case blockTags[name]:
				t.blockBreak(1)
			}
		case html.EndTagToken:
			switch name := tok.Data; {
			case name == "pre":
				t.blockBreak(2)
				pre = max(0, pre-1)
			case paragraphTags[name]:
				t.blockBreak(2)
			case blockTags[name]:
				t.blockBreak(1)
			}
		}
	}
	return t.String()
}

// textWriter accumulates lines of text with pending breaks and blanks, so
// that nested blocks do not pile up empty lines.
type textWriter struct {
	lines []string
	cur   strings.Builder
	brk   int  // pending break: 1 new line, 2 blank line
	space bool // pending blank between words
}

func (t *textWriter) write(s string) {
	if s == "" {
		return
	}
	if t.brk > 0 && (t.cur.Len() > 0 || len(t.lines) > 0) {
		t.flush()
		if t.brk == 2 && len(t.lines) > 0 && t.lines[len(t.lines)-1] != "" {
			t.lines = append(t.lines, "")
		}
	} else if t.space && t.cur.Len() > 0 {
		t.cur.WriteByte(' ')
	}
	t.brk, t.space = 0, false
	t.cur.WriteString(s)
}

// raw writes preformatted text as is.
func (t *textWriter) raw(s string) {
	if s != "" {
		t.write(s)
	}
}

func (t *textWriter) flush() {
	if t.cur.Len() > 0 {
		t.lines = append(t.lines, strings.TrimRight(t.cur.String(), " "))
		t.cur.Reset()
	}
}

// lineBreak is a <br>: it ends the line even when it is empty.
func (t *textWriter) lineBreak() {
	if t.brk > 0 && t.cur.Len() == 0 {
		return
	}
	t.lines = append(t.lines, strings.TrimRight(t.cur.String(), " "))
	t.cur.Reset()
	t.space = false
}

func (t *textWriter) blockBreak(n int) {
	t.brk = max(t.brk, n)
	t.space = false
}

// String returns the text, trimmed.
func (t *textWriter) String() string {
	t.flush()
	return strings.TrimSpace(strings.Join(t.lines, "\n"))
}

func startsWithBlank(s string) bool {
	return s != "" && strings.ContainsRune(" \t\r\n\u00a0", rune(s[0]))
}

func endsWithBlank(s string) bool {
	return s != "" && strings.ContainsRune(" \t\r\n", rune(s[len(s)-1]))
}
