package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// planReopen makes a frozen plan a draft again, as its next version.
func (h *handlers) planReopen(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	plan, err := h.Plans.ReopenFor(c.UserContext(), v, id)
	if err != nil {
		return err
	}
	web.Flash(c, "ex.plan.reopened")
	return c.Redirect("/plan?year="+strconv.Itoa(plan.Year), fiber.StatusSeeOther)
}
