package backoffice

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type mailboxesData struct {
	Mailboxes  []crm.Mailbox
	Edit       *crm.Mailbox // the mailbox being edited, nil for the add form
	Securities []string
}

// mailboxList shows the mailboxes with their last sync, and the add form.
func (h *handlers) mailboxList(c *fiber.Ctx) error {
	p := h.page(c, "mailboxes.title", "settings")
	p.Form = map[string]string{"security": "tls", "folders": "INBOX"}
	return h.renderMailboxes(c, p, nil)
}

// mailboxEdit shows the edit form of one mailbox (its password is never shown).
func (h *handlers) mailboxEdit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	mb, err := h.Mailboxes.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := h.page(c, "mailboxes.title", "settings")
	p.Form = map[string]string{"name": mb.Name, "host": mb.Host, "port": strconv.Itoa(mb.Port), "security": mb.Security,
		"username": mb.Username, "address": mb.Address, "folders": strings.Join(mb.Folders, "\n")}
	if mb.Active {
		p.Form["active"] = "on"
	}
	return h.renderMailboxes(c, p, &mb)
}

func (h *handlers) renderMailboxes(c *fiber.Ctx, p *web.Page, edit *crm.Mailbox) error {
	boxes, err := h.Mailboxes.List(c.UserContext())
	if err != nil {
		return err
	}
	p.Data = mailboxesData{Mailboxes: boxes, Edit: edit, Securities: crm.MailboxSecurities}
	return h.tpl.Render(c, "settings_mailboxes", p)
}

func mailboxForm(c *fiber.Ctx) crm.MailboxInput {
	port, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("port")))
	return crm.MailboxInput{Name: c.FormValue("name"), Host: c.FormValue("host"), Port: port, Security: c.FormValue("security"),
		Username: c.FormValue("username"), Password: c.FormValue("password"), Address: c.FormValue("address"),
		Folders: []string{c.FormValue("folders")}, Active: c.FormValue("active") != ""}
}

// mailboxSave creates (no id) or updates a mailbox.
func (h *handlers) mailboxSave(c *fiber.Ctx) error {
	in := mailboxForm(c)
	var err error
	var edit *crm.Mailbox
	if c.Params("id") == "" {
		_, err = h.Mailboxes.Create(c.UserContext(), in)
	} else {
		id, perr := paramID(c, "id")
		if perr != nil {
			return perr
		}
		var mb crm.Mailbox
		mb, err = h.Mailboxes.Update(c.UserContext(), id, in)
		edit = &mb
		edit.ID = id
	}
	if err != nil {
		p := h.page(c, "mailboxes.title", "settings")
		if !fieldErrors(p, err, "") {
			return err
		}
		p.Form = map[string]string{}
		for _, k := range []string{"name", "host", "port", "security", "username", "address", "folders", "active"} {
			p.Form[k] = c.FormValue(k)
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderMailboxes(c, p, edit)
	}
	web.Flash(c, "mailboxes.saved")
	return c.Redirect("/settings/mailboxes", fiber.StatusSeeOther)
}

// mailboxSync syncs one mailbox now and says what it did.
func (h *handlers) mailboxSync(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if h.SyncMailbox == nil {
		return fmt.Errorf("backoffice: no mail sync configured")
	}
	summary, err := h.SyncMailbox(c.UserContext(), id)
	p := h.page(c, "mailboxes.title", "settings")
	if err != nil {
		p.Error = p.T("mailboxes.sync_failed", err.Error())
		c.Status(fiber.StatusBadGateway)
	} else {
		p.Flash = summary
	}
	return h.renderMailboxes(c, p, nil)
}
