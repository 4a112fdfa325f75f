package backoffice

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type contactPageData struct {
	Contact  crm.Contact
	Owner    recordLink
	Outcomes []string
	panels
}

func (h *handlers) contactShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return h.renderContact(c, h.page(c, "contacts.title", "contacts"), id)
}

// renderContact shows a contact: identity, e-mails and phones, tasks, the
// forms to log a call and add a task or note, and its timeline.
func (h *handlers) renderContact(c *fiber.Ctx, p *web.Page, id int64) error {
	k, err := h.Contacts.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	ref, owner := crm.Ref{Type: crm.RecordContact, ID: id}, k.Owner()
	n := h.newNames()
	n.set(ref, k.Name())
	n.set(owner, k.OwnerName)
	d := contactPageData{Contact: k, Owner: n.known[owner], Outcomes: crm.CallOutcomes}
	// Tasks of a contact are also its company's.
	if d.panels, err = h.loadPanels(c, p, ref, []crm.Ref{ref, owner}, false, n); err != nil {
		return err
	}
	setDefault(p.Form, "call_contact_id", strconv.FormatInt(id, 10))
	setDefault(p.Form, "call_direction", "out")
	setDefault(p.Form, "call_outcome", "answered")
	if len(k.Phones) > 0 {
		setDefault(p.Form, "call_number", k.Phones[0].Number)
	}
	p.Title = k.Name()
	p.Data = d
	return h.tpl.Render(c, "contact", p)
}
