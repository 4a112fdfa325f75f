package extranet

import (
	"errors"
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type planShowData struct {
	Year       int
	Plan       *crm.Plan // nil when the company has no plan for Year
	Versions   []crm.PlanVersion
	Plans      []crm.Plan // every year's plan, for the year links
	CanEdit    bool
	Categories []string
	Sources    []string
}

// planYear reads the year of ?year= (this year in Paris by default); a
// year out of range or not a number is a 404.
func planYear(c *fiber.Ctx) (int, error) {
	s := c.Query("year")
	if s == "" {
		return time.Now().In(i18n.Paris).Year(), nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2000 || y > 2100 {
		return 0, fiber.ErrNotFound
	}
	return y, nil
}

// planShow shows the company's training plan of a year as the user may
// see it (a manager: their departments' lines), with its frozen versions;
// HR and training officers get the forms to change it. Employees: 404.
func (h *handlers) planShow(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	year, err := planYear(c)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "ex.plan.title")
	return h.renderPlan(c, p, v, year)
}

// renderPlan renders the plan page of year for v.
func (h *handlers) renderPlan(c *fiber.Ctx, p *web.Page, v crm.Viewer, year int) error {
	ctx := c.UserContext()
	plans, err := h.Plans.ListFor(ctx, v)
	if err != nil {
		return err
	}
	d := planShowData{Year: year, Plans: plans, CanEdit: v.CanEdit(crm.RecordPlan), Categories: crm.PlanCategories, Sources: crm.FundingSources}
	plan, err := h.Plans.ForYearFor(ctx, v, year)
	switch {
	case err == nil:
		d.Plan = &plan
		if d.Versions, err = h.Plans.VersionsFor(ctx, v, plan.ID); err != nil {
			return err
		}
	case !errors.Is(err, errs.ErrNotFound):
		return err
	}
	p.Nav = "plan"
	p.Title = p.T("ex.plan.title_year", year)
	p.Data = d
	return h.tpl.Render(c, "plan", p)
}
