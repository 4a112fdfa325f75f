package backoffice

import (
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/gofiber/fiber/v2"
)

type auditData struct {
	Entries []audit.Entry
	Filter  audit.Filter
	Next    int
	Prev    int
}

const auditPage = 50

func (h *handlers) auditList(c *fiber.Ctx) error {
	p := h.page(c, "audit.title", "settings")
	f := audit.Filter{Action: c.Query("action"), Entity: c.Query("entity"), Limit: auditPage + 1, Offset: max(0, c.QueryInt("offset"))}
	entries, err := h.Audit.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	d := auditData{Entries: entries, Filter: f, Prev: max(0, f.Offset-auditPage)}
	if len(entries) > auditPage {
		d.Entries, d.Next = entries[:auditPage], f.Offset+auditPage
	}
	p.Data = d
	return h.tpl.Render(c, "settings_audit", p)
}
