package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// callFields are the inputs of the "log a call" form of a contact page.
var callFields = []string{"call_contact_id", "call_direction", "call_number", "call_started_at", "call_duration", "call_outcome", "call_note"}

// callLog records a call with a contact, typed on the contact's page.
func (h *handlers) callLog(c *fiber.Ctx) error {
	p := h.page(c, "contacts.title", "contacts")
	for _, f := range callFields {
		p.Form[f] = c.FormValue(f)
	}
	contactID := optionalID(p.Form["call_contact_id"])
	if contactID == nil {
		return errs.NewInvalid("contact_id", "error.required")
	}
	ref := crm.Ref{Type: crm.RecordContact, ID: *contactID}
	started, ok := parisDateTime(p.Form["call_started_at"])
	if !ok {
		p.Fields["call_started_at"] = p.T("error.datetime_invalid")
	}
	duration, ok := durationInput(p.Form["call_duration"])
	if !ok {
		p.Fields["call_duration"] = p.T("error.duration_invalid")
	}
	if len(p.Fields) > 0 {
		return h.renderRecord(c, p, ref)
	}
	_, _, err := h.Calls.Log(c.UserContext(), crm.CallInput{Direction: p.Form["call_direction"], Number: p.Form["call_number"],
		ContactID: contactID, StartedAt: started, DurationS: duration, Outcome: p.Form["call_outcome"], Note: p.Form["call_note"]})
	if err != nil {
		if !fieldErrors(p, err, "call_") {
			return err
		}
		return h.renderRecord(c, p, ref)
	}
	web.Flash(c, "calls.logged")
	return c.Redirect(recordURL(ref)+"#timeline", fiber.StatusSeeOther)
}
