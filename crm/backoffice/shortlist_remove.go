package backoffice

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// shortlistRemove takes an item off the user's shortlist; another user's
// item is not found.
func (h *handlers) shortlistRemove(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Shortlists.Remove(c.UserContext(), web.SessionOf(c).User.ID, id); err != nil {
		return err
	}
	web.Flash(c, "shortlist.removed")
	return c.Redirect("/shortlist", fiber.StatusSeeOther)
}
