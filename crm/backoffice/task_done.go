package backoffice

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// taskDone marks a task done (or open again) and goes back to the page of the button.
func (h *handlers) taskDone(done bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		if _, err := h.Tasks.SetDone(c.UserContext(), id, done); err != nil {
			return err
		}
		return c.Redirect(web.Back(c, "/tasks"), fiber.StatusSeeOther)
	}
}
