package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Booking statuses. A booking becomes done when every slot has attendance
// for every trainee; done and cancelled are final.
const (
	BookingPlanned   = "planned"
	BookingConfirmed = "confirmed"
	BookingDone      = "done"
	BookingCancelled = "cancelled"
)

// bookingMoves are the allowed status changes of a booking.
var bookingMoves = map[string][]string{
	BookingPlanned:   {BookingConfirmed, BookingDone, BookingCancelled},
	BookingConfirmed: {BookingDone, BookingCancelled},
}

// CostBearers are who bears the cost of a cancelled session.
var CostBearers = []string{"client", "provider", "broker"}

// Half days of a slot.
const (
	Morning   = "am"
	Afternoon = "pm"
)

// Booking is a session booked from an accepted proposal: one provider, its
// half-day slots, the trainees (employees of the client) and the price.
type Booking struct {
	ID               int64      `db:"id" json:"id"`
	RequestID        int64      `db:"request_id" json:"request_id"`
	ClientID         int64      `db:"client_id" json:"client_id"`
	ProposalLineID   int64      `db:"proposal_line_id" json:"proposal_line_id"`
	ProviderID       int64      `db:"provider_id" json:"provider_id"`
	ProviderName     string     `db:"provider_name" json:"provider_name"`
	CourseID         *int64     `db:"course_id" json:"course_id,omitempty"`
	Title            string     `db:"title" json:"title"`
	Status           string     `db:"status" json:"status"`
	Remote           bool       `db:"remote" json:"remote"`
	Place            string     `db:"place" json:"place"`
	RemoteURL        string     `db:"remote_url" json:"remote_url"`
	PriceCents       int64      `db:"price_cents" json:"price_cents"` // to the client, excluding VAT
	CostCents        int64      `db:"cost_cents" json:"cost_cents"`   // the provider's price
	CancelReason     string     `db:"cancel_reason" json:"cancel_reason,omitempty"`
	CancelCostBearer string     `db:"cancel_cost_bearer" json:"cancel_cost_bearer,omitempty"`
	CancelledAt      *time.Time `db:"cancelled_at" json:"cancelled_at,omitempty"`
	DoneAt           *time.Time `db:"done_at" json:"done_at,omitempty"`
	Satisfaction     *int       `db:"satisfaction" json:"satisfaction,omitempty"` // 1–5, entered by staff
	Slots            []Slot     `db:"-" json:"slots"`
	TraineeIDs       []int64    `db:"-" json:"trainee_ids"`
	CreatedAt        time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt        time.Time  `db:"updated_at" json:"updated_at"`
}

// Slot is a half-day of a session; Start and End are Paris wall-clock "HH:MM".
type Slot struct {
	ID    int64     `db:"id" json:"id"`
	Day   time.Time `db:"day" json:"day"`
	Half  string    `db:"half" json:"half"`
	Start string    `db:"start_time" json:"start"`
	End   string    `db:"end_time" json:"end"`
}

// Minutes is the slot's length.
func (s Slot) Minutes() int { return clockMinutes(s.End) - clockMinutes(s.Start) }

// clockMinutes reads "HH:MM" as minutes after midnight, -1 when malformed.
func clockMinutes(hhmm string) int {
	t, err := time.Parse("15:04", hhmm)
	if err != nil || len(hhmm) != 5 {
		return -1
	}
	return t.Hour()*60 + t.Minute()
}

// BookingInput turns a line of an accepted proposal into a session.
// ProposalLineID may be zero when the proposal has one line; Title
// defaults to the line's label, PriceCents to its client price.
type BookingInput struct {
	ProposalID     int64   `json:"proposal_id"`
	ProposalLineID int64   `json:"proposal_line_id"`
	CourseID       *int64  `json:"course_id"`
	Title          string  `json:"title"`
	Remote         bool    `json:"remote"`
	Place          string  `json:"place"`
	RemoteURL      string  `json:"remote_url"`
	PriceCents     *int64  `json:"price_cents"`
	Slots          []Slot  `json:"slots"`
	TraineeIDs     []int64 `json:"trainee_ids"`
}

