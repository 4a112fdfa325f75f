package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/gofiber/fiber/v2"
)

// contactsPerPage is the size of a page of the contact list.
const contactsPerPage = 50

type contactListData struct {
	Rows  []crm.Contact
	Query string
	Side  string
	Pager pager
	// ExportURL downloads the whole filtered list as CSV.
	ExportURL string
}

// contactList lists contacts by name or e-mail address, of clients,
// providers or both (side).
func (h *handlers) contactList(c *fiber.Ctx) error {
	p := h.page(c, "contacts.title", "contacts")
	f := contactFilter(c)
	rows, total, err := h.Contacts.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	q := currentQuery(c)
	q.Del("page")
	p.Data = contactListData{Rows: rows, Query: f.Query, Side: f.Side, ExportURL: "/contacts.csv?" + q.Encode(),
		Pager: newPager(p.Lang, "/contacts", q, "page", "", f.Page.Number, contactsPerPage, total)}
	return h.tpl.Render(c, "contacts", p)
}

// contactFilter reads the list's filters from the query.
func contactFilter(c *fiber.Ctx) crm.ContactFilter {
	f := crm.ContactFilter{Query: c.Query("q"), Side: c.Query("side"), Page: crm.Page{Number: pageParam(c.Query("page")), Size: contactsPerPage}}
	if f.Side != crm.RecordClient && f.Side != crm.RecordProvider {
		f.Side = ""
	}
	return f
}

// contactExport downloads every contact of the list's filters.
func (h *handlers) contactExport(c *fiber.Ctx) error {
	f := contactFilter(c)
	contacts, err := exportAll(func(p crm.Page) ([]crm.Contact, int, error) {
		f.Page = p
		return h.Contacts.List(c.UserContext(), f)
	})
	if err != nil {
		return err
	}
	rows := make([][]string, len(contacts))
	for i, k := range contacts {
		side := i18n.T(i18n.FR, "contacts.side.client")
		if k.ProviderID != nil {
			side = i18n.T(i18n.FR, "contacts.side.provider")
		}
		rows[i] = []string{k.Civility, k.LastName, k.FirstName, k.OwnerName, side, k.JobTitle, k.PrimaryMail, k.PrimaryTel,
			k.Department, i18n.Date(i18n.FR, k.CreatedAt)}
	}
	return sendExport(c, "contacts.csv", []string{"contact.civility", "contact.last_name", "contact.first_name", "contact.owner",
		"contacts.side", "contact.job_title", "contact.emails", "contact.phones", "contact.department", "client.created_at"}, rows)
}
