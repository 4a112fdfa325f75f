package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type planLineFormData struct {
	Plan        crm.Plan
	Action      string
	Departments []crm.Department
	Priorities  []string
	Categories  []string
	Sources     []string
}

// planLineForm shows the form of a new line of plan :id, or of line :line.
func (h *handlers) planLineForm(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "ex.plan.line_new")
	planID, action := int64(0), ""
	if c.Params("line") != "" {
		lineID, err := pathID(c, "line")
		if err != nil {
			return err
		}
		l, err := h.Plans.LineFor(c.UserContext(), v, lineID)
		if err != nil {
			return err
		}
		planLineFill(p, l.PlanLineInput)
		p.Title = p.T("ex.plan.line_edit")
		planID, action = l.PlanID, "/plan/lines/"+strconv.FormatInt(lineID, 10)
	} else {
		if planID, err = pathID(c, "id"); err != nil {
			return err
		}
		p.Form["trainees"], p.Form["priority"] = "1", "normal"
		action = "/plan/" + strconv.FormatInt(planID, 10) + "/lines"
	}
	return h.renderPlanLineForm(c, p, v, planID, action)
}

// renderPlanLineForm renders the line form; a user who may not edit plans gets 403 (404 if they do not see them).
func (h *handlers) renderPlanLineForm(c *fiber.Ctx, p *web.Page, v crm.Viewer, planID int64, action string) error {
	plan, err := h.Plans.GetFor(c.UserContext(), v, planID)
	if err != nil {
		return err
	}
	if !v.CanEdit(crm.RecordPlan) {
		return fiber.ErrForbidden
	}
	depts, err := h.Establishments.Departments(c.UserContext(), v.ClientID)
	if err != nil {
		return err
	}
	p.Nav = "plan"
	p.Data = planLineFormData{Plan: plan, Action: action, Departments: depts, Priorities: crm.RequestPriorities,
		Categories: crm.PlanCategories, Sources: crm.FundingSources}
	return h.tpl.Render(c, "plan_line", p)
}

// planLineFill puts a line's values in the form.
func planLineFill(p *web.Page, in crm.PlanLineInput) {
	p.Form["title"], p.Form["population"], p.Form["notes"] = in.Title, in.Population, in.Notes
	p.Form["priority"], p.Form["category"], p.Form["funding_source"] = in.Priority, in.Category, in.FundingSource
	p.Form["trainees"] = strconv.Itoa(in.Trainees)
	p.Form["estimated_cost"] = strconv.FormatFloat(float64(in.EstimatedCostCents)/100, 'f', 2, 64)
	if in.DepartmentID != nil {
		p.Form["department_id"] = strconv.FormatInt(*in.DepartmentID, 10)
	}
	if in.PeriodFrom != nil {
		p.Form["period_from"] = in.PeriodFrom.Format("2006-01-02")
	}
	if in.PeriodTo != nil {
		p.Form["period_to"] = in.PeriodTo.Format("2006-01-02")
	}
}
