package backoffice

import (
	"cmp"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// bookingFields are the single-valued inputs of the booking form; the
// slot_* inputs and trainee_ids repeat.
var bookingFields = []string{"proposal_line_id", "title", "remote", "place", "remote_url", "price"}

// blankSlotRows are the empty half-day rows the form offers, and how many
// more the "more rows" button adds (the form works without JavaScript).
const blankSlotRows = 4

// slotRow is one row of the slot editor, as typed.
type slotRow struct {
	Day, Half, Start, End string
}

type bookingFormData struct {
	Proposal  crm.Proposal
	Request   crm.Request
	Employees []crm.Employee
	Chosen    map[int64]bool
	Slots     []slotRow
	Halves    []string
}

// newSlotRows are blank rows: mornings and afternoons with usual hours.
func newSlotRows(n int) []slotRow {
	rows := make([]slotRow, n)
	for i := range rows {
		rows[i] = slotRow{Half: crm.Morning, Start: "09:00", End: "12:30"}
		if i%2 == 1 {
			rows[i] = slotRow{Half: crm.Afternoon, Start: "13:30", End: "17:00"}
		}
	}
	return rows
}

// bookingNew shows the booking form of an accepted proposal: the line's
// label and price, the request's place and employees to start with.
func (h *handlers) bookingNew(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	o, err := h.Proposals.Get(ctx, id)
	if err != nil {
		return err
	}
	r, err := h.Requests.Get(ctx, o.RequestID)
	if err != nil {
		return err
	}
	p := h.page(c, "bookings.new", "requests")
	line := crm.ProposalLine{Label: r.Topic}
	if len(o.Lines) > 0 {
		line = o.Lines[0]
		if lineID := optionalID(c.Query("line")); lineID != nil {
			for _, l := range o.Lines {
				if l.ID == *lineID {
					line = l
				}
			}
		}
	}
	price := line.ClientPriceCents
	p.Form["proposal_line_id"], p.Form["title"], p.Form["price"] = itoa(line.ID), line.Label, eurosString(p.Lang, &price)
	p.Form["remote"], p.Form["place"] = checked(r.Remote), cmp.Or(r.Place, crm.CommuneName(r.CommuneCode))
	chosen := map[int64]bool{}
	for _, e := range r.EmployeeIDs {
		chosen[e] = true
	}
	return h.renderBookingForm(c, p, o, chosen, newSlotRows(blankSlotRows))
}

func (h *handlers) renderBookingForm(c *fiber.Ctx, p *web.Page, o crm.Proposal, chosen map[int64]bool, slots []slotRow) error {
	ctx := c.UserContext()
	r, err := h.Requests.Get(ctx, o.RequestID)
	if err != nil {
		return err
	}
	d := bookingFormData{Proposal: o, Request: r, Chosen: chosen, Slots: slots, Halves: []string{crm.Morning, crm.Afternoon}}
	if d.Employees, _, err = h.Employees.List(ctx, r.ClientID, crm.EmployeeFilter{ActiveOnly: true, Page: crm.Page{Size: pickerSize}}); err != nil {
		return err
	}
	p.Title = p.T("bookings.new_for", requestName(r.ID, r.Topic))
	p.Data = d
	return h.tpl.Render(c, "booking_form", p)
}

// bookingForm reads the booking form: its inputs into p.Form, the rows of
// the slot editor as typed, and the input; inputs that cannot be parsed
// come back as a validation error.
func bookingForm(c *fiber.Ctx, p *web.Page, proposalID int64) (crm.BookingInput, map[int64]bool, []slotRow, error) {
	for _, f := range bookingFields {
		p.Form[f] = c.FormValue(f)
	}
	in := crm.BookingInput{ProposalID: proposalID, Title: p.Form["title"], Remote: p.Form["remote"] != "",
		Place: p.Form["place"], RemoteURL: p.Form["remote_url"]}
	if id := optionalID(p.Form["proposal_line_id"]); id != nil {
		in.ProposalLineID = *id
	}
	inv := &errs.Invalid{}
	var ok bool
	if in.PriceCents, ok = i18n.ParseMoney(p.Form["price"]); !ok {
		inv.Add("price", "error.euros")
	}
	chosen := map[int64]bool{}
	for _, id := range idList(formValues(c, "trainee_ids")) {
		in.TraineeIDs, chosen[id] = append(in.TraineeIDs, id), true
	}
	days, halves, starts, ends := formValues(c, "slot_day"), formValues(c, "slot_half"), formValues(c, "slot_start"), formValues(c, "slot_end")
	at := func(v []string, i int) string {
		if i < len(v) {
			return strings.TrimSpace(v[i])
		}
		return ""
	}
	var rows []slotRow
	for i := range days {
		row := slotRow{Day: at(days, i), Half: at(halves, i), Start: at(starts, i), End: at(ends, i)}
		rows = append(rows, row)
		if row.Day == "" {
			continue // a blank row of the editor
		}
		day, ok := dateInput(row.Day)
		if !ok || day == nil {
			inv.Add("slots", "error.slot_invalid")
			continue
		}
		in.Slots = append(in.Slots, crm.Slot{Day: *day, Half: row.Half, Start: row.Start, End: row.End})
	}
	return in, chosen, rows, inv.OrNil()
}

// bookingCreate books a session from the accepted proposal, or shows the
// form again with more blank rows when "more" was pressed.
func (h *handlers) bookingCreate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	o, err := h.Proposals.Get(ctx, id)
	if err != nil {
		return err
	}
	p := h.page(c, "bookings.new", "requests")
	in, chosen, rows, err := bookingForm(c, p, id)
	if c.FormValue("more") != "" {
		return h.renderBookingForm(c, p, o, chosen, append(rows, newSlotRows(blankSlotRows)...))
	}
	var b crm.Booking
	if err == nil {
		b, err = h.Bookings.Create(ctx, in)
	}
	if err != nil {
		if !refused(p, err, "") {
			return err
		}
		renamed(p, map[string]string{"price_cents": "price"})
		c.Status(fiber.StatusUnprocessableEntity)
		return h.renderBookingForm(c, p, o, chosen, rows)
	}
	web.Flash(c, "bookings.created")
	return c.Redirect("/bookings/"+strconv.FormatInt(b.ID, 10), fiber.StatusSeeOther)
}
