package extranet

import (
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// planLineSave adds a line to plan :id, or changes line :line, while the plan is a draft.
func (h *handlers) planLineSave(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	p := web.NewPage(c, "ex.plan.line_new")
	var planID, lineID int64
	var action string
	if c.Params("line") != "" {
		if lineID, err = pathID(c, "line"); err != nil {
			return err
		}
		l, err := h.Plans.LineFor(ctx, v, lineID)
		if err != nil {
			return err
		}
		planID, action = l.PlanID, "/plan/lines/"+strconv.FormatInt(lineID, 10)
		p.Title = p.T("ex.plan.line_edit")
	} else {
		if planID, err = pathID(c, "id"); err != nil {
			return err
		}
		action = "/plan/" + strconv.FormatInt(planID, 10) + "/lines"
	}
	plan, err := h.Plans.GetFor(ctx, v, planID)
	if err != nil {
		return err
	}
	for _, k := range []string{"title", "department_id", "population", "trainees", "priority", "category", "period_from",
		"period_to", "estimated_cost", "funding_source", "notes"} {
		p.Form[k] = c.FormValue(k)
	}
	in := crm.PlanLineInput{Title: p.Form["title"], Population: p.Form["population"], Priority: p.Form["priority"],
		Category: p.Form["category"], FundingSource: p.Form["funding_source"], Notes: p.Form["notes"]}
	if s := p.Form["department_id"]; s != "" {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			in.DepartmentID = &id
		} else {
			p.Fields["department_id"] = p.T("error.invalid")
		}
	}
	if s := p.Form["trainees"]; s != "" {
		if in.Trainees, err = strconv.Atoi(s); err != nil {
			p.Fields["trainees"] = p.T("error.invalid")
		}
	}
	if cents, ok := i18n.ParseMoney(p.Form["estimated_cost"]); !ok {
		p.Fields["estimated_cost"] = p.T("error.euros")
	} else if cents != nil {
		in.EstimatedCostCents = *cents
	}
	for name, dst := range map[string]**time.Time{"period_from": &in.PeriodFrom, "period_to": &in.PeriodTo} {
		if *dst, err = wishDate(p.Form[name]); err != nil {
			p.Fields[name] = p.T("error.date_invalid")
		}
	}
	if len(p.Fields) == 0 {
		if lineID != 0 {
			_, err = h.Plans.UpdateLineFor(ctx, v, lineID, in)
		} else {
			_, err = h.Plans.AddLineFor(ctx, v, planID, in)
		}
		if err == nil {
			web.Flash(c, "ex.plan.line_saved")
			return c.Redirect("/plan?year="+strconv.Itoa(plan.Year), fiber.StatusSeeOther)
		}
		if !fieldErrors(p, err, map[string]string{"estimated_cost_cents": "estimated_cost"}) {
			return err
		}
	} else {
		p.Error = p.T("ex.form.errors")
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return h.renderPlanLineForm(c, p, v, planID, action)
}
