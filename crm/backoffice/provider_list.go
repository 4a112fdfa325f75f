package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// providersPerPage is the size of a page of the provider list.
const providersPerPage = 50

type providerListData struct {
	Rows  []crm.Provider
	Query string
	Pager pager
}

func (h *handlers) providerList(c *fiber.Ctx) error {
	return h.renderProviders(c, h.page(c, "providers.title", "providers"))
}

func (h *handlers) renderProviders(c *fiber.Ctx, p *web.Page) error {
	q, page := c.Query("q"), pageParam(c.Query("page"))
	rows, total, err := h.Providers.List(c.UserContext(), crm.ProviderFilter{Query: q, Page: crm.Page{Number: page, Size: providersPerPage}})
	if err != nil {
		return err
	}
	query := currentQuery(c)
	query.Del("page")
	p.Data = providerListData{Rows: rows, Query: q, Pager: newPager(p.Lang, "/providers", query, "page", "", page, providersPerPage, total)}
	return h.tpl.Render(c, "providers", p)
}

// providerCreate adds a provider by its name and opens its page.
func (h *handlers) providerCreate(c *fiber.Ctx) error {
	pr, err := h.Providers.Create(c.UserContext(), crm.ProviderInput{Name: c.FormValue("name")})
	if err != nil {
		p := h.page(c, "providers.title", "providers")
		if !fieldErrors(p, err, "") {
			return err
		}
		c.Status(fiber.StatusUnprocessableEntity)
		p.Form["name"] = c.FormValue("name")
		return h.renderProviders(c, p)
	}
	web.Flash(c, "providers.created")
	return c.Redirect(recordURL(crm.Ref{Type: crm.RecordProvider, ID: pr.ID}), fiber.StatusSeeOther)
}
