package extranet

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type wishFormData struct {
	Employees []crm.Employee // whom the user may submit for; empty: their own record only
}

// wishForm shows the form of a new individual request.
func (h *handlers) wishForm(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "ex.wish.new")
	p.Nav = "wishes"
	return h.renderWishForm(c, p, v)
}

// renderWishForm renders the form with the employees v may submit for.
func (h *handlers) renderWishForm(c *fiber.Ctx, p *web.Page, v crm.Viewer) error {
	var d wishFormData
	if v.Role != crm.RoleEmployee {
		list, _, err := h.Employees.ListFor(c.UserContext(), v, crm.EmployeeFilter{ActiveOnly: true, Page: crm.Page{Size: 500}})
		if err != nil {
			return err
		}
		d.Employees = list
	}
	p.Data = d
	return h.tpl.Render(c, "wish_form", p)
}
