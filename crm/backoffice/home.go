package backoffice

import (
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/gofiber/fiber/v2"
)

type homeData struct {
	Clients int
	Recent  []audit.Entry
}

func (h *handlers) home(c *fiber.Ctx) error {
	p := h.page(c, "home.title", "home")
	n, err := h.Clients.Count(c.UserContext())
	if err != nil {
		return err
	}
	recent, err := h.Audit.List(c.UserContext(), audit.Filter{Limit: 8})
	if err != nil {
		return err
	}
	p.Data = homeData{Clients: n, Recent: recent}
	return h.tpl.Render(c, "home", p)
}
