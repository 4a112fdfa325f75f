package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type providerPageData struct {
	Provider crm.Provider
	Contacts []crm.Contact
	panels
}

func (h *handlers) providerShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return h.renderProvider(c, h.page(c, "providers.title", "providers"), id)
}

// renderProvider shows a provider: its contacts, tasks and the timeline of
// the provider and its contacts.
func (h *handlers) renderProvider(c *fiber.Ctx, p *web.Page, id int64) error {
	ctx := c.UserContext()
	pr, err := h.Providers.Get(ctx, id)
	if err != nil {
		return err
	}
	d := providerPageData{Provider: pr}
	if d.Contacts, _, err = h.Contacts.List(ctx, crm.ContactFilter{ProviderID: id, Page: crm.Page{Size: 500}}); err != nil {
		return err
	}
	ref := crm.Ref{Type: crm.RecordProvider, ID: id}
	n := h.newNames()
	n.set(ref, pr.Name)
	if d.panels, err = h.loadPanels(c, p, ref, []crm.Ref{ref}, true, n); err != nil {
		return err
	}
	p.Title = pr.Name
	p.Data = d
	return h.tpl.Render(c, "provider", p)
}
