package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type planDiffData struct {
	Plan     crm.Plan
	Diff     crm.PlanDiff
	Versions []crm.PlanVersion
}

// planDiff shows what changed in a plan between two versions (?from=,
// ?to=; 0 is the working version): by default from the latest frozen copy
// to the working lines.
func (h *handlers) planDiff(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	plan, err := h.Plans.GetFor(ctx, v, id)
	if err != nil {
		return err
	}
	versions, err := h.Plans.VersionsFor(ctx, v, id)
	if err != nil {
		return err
	}
	from, to := 0, 0
	if plan.LastFrozen != nil {
		from = plan.LastFrozen.Version
	}
	for name, dst := range map[string]*int{"from": &from, "to": &to} {
		if s := c.Query(name); s != "" {
			if *dst, err = strconv.Atoi(s); err != nil || *dst < 0 {
				return fiber.ErrNotFound
			}
		}
	}
	diff, err := h.Plans.DiffFor(ctx, v, id, from, to)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "ex.plan.diff")
	p.Nav = "plan"
	p.Data = planDiffData{Plan: plan, Diff: diff, Versions: versions}
	return h.tpl.Render(c, "plan_diff", p)
}
