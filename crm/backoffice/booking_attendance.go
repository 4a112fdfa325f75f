package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// bookingAttendance saves the attendance grid (a mark per trainee and
// slot; blank cells are left as they were). The session is done once every
// cell has a mark.
func (h *handlers) bookingAttendance(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	b, err := h.Bookings.Get(ctx, id)
	if err != nil {
		return err
	}
	p := h.page(c, "bookings.title", "requests")
	var marks []crm.Mark
	for _, sl := range b.Slots {
		for _, e := range b.TraineeIDs {
			name := markName(sl.ID, e)
			p.Form[name] = c.FormValue(name)
			if p.Form[name] != "" {
				marks = append(marks, crm.Mark{SlotID: sl.ID, EmployeeID: e, Status: p.Form[name]})
			}
		}
	}
	if _, err := h.Bookings.RecordAttendance(ctx, id, marks); err != nil {
		if !refused(p, err, "attendance") {
			return err
		}
		return h.renderBookingFailed(c, p, id)
	}
	web.Flash(c, "attendance.saved")
	return c.Redirect("/bookings/"+itoa(id)+"#attendance", fiber.StatusSeeOther)
}
