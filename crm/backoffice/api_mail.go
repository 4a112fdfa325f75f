package backoffice

import (
	"fmt"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) apiMailTriage(c *fiber.Ctx) error {
	pg := apiPage(c)
	items, total, err := h.Mail.Triage(c.UserContext(), pg)
	if err != nil {
		return err
	}
	return c.JSON(newAPIList(items, total, pg))
}

func (h *handlers) apiMailGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	m, err := h.Mail.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	e, err := h.Timeline.Get(c.UserContext(), m.EntryID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"message": m, "links": e.Links})
}

// apiMailResolve links a triaged message: {"links": [{"type": "contact", "id": 4}], "remember": true}.
func (h *handlers) apiMailResolve(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Links    []crm.Ref `json:"links"`
		Remember bool      `json:"remember"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.Mail.Resolve(c.UserContext(), id, in.Links, in.Remember); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handlers) apiMailDismiss(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Mail.Dismiss(c.UserContext(), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// apiMailSend sends an e-mail through the SMTP sender and logs it on the
// records given: {"to": [{"name":…, "email":…}], "cc": […], "subject":…, "text":…, "links": [...]}.
func (h *handlers) apiMailSend(c *fiber.Ctx) error {
	var in crm.Outgoing
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	sent, err := h.Mail.Send(c.UserContext(), in)
	if err != nil {
		return err
	}
	m, err := h.Mail.Get(c.UserContext(), sent.ID)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(m)
}

func (h *handlers) apiMailRaw(c *fiber.Ctx) error { return h.mailRaw(c) }

func (h *handlers) apiMailboxList(c *fiber.Ctx) error {
	boxes, err := h.Mailboxes.List(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(apiItems(boxes))
}

func (h *handlers) apiMailboxCreate(c *fiber.Ctx) error {
	var in crm.MailboxInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	mb, err := h.Mailboxes.Create(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(mb)
}

func (h *handlers) apiMailboxUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.Mailboxes.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	// Fields left out keep their value, as on the other PUT endpoints.
	in := crm.MailboxInput{Name: cur.Name, Host: cur.Host, Port: cur.Port, Security: cur.Security, Username: cur.Username,
		Folders: cur.Folders, Address: cur.Address, Active: cur.Active}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	mb, err := h.Mailboxes.Update(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(mb)
}

// apiMailboxSync syncs one mailbox now; a server that cannot be reached is 502.
func (h *handlers) apiMailboxSync(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Mailboxes.Get(c.UserContext(), id); err != nil {
		return err
	}
	if h.SyncMailbox == nil {
		return fmt.Errorf("backoffice: no mail sync configured: %w", errs.ErrInvalid)
	}
	summary, err := h.SyncMailbox(c.UserContext(), id)
	if err != nil {
		return c.Status(fiber.StatusBadGateway).JSON(fiber.Map{"error": fiber.Map{"status": fiber.StatusBadGateway,
			"code": "sync_failed", "message": err.Error()}})
	}
	return c.JSON(fiber.Map{"result": summary})
}
