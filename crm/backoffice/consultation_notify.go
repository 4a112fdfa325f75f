package backoffice

import (
	"github.com/gofiber/fiber/v2"
)

// consultationNotify thanks the providers whose answer was not retained,
// once each, by e-mail.
func (h *handlers) consultationNotify(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Requests.Get(c.UserContext(), id); err != nil {
		return err
	}
	if _, err := h.Consultations.NotifyNotRetained(c.UserContext(), id); err != nil {
		p := h.page(c, "requests.title", "requests")
		if !refused(p, err, "notify") {
			return err
		}
		return h.renderRequestFailed(c, p, id)
	}
	return redirectToRequest(c, id, "comparison", "consultations.notified")
}
