package backoffice

import (
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/gofiber/fiber/v2"
)

// homeWaiting is how many requests waiting on the user the home page lists.
const homeWaiting = 8

type homeData struct {
	Clients      int
	Recent       []audit.Entry
	Waiting      []waitingView
	WaitingTotal int
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
	d := homeData{Clients: n, Recent: recent}
	// Requests is nil only in apps built without the CRM services (some tests).
	if h.Requests != nil {
		waiting, err := h.waitingOn(c, p.User().ID)
		if err != nil {
			return err
		}
		d.Waiting, d.WaitingTotal = waiting[:min(len(waiting), homeWaiting)], len(waiting)
	}
	p.Data = d
	return h.tpl.Render(c, "home", p)
}