func (in *BookingInput) normalize() error {
	inv := &errs.Invalid{}
	in.Title, in.Place, in.RemoteURL = strings.TrimSpace(in.Title), strings.TrimSpace(in.Place), strings.TrimSpace(in.RemoteURL)
	if in.Remote && in.RemoteURL == "" {
		inv.Add("remote_url", "error.required")
	}
	if !in.Remote && in.Place == "" {
		inv.Add("place", "error.required")
	}
	if in.PriceCents != nil && *in.PriceCents < 0 {
		inv.Add("price_cents", "error.invalid")
	}
	if len(in.Slots) == 0 {
		inv.Add("slots", "error.required")
	}
	seen := map[string]bool{}
	for i := range in.Slots {
		s := &in.Slots[i]
		s.Day = *dateOnly(&s.Day)
		key := s.Day.Format(time.DateOnly) + s.Half
		// A morning starts before noon, an afternoon at noon or later.
		start, end := clockMinutes(s.Start), clockMinutes(s.End)
		okHalf := (s.Half == Morning && start < 12*60) || (s.Half == Afternoon && start >= 12*60)
		if s.Day.IsZero() || seen[key] || start < 0 || end <= start || !okHalf {
			inv.Add("slots", "error.slot_invalid")
		}
		seen[key] = true
	}
	slices.SortFunc(in.Slots, func(a, b Slot) int {
		if c := a.Day.Compare(b.Day); c != 0 {
			return c
		}
		return strings.Compare(a.Half, b.Half)
	})
	var ids []int64
	for _, e := range in.TraineeIDs {
		if e != 0 && !slices.Contains(ids, e) {
			ids = append(ids, e)
		}
	}
	in.TraineeIDs = ids
	if len(ids) == 0 {
		inv.Add("trainee_ids", "error.required")
	}
	return inv.OrNil()
}

// Bookings is the booking service: sessions, attendance, completion.
type Bookings struct {
	db *db.DB
}

// NewBookings returns the booking service.
func NewBookings(d *db.DB) *Bookings { return &Bookings{db: d} }

const bookingColumns = `b.id, b.request_id, r.client_id, b.proposal_line_id, b.provider_id, p.name AS provider_name, b.course_id,
	b.title, b.status, b.remote, b.place, b.remote_url, b.price_cents, b.cost_cents, b.cancel_reason, b.cancel_cost_bearer,
	b.cancelled_at, b.done_at, b.satisfaction, b.created_at, b.updated_at`

const bookingFrom = " FROM bookings b JOIN requests r ON r.id = b.request_id JOIN providers p ON p.id = b.provider_id"

func loadBooking(ctx context.Context, q db.Querier, cond string, args ...any) (Booking, error) {
	var b Booking
	if err := q.Get(ctx, &b, "SELECT "+bookingColumns+bookingFrom+" WHERE "+cond, args...); err != nil {
		return Booking{}, fmt.Errorf("crm: load booking %v: %w", args[0], err)
	}
	if err := q.Select(ctx, &b.Slots, "SELECT id, day, half, start_time, end_time FROM booking_slots WHERE booking_id = ? ORDER BY day, half", b.ID); err != nil {
		return Booking{}, fmt.Errorf("crm: booking %d slots: %w", b.ID, err)
	}
	if err := q.Select(ctx, &b.TraineeIDs, "SELECT employee_id FROM booking_trainees WHERE booking_id = ? ORDER BY employee_id", b.ID); err != nil {
		return Booking{}, fmt.Errorf("crm: booking %d trainees: %w", b.ID, err)
	}
	return b, nil
}

// Get loads a booking with its slots and trainees.
func (s *Bookings) Get(ctx context.Context, id int64) (Booking, error) {
	return loadBooking(ctx, s.db, "b.id = ?", id)
}

// GetForClient loads a booking of the client's requests; any other is ErrNotFound.
func (s *Bookings) GetForClient(ctx context.Context, clientID, id int64) (Booking, error) {
	return loadBooking(ctx, s.db, "b.id = ? AND r.client_id = ?", id, clientID)
}

// BookingFilter selects bookings; From and To keep those with a slot in the range of days.
type BookingFilter struct {
	RequestID  int64
	ClientID   int64
	ProviderID int64
	Status     string
	From, To   *time.Time
	Page       Page
}

