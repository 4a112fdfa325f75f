package extranet

import (
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// planFreeze freezes the plan after the works council's consultation, on
// the CSE date given; errors show next to the date.
func (h *handlers) planFreeze(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	plan, err := h.Plans.GetFor(c.UserContext(), v, id)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "ex.plan.title")
	p.Form["cse_date"] = c.FormValue("cse_date")
	var cse time.Time
	if d, ok := dateInput(p.Form["cse_date"]); !ok {
		p.Fields["cse_date"] = p.T("error.date_invalid")
	} else if d != "" {
		cse, _ = time.Parse(time.DateOnly, d)
	}
	if len(p.Fields) == 0 {
		if _, err = h.Plans.FreezeFor(c.UserContext(), v, id, cse); err == nil {
			web.Flash(c, "ex.plan.frozen")
			return c.Redirect("/plan?year="+strconv.Itoa(plan.Year), fiber.StatusSeeOther)
		}
		if !fieldErrors(p, err, map[string]string{"lines": "cse_date"}) {
			return err
		}
	} else {
		p.Error = p.T("ex.form.errors")
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return h.renderPlan(c, p, v, plan.Year)
}
