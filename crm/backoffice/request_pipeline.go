package backoffice

import (
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/gofiber/fiber/v2"
)

type pipelineData struct {
	Columns []pipelineColumn
	Owner   int64 // 0: everybody's
	Staff   []auth.User
	Total   int
}

type pipelineColumn struct {
	Stage string
	Count int // every request in the stage; Items lists the longest in it
	More  int // the requests of the stage not listed
	Items []pipelineItem
}

// pipelineItem is an open request with the time it has spent in its stage.
type pipelineItem struct {
	crm.PipelineItem
	InStage string
}

// requestPipeline shows the open requests by stage, longest in their stage
// first, everybody's or one staff member's (owner, "me" for oneself).
func (h *handlers) requestPipeline(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p := h.page(c, "pipeline.title", "requests")
	d := pipelineData{Owner: int64(c.QueryInt("owner"))}
	if c.Query("owner") == "me" {
		d.Owner = p.User().ID
	}
	now := time.Now()
	cols, err := h.Requests.Pipeline(ctx, crm.PipelineFilter{OwnerID: d.Owner}, now)
	if err != nil {
		return err
	}
	for _, col := range cols {
		v := pipelineColumn{Stage: col.Stage, Count: col.Count}
		for _, it := range col.Items {
			v.Items = append(v.Items, pipelineItem{PipelineItem: it, InStage: sinceText(p.Lang, it.InStage)})
		}
		v.More = col.Count - len(v.Items)
		d.Total += col.Count
		d.Columns = append(d.Columns, v)
	}
	if d.Staff, err = h.Auth.ListUsers(ctx, 0); err != nil {
		return err
	}
	p.Data = d
	return h.tpl.Render(c, "requests_pipeline", p)
}
