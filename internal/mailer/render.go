package mailer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"slices"
	"time"

	"github.com/emersion/go-message/mail"
)

// part is one text rendering of the body.
type part struct {
	contentType string
	body        string
}

// Render builds the RFC 5322 bytes (CRLF line endings) of m, dated now.
// Bcc is not written; the Message-ID is written as given, Senders fill it in.
func Render(m *Message, now time.Time) ([]byte, error) {
	if m.From.Address == "" {
		return nil, errors.New("mailer: render: message has no From address")
	}
	var h mail.Header
	// Extra headers go first so that the fields set below win on a name clash.
	for _, k := range slices.Sorted(maps.Keys(m.Headers)) {
		h.SetText(k, m.Headers[k])
	}
	h.SetDate(now)
	h.SetAddressList("From", []*mail.Address{&m.From})
	if m.ReplyTo != nil {
		h.SetAddressList("Reply-To", []*mail.Address{m.ReplyTo})
	}
	h.SetAddressList("To", pointers(m.To))
	h.SetAddressList("Cc", pointers(m.Cc))
	h.Del("Bcc")
	h.SetSubject(m.Subject)
	h.SetMessageID(trimID(m.MessageID))
	if id := trimID(m.InReplyTo); id != "" {
		h.SetMsgIDList("In-Reply-To", []string{id})
	}
	refs := make([]string, 0, len(m.References))
	for _, r := range m.References {
		if id := trimID(r); id != "" {
			refs = append(refs, id)
		}
	}
	h.SetMsgIDList("References", refs)

	var buf bytes.Buffer
	if err := writeBody(&buf, h, m); err != nil {
		return nil, fmt.Errorf("mailer: render: %w", err)
	}
	return buf.Bytes(), nil
}

// writeBody picks the smallest MIME structure that carries m: a single text
// part, multipart/alternative for text+HTML, multipart/mixed with attachments.
func writeBody(buf *bytes.Buffer, h mail.Header, m *Message) error {
	var parts []part
	if m.Text != "" || m.HTML == "" {
		parts = append(parts, part{"text/plain", m.Text})
	}
	if m.HTML != "" {
		parts = append(parts, part{"text/html", m.HTML})
	}

	if len(m.Attachments) == 0 {
		if len(parts) == 1 {
			h.SetContentType(parts[0].contentType, map[string]string{"charset": "utf-8"})
			w, err := mail.CreateSingleInlineWriter(buf, h)
			return writeAll(w, err, []byte(parts[0].body))
		}
		iw, err := mail.CreateInlineWriter(buf, h)
		return writeAlternative(iw, err, parts)
	}

	mw, err := mail.CreateWriter(buf, h)
	if err != nil {
		return err
	}
	if len(parts) == 1 {
		w, err := mw.CreateSingleInline(inlineHeader(parts[0]))
		if err := writeAll(w, err, []byte(parts[0].body)); err != nil {
			return err
		}
	} else {
		iw, err := mw.CreateInline()
		if err := writeAlternative(iw, err, parts); err != nil {
			return err
		}
	}
	for _, a := range m.Attachments {
		if err := writeAttachment(mw, a); err != nil {
			return err
		}
	}
	return mw.Close()
}

// writeAlternative writes parts into iw, unless creating iw failed with err.
func writeAlternative(iw *mail.InlineWriter, err error, parts []part) error {
	if err != nil {
		return err
	}
	for _, p := range parts {
		w, err := iw.CreatePart(inlineHeader(p))
		if err := writeAll(w, err, []byte(p.body)); err != nil {
			return err
		}
	}
	return iw.Close()
}

func writeAttachment(mw *mail.Writer, a Attachment) error {
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("attachment %q: content type %q: %w", a.Filename, ct, err)
	}
	var h mail.AttachmentHeader
	if a.Filename != "" {
		// As Thunderbird does: the standard RFC 2231 filename* in
		// Content-Disposition, plus an RFC 2047 name in Content-Type for
		// older Outlook versions that only read that one.
		params["name"] = a.Filename
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	}
	h.SetContentType(mediaType, params)
	w, err := mw.CreateAttachment(h)
	if err := writeAll(w, err, a.Data); err != nil {
		return fmt.Errorf("attachment %q: %w", a.Filename, err)
	}
	return nil
}

func inlineHeader(p part) mail.InlineHeader {
	var h mail.InlineHeader
	h.SetContentType(p.contentType, map[string]string{"charset": "utf-8"})
	return h
}

// writeAll writes b to w and closes it, unless creating w failed with err.
func writeAll(w io.WriteCloser, err error, b []byte) error {
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

func pointers(list []Address) []*mail.Address {
	out := make([]*mail.Address, len(list))
	for i := range list {
		out[i] = &list[i]
	}
	return out
}
