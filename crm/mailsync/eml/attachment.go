package eml

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// attachment streams a non-body part to the sink.
func (p *parser) attachment(h header, ct, disp, filename, cte string, body io.Reader) {
	if len(p.msg.Attachments) >= maxAttachments {
		// A message of thousands of tiny parts is an attack on the blob
		// store, not a broker's mail.
		p.problem(fmt.Sprintf("more than %d attachments, the others not extracted", maxAttachments))
		drain(body, p.scratch)
		return
	}
	p.nAttached++
	a := Attachment{ContentType: ct, ContentID: contentID(h.get("Content-ID"))}
	a.Inline = disp == "inline" || disp == "" && a.ContentID != ""
	r := p.transferDecoder(cte, body)
	name := sanitizeFilename(filename)
	if ct == "message/rfc822" {
		if name == "" {
			// A forwarded message is best named by its subject.
			br := bufio.NewReaderSize(r, 8192)
			peek, _ := br.Peek(8192)
			name = sanitizeFilename(embeddedSubject(peek))
			r = br
		}
		if name != "" && !strings.HasSuffix(strings.ToLower(name), ".eml") {
			name += ".eml"
		}
	}
	if name == "" {
		name = fmt.Sprintf("attachment-%d%s", p.nAttached, extension(ct))
	}
	a.Filename = name
	sum, size, err := p.store(r)
	if err != nil {
		p.sinkErr = fmt.Errorf("eml: store attachment %q: %w", name, err)
		return
	}
	// The sink may stop early; the rest of the part must still be skipped.
	drain(body, p.scratch)
	a.SHA256, a.Size = sum, size
	p.msg.Attachments = append(p.msg.Attachments, a)
}

// embeddedSubject returns the decoded Subject of the start of an attached
// message, "" if it has none.
func embeddedSubject(head []byte) string {
	q := &parser{msg: &Message{}, seen: map[string]bool{}}
	h, _, _ := q.readHeader(bufio.NewReader(bytes.NewReader(head)), true)
	return cleanLine(q.decodeWords(h.get("Subject"), "header Subject"))
}

// contentID strips the angle brackets of a Content-ID.
func contentID(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "<")
	s = strings.TrimSuffix(s, ">")
	if !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsSpace) {
		return ""
	}
	return s
}

// maxFilename caps a filename, in bytes, below the 255 of most file systems.
const maxFilename = 200

// sanitizeFilename makes a decoded filename safe to store and to offer
// for download: path separators become "_" so that no directory is
// implied, control and bidirectional-override characters are dropped (the
// latter disguise "gpj.exe" as "exe.jpg"), blanks are collapsed, leading
// and trailing dots removed, and the length capped keeping the extension.
func sanitizeFilename(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\':
			return '_'
		case unicode.IsSpace(r):
			return ' '
		case r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, ". ")
	if len(s) > maxFilename {
		ext := path.Ext(s)
		if len(ext) > 16 {
			ext = ""
		}
		s = strings.TrimRight(cutUTF8(s[:len(s)-len(ext)], maxFilename-len(ext)), ". ") + ext
	}
	return s
}

// extensions gives the file extension of a generated attachment name. It
// is a fixed table rather than mime.ExtensionsByType, whose answer depends
// on the host's /etc/mime.types.
var extensions = map[string]string{
	"application/pdf":    ".pdf",
	"application/zip":    ".zip",
	"application/msword": ".doc",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
	"application/vnd.ms-excel": ".xls",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         ".xlsx",
	"application/vnd.ms-powerpoint":                                             ".ppt",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
	"application/vnd.oasis.opendocument.text":                                   ".odt",
	"application/vnd.oasis.opendocument.spreadsheet":                            ".ods",
	"application/pgp-signature":                                                 ".asc",
	"application/pkcs7-signature":                                               ".p7s",
	"application/x-pkcs7-signature":                                             ".p7s",
	"application/ics":                                                           ".ics",
	"image/png":                                                                 ".png",
	"image/jpeg":                                                                ".jpg",
	"image/gif":                                                                 ".gif",
	"image/webp":                                                                ".webp",
	"image/svg+xml":                                                             ".svg",
	"text/plain":                                                                ".txt",
	"text/html":                                                                 ".html",
	"text/csv":                                                                  ".csv",
	"text/calendar":                                                             ".ics",
	"message/rfc822":                                                            ".eml",
	"message/delivery-status":                                                   ".txt",
	"text/rfc822-headers":                                                       ".txt",
}

func extension(ct string) string {
	if ext, ok := extensions[ct]; ok {
		return ext
	}
	return ".bin"
}
