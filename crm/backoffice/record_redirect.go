package backoffice

import (
	"github.com/gofiber/fiber/v2"
)

// consultationShow goes to the consultation on its request's page, where
// consultations are shown (timeline links point here).
func (h *handlers) consultationShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	k, err := h.Consultations.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.Redirect(requestAnchor(k.RequestID, "consultation", id), fiber.StatusSeeOther)
}

// proposalShow goes to the proposal on its request's page.
func (h *handlers) proposalShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	o, err := h.Proposals.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.Redirect(requestAnchor(o.RequestID, "proposal", id), fiber.StatusSeeOther)
}
