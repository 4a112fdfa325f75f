package backoffice

import (
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// apiSlot is a half-day of a session: its day as a full-date and its length.
type apiSlot struct {
	crm.Slot
	Day     apiDay `json:"day"`
	Minutes int    `json:"minutes"`
}

func apiSlots(list []crm.Slot) []apiSlot {
	out := make([]apiSlot, 0, len(list))
	for _, s := range list {
		out = append(out, apiSlot{Slot: s, Day: apiDay(s.Day), Minutes: s.Minutes()})
	}
	return out
}

// apiBooking is a booking in JSON. Lists leave out slots and trainees.
type apiBooking struct {
	crm.Booking
	Slots      []apiSlot `json:"slots,omitempty"`
	TraineeIDs []int64   `json:"trainee_ids,omitempty"`
}

func newAPIBooking(b crm.Booking) apiBooking {
	out := apiBooking{Booking: b, TraineeIDs: b.TraineeIDs}
	if len(b.Slots) > 0 {
		out.Slots = apiSlots(b.Slots)
	}
	return out
}

func sendBooking(c *fiber.Ctx, status int, b crm.Booking) error {
	return c.Status(status).JSON(newAPIBooking(b))
}

// apiSlotInput is a slot in a body, its day a full-date.
type apiSlotInput struct {
	Day   apiDate `json:"day"`
	Half  string  `json:"half"`
	Start string  `json:"start"`
	End   string  `json:"end"`
}

type apiBookingInput struct {
	crm.BookingInput
	Slots []apiSlotInput `json:"slots"`
}

// queryDay reads an optional YYYY-MM-DD of the query.
func queryDay(c *fiber.Ctx, name string) (*time.Time, error) {
	s := c.Query(name)
	if s == "" {
		return nil, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
	if err != nil {
		return nil, invalid(name, "error.date_invalid")
	}
	return &d, nil
}

// apiBookingList filters by request_id, client_id, provider_id, status and
// the days of the slots (from, to), latest first.
func (h *handlers) apiBookingList(c *fiber.Ctx) error {
	f := crm.BookingFilter{Status: c.Query("status"), Page: apiPage(c)}
	var err error
	for name, p := range map[string]*int64{"request_id": &f.RequestID, "client_id": &f.ClientID, "provider_id": &f.ProviderID} {
		if *p, err = idParam(c, name); err != nil {
			return err
		}
	}
	if f.From, err = queryDay(c, "from"); err != nil {
		return err
	}
	if f.To, err = queryDay(c, "to"); err != nil {
		return err
	}
	rows, total, err := h.Bookings.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	items := make([]apiBooking, 0, len(rows))
	for _, b := range rows {
		items = append(items, newAPIBooking(b))
	}
	return c.JSON(newAPIList(items, total, f.Page))
}

// apiBookingCreate books a session from a line of an accepted proposal.
func (h *handlers) apiBookingCreate(c *fiber.Ctx) error {
	var in apiBookingInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b := in.BookingInput
	for _, s := range in.Slots {
		b.Slots = append(b.Slots, crm.Slot{Day: s.Day.Time, Half: s.Half, Start: s.Start, End: s.End})
	}
	booking, err := h.Bookings.Create(c.UserContext(), b)
	if err != nil {
		return err
	}
	return sendBooking(c, fiber.StatusCreated, booking)
}

func (h *handlers) apiBookingGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	b, err := h.Bookings.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return sendBooking(c, fiber.StatusOK, b)
}

// apiBookingConfirm marks a planned session as confirmed with the provider.
func (h *handlers) apiBookingConfirm(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	b, err := h.Bookings.Confirm(c.UserContext(), id)
	if err != nil {
		return err
	}
	return sendBooking(c, fiber.StatusOK, b)
}

// apiBookingCancel cancels a session, saying why and who bears its cost.
func (h *handlers) apiBookingCancel(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Reason     string `json:"reason"`
		CostBearer string `json:"cost_bearer"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b, err := h.Bookings.Cancel(c.UserContext(), id, in.Reason, in.CostBearer)
	if err != nil {
		return err
	}
	return sendBooking(c, fiber.StatusOK, b)
}

// apiAttendance is a booking's attendance sheet in JSON.
type apiAttendance struct {
	crm.AttendanceSheet
	Slots    []apiSlot               `json:"slots"`
	Trainees []crm.TraineeAttendance `json:"trainees"`
}

func sendAttendance(c *fiber.Ctx, s crm.AttendanceSheet) error {
	out := apiAttendance{AttendanceSheet: s, Slots: apiSlots(s.Slots), Trainees: s.Trainees}
	if out.Trainees == nil {
		out.Trainees = []crm.TraineeAttendance{}
	}
	return c.JSON(out)
}

func (h *handlers) apiAttendanceGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	s, err := h.Bookings.Attendance(c.UserContext(), id)
	if err != nil {
		return err
	}
	return sendAttendance(c, s)
}

// apiAttendancePut saves marks (a mark given again replaces the previous
// one); the session is done once every trainee has a mark on every slot.
func (h *handlers) apiAttendancePut(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Marks []crm.Mark `json:"marks"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	s, err := h.Bookings.RecordAttendance(c.UserContext(), id, in.Marks)
	if err != nil {
		return err
	}
	return sendAttendance(c, s)
}

// apiBookingRate records staff's satisfaction rating (1–5) of a done session.
func (h *handlers) apiBookingRate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Satisfaction int `json:"satisfaction"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	b, err := h.Bookings.Rate(c.UserContext(), id, in.Satisfaction)
	if err != nil {
		return err
	}
	return sendBooking(c, fiber.StatusOK, b)
}
