package backoffice

import (
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// consultationRemind sends a consultation again with a new link and due
// date (older links stop working), and goes back to the page of the button.
func (h *handlers) consultationRemind(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	k, err := h.Consultations.Get(ctx, id)
	if err != nil {
		return err
	}
	p := h.page(c, "requests.title", "requests")
	key := "remind_" + itoa(id)
	p.Form[key+"_due_at"] = c.FormValue("due_at")
	due, ok := dueInput(p.Form[key+"_due_at"])
	if !ok {
		err = errs.NewInvalid("due_at", "error.date_invalid")
	} else {
		_, err = h.Consultations.Remind(ctx, id, due)
	}
	if err != nil {
		if !refused(p, err, key) {
			return err
		}
		return h.renderRequestFailed(c, p, k.RequestID)
	}
	web.Flash(c, "consultations.reminded")
	return c.Redirect(web.Back(c, requestAnchor(k.RequestID, "consultation", id)), fiber.StatusSeeOther)
}
