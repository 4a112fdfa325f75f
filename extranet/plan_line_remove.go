package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// planLineRemove removes a line from a draft plan.
func (h *handlers) planLineRemove(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	lineID, err := pathID(c, "line")
	if err != nil {
		return err
	}
	l, err := h.Plans.LineFor(c.UserContext(), v, lineID)
	if err != nil {
		return err
	}
	plan, err := h.Plans.GetFor(c.UserContext(), v, l.PlanID)
	if err != nil {
		return err
	}
	if err := h.Plans.RemoveLineFor(c.UserContext(), v, lineID); err != nil {
		p := web.NewPage(c, "ex.plan.title")
		if !fieldErrors(p, err, nil) {
			return err
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderPlan(c, p, v, plan.Year)
	}
	web.Flash(c, "ex.plan.line_removed")
	return c.Redirect("/plan?year="+strconv.Itoa(plan.Year), fiber.StatusSeeOther)
}
