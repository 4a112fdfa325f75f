package extranet

import (
	"strings"

	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// planningFeedCreate gives the user a new private calendar feed (revoking
// the previous one) and shows its address, which is not kept: this page is
// the only time it can be read.
func (h *handlers) planningFeedCreate(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	token, err := h.CalendarFeeds.CreateFor(c.UserContext(), v)
	if err != nil {
		return err
	}
	month, err := planningMonth(c)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "ex.planning.title")
	p.Flash = p.T("ex.planning.feed_created")
	return h.renderPlanning(c, p, v, month, false, strings.TrimSuffix(h.PublicURL, "/")+"/ics/"+token+".ics")
}
