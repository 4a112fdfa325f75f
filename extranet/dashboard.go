package extranet

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// dashboard shows the signed-in user's company; the needs, sessions,
// proposals and budgets arrive with the extranet issue.
func (h *handlers) dashboard(c *fiber.Ctx) error {
	p := web.NewPage(c, "ex.dashboard.title")
	p.Nav = "dashboard"
	client, err := h.Clients.Get(c.UserContext(), p.User().ClientID)
	if err != nil {
		return err
	}
	p.Data = struct{ Client crm.Client }{client}
	return h.tpl.Render(c, "dashboard", p)
}
