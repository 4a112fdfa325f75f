package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// contactsPerPage is the size of a page of the contact list.
const contactsPerPage = 50

type contactListData struct {
	Rows  []crm.Contact
	Query string
	Side  string
	Pager pager
}

// contactList lists contacts by name or e-mail address, of clients,
// providers or both (side).
func (h *handlers) contactList(c *fiber.Ctx) error {
	p := h.page(c, "contacts.title", "contacts")
	f := crm.ContactFilter{Query: c.Query("q"), Side: c.Query("side"), Page: crm.Page{Number: pageParam(c.Query("page")), Size: contactsPerPage}}
	if f.Side != crm.RecordClient && f.Side != crm.RecordProvider {
		f.Side = ""
	}
	rows, total, err := h.Contacts.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	q := currentQuery(c)
	q.Del("page")
	p.Data = contactListData{Rows: rows, Query: f.Query, Side: f.Side,
		Pager: newPager(p.Lang, "/contacts", q, "page", "", f.Page.Number, contactsPerPage, total)}
	return h.tpl.Render(c, "contacts", p)
}
