package backoffice

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// bookingConfirm marks a planned session as confirmed with the provider.
func (h *handlers) bookingConfirm(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Bookings.Confirm(c.UserContext(), id); err != nil {
		p := h.page(c, "bookings.title", "requests")
		if !refused(p, err, "confirm") {
			return err
		}
		return h.renderBookingFailed(c, p, id)
	}
	web.Flash(c, "bookings.confirmed")
	return c.Redirect("/bookings/"+itoa(id), fiber.StatusSeeOther)
}

// bookingCancel cancels a session with the reason and who bears its cost.
func (h *handlers) bookingCancel(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "bookings.title", "requests")
	p.Form["cancel_reason"], p.Form["cancel_cost_bearer"] = c.FormValue("reason"), c.FormValue("cost_bearer")
	if _, err := h.Bookings.Cancel(c.UserContext(), id, multiline(p.Form["cancel_reason"]), p.Form["cancel_cost_bearer"]); err != nil {
		if !refused(p, err, "cancel") {
			return err
		}
		return h.renderBookingFailed(c, p, id)
	}
	web.Flash(c, "bookings.cancelled")
	return c.Redirect("/bookings/"+itoa(id), fiber.StatusSeeOther)
}
