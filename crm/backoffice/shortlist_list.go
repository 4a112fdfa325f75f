package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

type shortlistData struct {
	Items []crm.ShortlistItem
}

// shortlistList shows the current user's shortlist, latest first.
func (h *handlers) shortlistList(c *fiber.Ctx) error {
	p := h.page(c, "shortlist.title", "search")
	items, err := h.Shortlists.List(c.UserContext(), p.User().ID)
	if err != nil {
		return err
	}
	p.Data = shortlistData{Items: items}
	return h.tpl.Render(c, "shortlist", p)
}
