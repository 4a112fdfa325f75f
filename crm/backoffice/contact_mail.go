package backoffice

import (
	"fmt"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// contactMail sends an e-mail to a contact from their page; it is logged on
// the contact and their company, and answers thread back to it.
func (h *handlers) contactMail(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	k, err := h.Contacts.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	if len(k.Emails) == 0 {
		return errs.NewInvalid("to", "mail.no_address")
	}
	_, err = h.Mail.Send(c.UserContext(), crm.Outgoing{
		To:      []crm.MailAddress{{Name: k.Name(), Email: k.Emails[0]}},
		Subject: strings.TrimSpace(c.FormValue("subject")),
		Text:    c.FormValue("body"),
		Links:   []crm.Ref{{Type: crm.RecordContact, ID: k.ID}, k.Owner()},
	})
	if err != nil {
		return err
	}
	web.Flash(c, "mail.sent")
	return c.Redirect(fmt.Sprintf("/contacts/%d#timeline", id), fiber.StatusSeeOther)
}
