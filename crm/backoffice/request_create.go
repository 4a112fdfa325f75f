package backoffice

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// requestCreate records a client's need and opens its page.
func (h *handlers) requestCreate(c *fiber.Ctx) error {
	p := h.page(c, "requests.new", "requests")
	in, chosen, err := requestForm(c, p)
	if err != nil {
		return h.requestFormFailed(c, p, 0, chosen, err)
	}
	r, err := h.Requests.Create(c.UserContext(), in)
	if err != nil {
		return h.requestFormFailed(c, p, 0, chosen, err)
	}
	web.Flash(c, "requests.created")
	return c.Redirect(requestPath(r.ID), fiber.StatusSeeOther)
}
