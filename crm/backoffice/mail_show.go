package backoffice

import (
	"fmt"
	"io"
	"mime"
	"net/url"

	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

type mailData struct {
	Mail       crm.MailMessage
	Entry      crm.Entry
	Links      []recordLink
	Thread     []crm.MailMessage
	Query      string
	Candidates []crm.Contact
	Clients    []crm.ClientRow
	Back       string
}

// mailShow shows one e-mail: headers, the text, the sanitised HTML in a
// sandboxed frame, attachments, its thread and links; a message in triage
// also gets the forms to link it (after a search) or dismiss it.
func (h *handlers) mailShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	m, err := h.Mail.Get(ctx, id)
	if err != nil {
		return err
	}
	e, err := h.Timeline.Get(ctx, m.EntryID)
	if err != nil {
		return err
	}
	p := h.page(c, "mail.message", "mail")
	p.Title = m.Subject
	d := mailData{Mail: m, Entry: e, Query: c.Query("q"), Back: fmt.Sprintf("/mail/%d?%s", id, url.Values{"q": {c.Query("q")}}.Encode())}
	n := h.newNames()
	n.want(e.Links...)
	if err := n.load(ctx); err != nil {
		return err
	}
	d.Links = n.links(e.Links)
	if m.ThreadID != nil {
		if d.Thread, err = h.Mail.Thread(ctx, *m.ThreadID); err != nil {
			return err
		}
	}
	if d.Query != "" {
		if d.Candidates, _, err = h.Contacts.List(ctx, crm.ContactFilter{Query: d.Query, ActiveOnly: true, Page: crm.Page{Size: 20}}); err != nil {
			return err
		}
		if d.Clients, _, err = h.Clients.List(ctx, crm.ClientFilter{Query: d.Query, Page: crm.Page{Size: 10}}); err != nil {
			return err
		}
	}
	p.Data = d
	return h.tpl.Render(c, "mail", p)
}

// mailAttachment downloads an attachment from the blob store.
func (h *handlers) mailAttachment(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	aid, err := paramID(c, "aid")
	if err != nil {
		return err
	}
	a, err := h.Mail.Attachment(c.UserContext(), id, aid)
	if err != nil {
		return err
	}
	return h.sendBlob(c, a.SHA256, a.Filename, a.ContentType)
}

// mailRaw downloads the message as received (.eml), also for broken ones.
func (h *handlers) mailRaw(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := h.Mail.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	if m.RawSHA256 == "" {
		return fiber.ErrNotFound // sent by Courtier: only the logged copy exists
	}
	return h.sendBlob(c, m.RawSHA256, fmt.Sprintf("message-%d.eml", id), "message/rfc822")
}

// sendBlob streams a blob as a download; it is never rendered inline, so
// an attached HTML file cannot run in the back office's origin.
func (h *handlers) sendBlob(c *fiber.Ctx, sum, filename, contentType string) error {
	r, err := h.Blobs.Open(c.UserContext(), sum)
	if err != nil {
		return err
	}
	defer r.Close()
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	c.Set("X-Content-Type-Options", "nosniff")
	_, err = io.Copy(c.Response().BodyWriter(), r)
	return err
}

// mailOfEntry opens the e-mail behind a timeline entry.
func (h *handlers) mailOfEntry(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := h.Mail.ByEntry(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/mail/%d", m.ID), fiber.StatusSeeOther)
}
