package backoffice

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// requestUpdate saves the edited need and goes back to the request's page;
// its tracks move only through their own actions.
func (h *handlers) requestUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "requests.edit", "requests")
	in, chosen, err := requestForm(c, p)
	if err != nil {
		return h.requestFormFailed(c, p, id, chosen, err)
	}
	if _, err := h.Requests.Update(c.UserContext(), id, in); err != nil {
		return h.requestFormFailed(c, p, id, chosen, err)
	}
	web.Flash(c, "requests.saved")
	return c.Redirect(requestPath(id), fiber.StatusSeeOther)
}
