package backoffice

import (
	"github.com/gofiber/fiber/v2"
)

// consultationRetain marks an answer as retained for the proposal, or not
// any more ("retained" is "1" or "0").
func (h *handlers) consultationRetain(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	k, err := h.Consultations.Get(ctx, id)
	if err != nil {
		return err
	}
	if _, err := h.Consultations.Retain(ctx, id, c.FormValue("retained") == "1"); err != nil {
		p := h.page(c, "requests.title", "requests")
		if !refused(p, err, "retain_"+itoa(id)) {
			return err
		}
		return h.renderRequestFailed(c, p, k.RequestID)
	}
	return redirectToRequest(c, k.RequestID, "comparison", "")
}
