package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// providersPerPage is the size of a page of the provider list.
const providersPerPage = 50

type providerListData struct {
	Rows        []providerRow
	Filter      crm.ProviderFilter
	Statuses    []string
	Regions     []crm.RefCode
	Departments []crm.RefCode
	Pager       pager
}

// providerList shows the providers matching the search (name words, NDA,
// SIREN or SIRET) and the status, region and department filters.
func (h *handlers) providerList(c *fiber.Ctx) error {
	return h.renderProviders(c, h.page(c, "providers.title", "providers"))
}

func (h *handlers) renderProviders(c *fiber.Ctx, p *web.Page) error {
	f := crm.ProviderFilter{Query: c.Query("q"), Status: c.Query("status"), Region: c.Query("region"),
		Department: c.Query("department"), Page: crm.Page{Number: pageParam(c.Query("page")), Size: providersPerPage}}
	rows, total, err := h.Providers.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	query := currentQuery(c)
	query.Del("page")
	p.Data = providerListData{Rows: providerRows(rows), Filter: f, Statuses: crm.ProviderStatuses, Regions: crm.Regions(),
		Departments: crm.Departments(), Pager: newPager(p.Lang, "/providers", query, "page", "", f.Page.Number, providersPerPage, total)}
	return h.tpl.Render(c, "providers", p)
}
