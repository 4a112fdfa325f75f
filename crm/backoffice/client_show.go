package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// employeesPerPage is the size of a page of a client's employees, and
// clientRequests how many of its latest requests the client page lists.
const (
	employeesPerPage = 25
	clientRequests   = 10
)

type clientPageData struct {
	Client         crm.Client
	Establishments []crm.Establishment
	Departments    []crm.Department
	Contacts       []crm.Contact
	Employees      []crm.Employee
	EmployeeQuery  string
	EmployeePager  pager
	Requests       []crm.Request
	RequestTotal   int
	Documents      documentsPanel
	ExtranetUsers  []auth.User
	ExtranetRoles  []string
	Style          crm.DocumentStyle
	StyleChoices   []variantChoice
	panels
}

func (h *handlers) clientShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return h.renderClient(c, h.page(c, "clients.title", "clients"), id)
}

// renderClient shows a client's page: identity, establishments,
// departments, contacts, employees, tasks and the timeline of the company
// and its contacts.
func (h *handlers) renderClient(c *fiber.Ctx, p *web.Page, id int64) error {
	ctx := c.UserContext()
	cl, err := h.Clients.Get(ctx, id)
	if err != nil {
		return err
	}
	d := clientPageData{Client: cl, EmployeeQuery: c.Query("eq")}
	if d.Establishments, err = h.Establishments.List(ctx, id); err != nil {
		return err
	}
	if d.Departments, err = h.Establishments.Departments(ctx, id); err != nil {
		return err
	}
	if d.Contacts, _, err = h.Contacts.List(ctx, crm.ContactFilter{ClientID: id, Page: crm.Page{Size: 500}}); err != nil {
		return err
	}
	epage := pageParam(c.Query("epage"))
	employees, total, err := h.Employees.List(ctx, id, crm.EmployeeFilter{Query: d.EmployeeQuery,
		Page: crm.Page{Number: epage, Size: employeesPerPage}})
	if err != nil {
		return err
	}
	d.Employees = employees
	q := currentQuery(c)
	q.Del("epage")
	d.EmployeePager = newPager(p.Lang, recordURL(crm.Ref{Type: crm.RecordClient, ID: id}), q, "epage", "employees", epage, employeesPerPage, total)

	if d.Requests, d.RequestTotal, err = h.Requests.List(ctx, crm.RequestFilter{ClientID: id, Page: crm.Page{Size: clientRequests}}); err != nil {
		return err
	}

	if h.ExtranetAuth != nil {
		if d.ExtranetUsers, err = h.ExtranetAuth.ListUsers(ctx, id); err != nil {
			return err
		}
		d.ExtranetRoles = auth.Extranet.Roles
	}
	if d.Documents, err = h.loadDocumentsPanel(c, p.Lang, crm.Ref{Type: crm.RecordClient, ID: id}, id); err != nil {
		return err
	}
	if d.Style, err = h.Clients.DocumentStyle(ctx, id); err != nil {
		return err
	}
	d.StyleChoices = styleChoices(d.Style)

	ref := crm.Ref{Type: crm.RecordClient, ID: id}
	n := h.newNames()
	n.set(ref, cl.LegalName)
	if d.panels, err = h.loadPanels(c, p, ref, []crm.Ref{ref}, true, n); err != nil {
		return err
	}
	p.Title = cl.LegalName
	p.Data = d
	return h.tpl.Render(c, "client", p)
}
