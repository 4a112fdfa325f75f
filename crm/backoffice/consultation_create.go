package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/gofiber/fiber/v2"
)

// consultationCreate consults the ticked providers of the user's shortlist
// about a request in one action: one consultation and one e-mail each.
// Consultations whose mail failed stay to be sent again with a reminder.
func (h *handlers) consultationCreate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p := h.page(c, "shortlist.title", "search")
	for _, f := range []string{"request_id", "due_at", "message"} {
		p.Form[f] = c.FormValue(f)
	}
	ids := idList(formValues(c, "item"))
	chosen := map[int64]bool{}
	for _, id := range ids {
		chosen[id] = true
	}
	requestID := optionalID(p.Form["request_id"])
	if requestID == nil {
		refused(p, errs.NewInvalid("request_id", "error.required"), "consult")
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderShortlist(c, p, chosen)
	}
	due, ok := dueInput(p.Form["due_at"])
	if !ok {
		refused(p, errs.NewInvalid("due_at", "error.date_invalid"), "consult")
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderShortlist(c, p, chosen)
	}
	items, err := h.Shortlists.List(ctx, p.User().ID)
	if err != nil {
		return err
	}
	var targets []crm.ConsultTarget
	if len(ids) > 0 { // no id would mean every item
		targets = crm.ShortlistTargets(items, ids...)
	}
	made, err := h.Consultations.Consult(ctx, crm.ConsultInput{RequestID: *requestID, Targets: targets, DueAt: due,
		Message: multiline(p.Form["message"])})
	switch {
	case err != nil && len(made) > 0:
		h.Logger.Warn("consultation mail", "request", *requestID, "err", err)
		return redirectToRequest(c, *requestID, "consultations", "consultations.sent_mail_failed")
	case err != nil:
		if !refused(p, err, "consult") {
			return err
		}
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderShortlist(c, p, chosen)
	}
	return redirectToRequest(c, *requestID, "consultations", "consultations.sent")
}