// List returns the bookings matching f (without slots nor trainees), latest first.
func (s *Bookings) List(ctx context.Context, f BookingFilter) ([]Booking, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	for _, c := range []struct {
		col string
		v   any
		set bool
	}{
		{"b.request_id", f.RequestID, f.RequestID != 0}, {"r.client_id", f.ClientID, f.ClientID != 0},
		{"b.provider_id", f.ProviderID, f.ProviderID != 0}, {"b.status", f.Status, f.Status != ""},
	} {
		if c.set {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	if f.From != nil || f.To != nil {
		cond := "b.id IN (SELECT booking_id FROM booking_slots WHERE 1 = 1"
		if f.From != nil {
			cond, args = cond+" AND day >= ?", append(args, *dateOnly(f.From))
		}
		if f.To != nil {
			cond, args = cond+" AND day <= ?", append(args, *dateOnly(f.To))
		}
		where = append(where, cond+")")
	}
	return selectPage[Booking](ctx, s.db, "bookings", bookingColumns, bookingFrom, " WHERE "+strings.Join(where, " AND "),
		"b.created_at DESC, b.id DESC", args, f.Page)
}

// Create books a session from a line of an accepted proposal, when the
// request's tracks allow it (TrackState.CanBook). Trainees must be
// employees of the request's client.
func (s *Bookings) Create(ctx context.Context, in BookingInput) (Booking, error) {
	if err := in.normalize(); err != nil {
		return Booking{}, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := loadProposal(ctx, tx, "o.id = ?", in.ProposalID)
		if err != nil {
			return err
		}
		if p.Status != ProposalAccepted {
			return errs.NewInvalid("proposal_id", "error.proposal_not_accepted")
		}
		line, ok := bookedLine(p, in.ProposalLineID)
		if !ok {
			return errs.NewInvalid("proposal_line_id", "error.required")
		}
		r, err := lockRequest(ctx, tx, p.RequestID)
		if err != nil {
			return err
		}
		if err := r.CanBook(); err != nil {
			return err
		}
		if err := checkEmployees(ctx, tx, r.ClientID, in.TraineeIDs, "trainee_ids"); err != nil {
			return err
		}
		id, err = insertBooking(ctx, tx, r, line, in)
		if err != nil {
			return err
		}
		if err := RecordStatusChange(ctx, tx, Ref{RecordBooking, id}, "new", BookingPlanned, in.Title,
			Ref{RecordRequest, r.ID}, Ref{RecordClient, r.ClientID}, Ref{RecordProvider, line.ProviderID}); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "booking.create", Entity: RecordBooking, EntityID: id}); err != nil {
			return err
		}
		return settleDelivery(ctx, tx, r, id)
	})
	if err != nil {
		return Booking{}, err
	}
	return s.Get(ctx, id)
}

// bookedLine picks the proposal line to book: the one named, or the only one.
func bookedLine(p Proposal, lineID int64) (ProposalLine, bool) {
	if lineID == 0 && len(p.Lines) == 1 {
		return p.Lines[0], true
	}
	i := slices.IndexFunc(p.Lines, func(l ProposalLine) bool { return l.ID == lineID })
	if i < 0 {
		return ProposalLine{}, false
	}
	return p.Lines[i], true
}

func insertBooking(ctx context.Context, tx db.Querier, r requestState, line ProposalLine, in BookingInput) (int64, error) {
	if in.Title == "" {
		in.Title = line.Label
	}
	price := line.ClientPriceCents
	if in.PriceCents != nil {
		price = *in.PriceCents
	}
	if in.CourseID == nil {
		in.CourseID = line.CourseID
	}
	now := time.Now().UTC()
	staff, _ := actorIDs(ctx)
	id, err := db.InsertID(ctx, tx, `INSERT INTO bookings (request_id, proposal_line_id, provider_id, course_id, title, remote,
		place, remote_url, price_cents, cost_cents, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.ID, line.ID, line.ProviderID, in.CourseID, in.Title,
		in.Remote, in.Place, in.RemoteURL, price, line.CostCents, staff, now, now)
	if err != nil {
		return 0, fmt.Errorf("crm: create booking: %w", err)
	}
	slots := make([][]any, len(in.Slots))
	for i, sl := range in.Slots {
		slots[i] = []any{id, sl.Day, sl.Half, sl.Start, sl.End}
	}
	if err := insertRows(ctx, tx, "booking_slots (booking_id, day, half, start_time, end_time)", "", slots); err != nil {
		return 0, fmt.Errorf("crm: booking %d slots: %w", id, err)
	}
	trainees := make([][]any, len(in.TraineeIDs))
	for i, e := range in.TraineeIDs {
		trainees[i] = []any{id, e}
	}
	if err := insertRows(ctx, tx, "booking_trainees (booking_id, employee_id)", "", trainees); err != nil {
		return 0, fmt.Errorf("crm: booking %d trainees: %w", id, err)
	}
	return id, nil
}

// settleDelivery moves the request's delivery track to what its bookings
// now say, if that changed.
func settleDelivery(ctx context.Context, tx db.Querier, before requestState, bookingID int64) error {
	var after string
	if err := tx.Get(ctx, &after, "SELECT "+deliveryExpr+" FROM requests r WHERE r.id = ?", before.ID); err != nil {
		return fmt.Errorf("crm: request %d delivery: %w", before.ID, err)
	}
	if after == before.Delivery {
		return nil
	}
	return changeTrack(ctx, tx, before.ID, before.ClientID, move{Track: TrackDelivery, From: before.Delivery, To: after,
		Links: []Ref{{RecordBooking, bookingID}}})
}
