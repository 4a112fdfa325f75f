package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) clientEdit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cl, err := h.Clients.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := h.page(c, "clients.edit", "clients")
	p.Title = p.T("clients.edit_of", cl.LegalName)
	fillClientForm(p, cl)
	return h.renderClientForm(c, p, id)
}

// clientUpdate saves the edited client and goes back to its page.
func (h *handlers) clientUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "clients.edit", "clients")
	in, err := clientForm(c, p)
	if err != nil {
		return h.clientFormFailed(c, p, id, err)
	}
	if _, err := h.Clients.Update(c.UserContext(), id, in); err != nil {
		return h.clientFormFailed(c, p, id, err)
	}
	web.Flash(c, "clients.saved")
	return c.Redirect(recordURL(crm.Ref{Type: crm.RecordClient, ID: id}), fiber.StatusSeeOther)
}
