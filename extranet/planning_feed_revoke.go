package extranet

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// planningFeedRevoke revokes the user's calendar feed: its address then answers 404.
func (h *handlers) planningFeedRevoke(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	if err := h.CalendarFeeds.RevokeFor(c.UserContext(), v); err != nil {
		return err
	}
	web.Flash(c, "ex.planning.feed_revoked")
	return c.Redirect("/planning", fiber.StatusSeeOther)
}
