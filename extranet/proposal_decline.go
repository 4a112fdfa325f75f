package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// proposalDecline declines a proposal with the reason given.
func (h *handlers) proposalDecline(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := h.Proposals.DeclineFor(c.UserContext(), viewerOf(c), id, c.FormValue("reason")); err != nil {
		return h.proposalFailed(c, id, err)
	}
	web.Flash(c, "ex.proposals.declined")
	return c.Redirect("/proposals/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}
