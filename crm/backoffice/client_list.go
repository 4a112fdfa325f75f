package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/gofiber/fiber/v2"
)

// clientsPerPage is the size of a page of the client list.
const clientsPerPage = 50

type clientListData struct {
	Rows      []crm.ClientRow
	Query     string
	Status    string
	Manager   int64
	Statuses  []string
	Staff     []auth.User
	Pager     pager
	ExportURL string
}

// clientFilter reads the client list's filters from the query: q, status, manager.
func clientFilter(c *fiber.Ctx) crm.ClientFilter {
	return crm.ClientFilter{Query: c.Query("q"), Status: c.Query("status"), AccountManagerID: int64(c.QueryInt("manager")),
		Page: crm.Page{Number: pageParam(c.Query("page")), Size: clientsPerPage}}
}

func (h *handlers) clientList(c *fiber.Ctx) error {
	p := h.page(c, "clients.title", "clients")
	f := clientFilter(c)
	rows, total, err := h.Clients.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	staff, err := h.Auth.ListUsers(c.UserContext(), 0)
	if err != nil {
		return err
	}
	q := currentQuery(c)
	q.Del("page")
	p.Data = clientListData{Rows: rows, Query: f.Query, Status: f.Status, Manager: f.AccountManagerID,
		Statuses: crm.ClientStatuses, Staff: staff, ExportURL: "/clients.csv?" + q.Encode(),
		Pager: newPager(p.Lang, "/clients", q, "page", "", f.Page.Number, clientsPerPage, total)}
	return h.tpl.Render(c, "clients", p)
}
