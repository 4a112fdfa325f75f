package backoffice

import (
	"strconv"

	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// bookingRate records the satisfaction (1 to 5) of a done session; it feeds
// the provider's quality score.
func (h *handlers) bookingRate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(c.FormValue("satisfaction"))
	if _, err := h.Bookings.Rate(c.UserContext(), id, n); err != nil {
		p := h.page(c, "bookings.title", "requests")
		if !refused(p, err, "rate") {
			return err
		}
		return h.renderBookingFailed(c, p, id)
	}
	web.Flash(c, "bookings.rated")
	return c.Redirect("/bookings/"+itoa(id)+"#satisfaction", fiber.StatusSeeOther)
}
