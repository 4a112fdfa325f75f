package backoffice

import (
	"net/url"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// triageLimit is how many unknown-number calls the triage page shows.
const triageLimit = 100

type callTriageData struct {
	Calls      []callRow
	Query      string
	Candidates []crm.Contact // contacts matching Query, to assign calls to
	Back       string
}

type callRow struct {
	crm.Call
	Duration string
}

// callTriage lists the calls whose number matched no contact; a search by
// name offers the contacts to assign them to.
func (h *handlers) callTriage(c *fiber.Ctx) error {
	p := h.page(c, "calls.triage.title", "tasks")
	ctx := c.UserContext()
	calls, err := h.Calls.Triage(ctx, triageLimit)
	if err != nil {
		return err
	}
	d := callTriageData{Query: c.Query("q"), Back: "/calls/triage?" + url.Values{"q": {c.Query("q")}}.Encode()}
	for _, k := range calls {
		d.Calls = append(d.Calls, callRow{Call: k, Duration: formatDuration(k.DurationS)})
	}
	if d.Query != "" {
		if d.Candidates, _, err = h.Contacts.List(ctx, crm.ContactFilter{Query: d.Query, ActiveOnly: true, Page: crm.Page{Size: 20}}); err != nil {
			return err
		}
	}
	p.Data = d
	return h.tpl.Render(c, "calls_triage", p)
}

// callAssign links a triaged call to a contact, remembering the number if asked.
func (h *handlers) callAssign(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	contactID := optionalID(c.FormValue("contact_id"))
	if contactID == nil {
		return errs.NewInvalid("contact_id", "error.required")
	}
	if err := h.Calls.Assign(c.UserContext(), id, *contactID, c.FormValue("remember") != ""); err != nil {
		return err
	}
	web.Flash(c, "calls.assigned")
	return c.Redirect(web.Back(c, "/calls/triage"), fiber.StatusSeeOther)
}

// callDismiss takes a call out of the triage list (it stays in the history).
func (h *handlers) callDismiss(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Calls.Dismiss(c.UserContext(), id); err != nil {
		return err
	}
	web.Flash(c, "calls.dismissed")
	return c.Redirect(web.Back(c, "/calls/triage"), fiber.StatusSeeOther)
}
