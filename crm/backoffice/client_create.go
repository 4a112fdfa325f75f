package backoffice

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) clientNew(c *fiber.Ctx) error {
	p := h.page(c, "clients.new", "clients")
	p.Form["status"], p.Form["country"] = crm.ClientProspect, "FR"
	p.Form["account_manager_id"] = strconv.FormatInt(p.User().ID, 10)
	return h.renderClientForm(c, p, 0)
}

// clientCreate adds a client and opens its page.
func (h *handlers) clientCreate(c *fiber.Ctx) error {
	p := h.page(c, "clients.new", "clients")
	in, err := clientForm(c, p)
	if err != nil {
		return h.clientFormFailed(c, p, 0, err)
	}
	cl, err := h.Clients.Create(c.UserContext(), in)
	if err != nil {
		return h.clientFormFailed(c, p, 0, err)
	}
	web.Flash(c, "clients.created")
	return c.Redirect(recordURL(crm.Ref{Type: crm.RecordClient, ID: cl.ID}), fiber.StatusSeeOther)
}
