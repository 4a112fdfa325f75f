package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type bookingPageData struct {
	Booking     crm.Booking
	Request     crm.Request
	Sheet       crm.AttendanceSheet
	Trainees    []traineeView
	Marks       []string
	CostBearers []string
	Ratings     []int
	Rating      int // the satisfaction given, 0 before
	Paperwork   sessionPaperwork
	Documents   documentsPanel
	panels
}

// traineeView is a trainee's row of the attendance grid: a cell per slot.
type traineeView struct {
	crm.TraineeAttendance
	Cells           []markCell
	Attended, Hours string
}

// markCell is a trainee's mark for a slot, with its input's name.
type markCell struct {
	Name, Mark string
	Slot       crm.Slot
}

func (h *handlers) bookingShow(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return h.renderBooking(c, h.page(c, "bookings.title", "requests"), id)
}

// renderBooking shows a session: its request, slots and trainees, the
// attendance grid with the hours each trainee attended, the status actions,
// the satisfaction rating once done, and its timeline.
func (h *handlers) renderBooking(c *fiber.Ctx, p *web.Page, id int64) error {
	ctx := c.UserContext()
	b, err := h.Bookings.Get(ctx, id)
	if err != nil {
		return err
	}
	r, err := h.Requests.Get(ctx, b.RequestID)
	if err != nil {
		return err
	}
	sheet, err := h.Bookings.Attendance(ctx, id)
	if err != nil {
		return err
	}
	d := bookingPageData{Booking: b, Request: r, Sheet: sheet, Marks: crm.AttendanceMarks, CostBearers: crm.CostBearers,
		Ratings: []int{1, 2, 3, 4, 5}}
	if b.Satisfaction != nil {
		d.Rating = *b.Satisfaction
	}
	for _, t := range sheet.Trainees {
		v := traineeView{TraineeAttendance: t, Attended: hoursText(p.Lang, t.HoursAttended), Hours: hoursText(p.Lang, t.HoursPlanned)}
		for i, sl := range sheet.Slots {
			name := markName(sl.ID, t.EmployeeID)
			mark := t.Marks[i]
			if v, ok := p.Form[name]; ok {
				mark = v // as typed, when the grid is shown again
			}
			v.Cells = append(v.Cells, markCell{Name: name, Mark: mark, Slot: sl})
		}
		d.Trainees = append(d.Trainees, v)
	}
	if d.Paperwork, err = h.loadSessionPaperwork(ctx, p.Lang, id); err != nil {
		return err
	}
	if d.Documents, err = h.loadDocumentsPanel(c, p.Lang, crm.Ref{Type: crm.RecordBooking, ID: id}, r.ClientID); err != nil {
		return err
	}
	ref := crm.Ref{Type: crm.RecordBooking, ID: id}
	n := h.newNames()
	n.set(ref, b.Title)
	links := []crm.Ref{ref, {Type: crm.RecordRequest, ID: r.ID}, {Type: crm.RecordClient, ID: r.ClientID}}
	if d.panels, err = h.loadPanels(c, p, ref, links, false, n); err != nil {
		return err
	}
	p.Title = b.Title
	p.Data = d
	return h.tpl.Render(c, "booking", p)
}

// markName is the input of a trainee's mark for a slot.
func markName(slotID, employeeID int64) string {
	return "mark_" + itoa(slotID) + "_" + itoa(employeeID)
}

// renderBookingFailed shows a booking again after one of its actions was refused.
func (h *handlers) renderBookingFailed(c *fiber.Ctx, p *web.Page, id int64) error {
	c.Status(fiber.StatusUnprocessableEntity)
	p.Path = "/bookings/" + itoa(id)
	return h.renderBooking(c, p, id)
}
