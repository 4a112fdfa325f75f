package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// planCreate opens the company's plan for a year (HR, training officer).
func (h *handlers) planCreate(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(c.FormValue("year"))
	if err != nil {
		return fiber.ErrUnprocessableEntity
	}
	_, err = h.Plans.CreateFor(c.UserContext(), v, crm.PlanInput{Year: year, Title: c.FormValue("title")})
	if err == nil {
		web.Flash(c, "ex.plan.created")
		return c.Redirect("/plan?year="+strconv.Itoa(year), fiber.StatusSeeOther)
	}
	p := web.NewPage(c, "ex.plan.title")
	if !fieldErrors(p, err, nil) || year < 2000 || year > 2100 {
		return err
	}
	p.Form["title"] = c.FormValue("title")
	c.Status(fiber.StatusUnprocessableEntity)
	return h.renderPlan(c, p, v, year)
}
