package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// The scoped methods of the extranet: each takes the Viewer first and
// keeps to what Viewer.Can allows it (see viewer.go).

// GetFor loads a request v may see; any other is errs.ErrNotFound.
func (s *Requests) GetFor(ctx context.Context, v Viewer, id int64) (Request, error) {
	scope, args := v.scope(RecordRequest)
	return loadRequest(ctx, s.db, "r.id = ? AND "+scope, append([]any{id}, args...)...)
}

// HistoryFor returns the track moves of a request v may see, oldest first.
func (s *Requests) HistoryFor(ctx context.Context, v Viewer, id int64) ([]TrackChange, error) {
	if _, err := s.GetFor(ctx, v, id); err != nil {
		return nil, err
	}
	return trackChanges(ctx, s.db, "h.request_id = ?", id)
}

// CreateFor records a need raised by v for v's company. It names only
// employees v sees; a role that may not raise needs is errs.ErrForbidden.
func (s *Requests) CreateFor(ctx context.Context, v Viewer, in RequestInput) (Request, error) {
	in.ClientID = v.ClientID
	if !v.Can(ActCreate, Resource{Kind: RecordRequest, ClientID: v.ClientID, Author: v.UserID}) {
		return Request{}, fmt.Errorf("crm: create a request as %s: %w", v.Role, errs.ErrForbidden)
	}
	if err := employeesSeen(ctx, s.db, v, in.EmployeeIDs, "employee_ids"); err != nil {
		return Request{}, err
	}
	return s.Create(v.context(ctx), in)
}

// employeesSeen refuses employee ids v may not see, without telling which
// of them exist.
func employeesSeen(ctx context.Context, q db.Querier, v Viewer, ids []int64, field string) error {
	var distinct []int64
	for _, id := range ids {
		if id != 0 && !slices.Contains(distinct, id) {
			distinct = append(distinct, id)
		}
	}
	if len(distinct) == 0 {
		return nil
	}
	scope, args := v.scope(RecordEmployee)
	for _, id := range distinct {
		args = append(args, id)
	}
	var n int
	if err := q.Get(ctx, &n, "SELECT COUNT(*) FROM employees e WHERE "+scope+" AND e.id IN (?"+
		strings.Repeat(", ?", len(distinct)-1)+")", args...); err != nil {
		return fmt.Errorf("crm: check employees: %w", err)
	}
	if n != len(distinct) {
		return errs.NewInvalid(field, "error.employee_not_in_scope")
	}
	return nil
}

// requestResource is what the policy knows of request id: its company,
// extranet author, employees and their departments.
func requestResource(ctx context.Context, q db.Querier, kind string, id int64) (Resource, error) {
	res := Resource{Kind: kind}
	var r struct {
		ClientID int64  `db:"client_id"`
		Author   *int64 `db:"created_by_extranet_id"`
	}
	if err := q.Get(ctx, &r, "SELECT client_id, created_by_extranet_id FROM requests WHERE id = ?", id); err != nil {
		return res, fmt.Errorf("crm: load request %d: %w", id, err)
	}
	res.ClientID = r.ClientID
	if r.Author != nil {
		res.Author = *r.Author
	}
	var emps []struct {
		ID           int64  `db:"id"`
		DepartmentID *int64 `db:"department_id"`
	}
	if err := q.Select(ctx, &emps, `SELECT e.id, e.department_id FROM request_employees re JOIN employees e ON e.id = re.employee_id
		WHERE re.request_id = ? ORDER BY e.id`, id); err != nil {
		return res, fmt.Errorf("crm: load request %d employees: %w", id, err)
	}
	for _, e := range emps {
		res.EmployeeIDs = append(res.EmployeeIDs, e.ID)
		if e.DepartmentID != nil && !slices.Contains(res.DepartmentIDs, *e.DepartmentID) {
			res.DepartmentIDs = append(res.DepartmentIDs, *e.DepartmentID)
		}
	}
	return res, nil
}

// ClientBooking is what a client user sees of a session: no provider
// cost, nor who bears the cost of a cancellation, nor staff's rating.
type ClientBooking struct {
	ID           int64      `json:"id"`
	RequestID    int64      `json:"request_id"`
	ProviderName string     `json:"provider_name"`
	Title        string     `json:"title"`
	Status       string     `json:"status"`
	Remote       bool       `json:"remote"`
	Place        string     `json:"place"`
	RemoteURL    string     `json:"remote_url"`
	PriceCents   int64      `json:"price_cents"`
	CancelReason string     `json:"cancel_reason,omitempty"`
	CancelledAt  *time.Time `json:"cancelled_at,omitempty"`
	DoneAt       *time.Time `json:"done_at,omitempty"`
	Slots        []Slot     `json:"slots"`
	TraineeIDs   []int64    `json:"trainee_ids"`
}

// ForClient returns the client's view of the booking.
func (b Booking) ForClient() ClientBooking {
	return ClientBooking{ID: b.ID, RequestID: b.RequestID, ProviderName: b.ProviderName, Title: b.Title, Status: b.Status,
		Remote: b.Remote, Place: b.Place, RemoteURL: b.RemoteURL, PriceCents: b.PriceCents, CancelReason: b.CancelReason,
		CancelledAt: b.CancelledAt, DoneAt: b.DoneAt, Slots: b.Slots, TraineeIDs: b.TraineeIDs}
}

// GetFor loads a session v may see, with its slots and trainees; any
// other is errs.ErrNotFound.
func (s *Bookings) GetFor(ctx context.Context, v Viewer, id int64) (ClientBooking, error) {
	scope, args := v.scope(RecordBooking)
	b, err := loadBooking(ctx, s.db, "b.id = ? AND "+scope, append([]any{id}, args...)...)
	if err != nil {
		return ClientBooking{}, err
	}
	return b.ForClient(), nil
}

// ListFor returns the sessions of f that v may see (without slots nor
// trainees), latest first; f.ClientID is v's company, whatever f says.
func (s *Bookings) ListFor(ctx context.Context, v Viewer, f BookingFilter) ([]ClientBooking, int, error) {
	scope, args := v.scope(RecordBooking)
	where := []string{scope}
	if f.RequestID != 0 {
		where, args = append(where, "b.request_id = ?"), append(args, f.RequestID)
	}
	if f.ProviderID != 0 {
		where, args = append(where, "b.provider_id = ?"), append(args, f.ProviderID)
	}
	if f.Status != "" {
		where, args = append(where, "b.status = ?"), append(args, f.Status)
	}
	if f.From != nil || f.To != nil { // a slot in the range, as in List
		cond := "b.id IN (SELECT booking_id FROM booking_slots WHERE 1 = 1"
		if f.From != nil {
			cond, args = cond+" AND day >= ?", append(args, *dateOnly(f.From))
		}
		if f.To != nil {
			cond, args = cond+" AND day <= ?", append(args, *dateOnly(f.To))
		}
		where = append(where, cond+")")
	}
	rows, total, err := selectPage[Booking](ctx, s.db, "bookings", bookingColumns, bookingFrom, " WHERE "+strings.Join(where, " AND "),
		"b.created_at DESC, b.id DESC", args, f.Page)
	out := make([]ClientBooking, len(rows))
	for i, b := range rows {
		out[i] = b.ForClient()
	}
	return out, total, err
}

// GetFor loads a proposal v may see, as the client sees it; a draft, or
// a proposal of a request v may not see, is errs.ErrNotFound.
func (s *Proposals) GetFor(ctx context.Context, v Viewer, id int64) (ClientProposal, error) {
	scope, args := v.scope(RecordProposal)
	p, err := loadProposal(ctx, s.db, "o.id = ? AND "+scope, append([]any{id}, args...)...)
	if err != nil {
		return ClientProposal{}, err
	}
	return p.ForClient(), nil
}

// ListFor returns the proposals v may see, oldest first: those of request
// requestID (errs.ErrNotFound when v may not see that request), or all when 0.
func (s *Proposals) ListFor(ctx context.Context, v Viewer, requestID int64) ([]ClientProposal, error) {
	scope, args := v.scope(RecordProposal)
	if requestID != 0 {
		reqScope, reqArgs := v.scope(RecordRequest)
		var one int
		if err := s.db.Get(ctx, &one, "SELECT 1 FROM requests r WHERE r.id = ? AND "+reqScope, append([]any{requestID}, reqArgs...)...); err != nil {
			return nil, fmt.Errorf("crm: load request %d: %w", requestID, err)
		}
		scope, args = scope+" AND o.request_id = ?", append(args, requestID)
	}
	list, err := loadProposals(ctx, s.db, scope, args...)
	if err != nil {
		return nil, err
	}
	out := make([]ClientProposal, len(list))
	for i, p := range list {
		out[i] = p.ForClient()
	}
	return out, nil
}

// AwaitingFor lists, soonest validity first and at most limit, the
// proposals v may see that wait for the company's decision: sent and not
// expired on the day of now (Paris).
func (s *Proposals) AwaitingFor(ctx context.Context, v Viewer, now time.Time, limit int) ([]ClientProposal, error) {
	p := now.In(i18n.Paris)
	today := time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
	scope, args := v.scope(RecordProposal)
	list, err := loadProposals(ctx, s.db, "o.id IN (SELECT o.id"+proposalFrom+" WHERE "+scope+
		" AND o.status = ? AND o.valid_until >= ? ORDER BY o.valid_until, o.id LIMIT ?)",
		append(args, ProposalSent, today, limit)...)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(list, func(a, b Proposal) int { return a.ValidUntil.Compare(b.ValidUntil) })
	out := make([]ClientProposal, len(list))
	for i, p := range list {
		out[i] = p.ForClient()
	}
	return out, nil
}

// AcceptFor is Accept by v: a proposal v may not see is errs.ErrNotFound,
// one v's role may not decide errs.ErrForbidden.
func (s *Proposals) AcceptFor(ctx context.Context, v Viewer, id int64) (ClientProposal, error) {
	return s.decideFor(ctx, v, id, func(ctx context.Context) (Proposal, error) { return s.Accept(ctx, v.ClientID, id) })
}

// DeclineFor is Decline by v, with the same checks as AcceptFor.
func (s *Proposals) DeclineFor(ctx context.Context, v Viewer, id int64, reason string) (ClientProposal, error) {
	return s.decideFor(ctx, v, id, func(ctx context.Context) (Proposal, error) { return s.Decline(ctx, v.ClientID, id, reason) })
}

func (s *Proposals) decideFor(ctx context.Context, v Viewer, id int64, decide func(context.Context) (Proposal, error)) (ClientProposal, error) {
	p, err := s.GetFor(ctx, v, id)
	if err != nil {
		return ClientProposal{}, err
	}
	res, err := requestResource(ctx, s.db, RecordProposal, p.RequestID)
	if err != nil {
		return ClientProposal{}, err
	}
	if !v.Can(ActDecide, res) {
		return ClientProposal{}, fmt.Errorf("crm: decide proposal %d as %s: %w", id, v.Role, errs.ErrForbidden)
	}
	decided, err := decide(v.context(ctx))
	if err != nil {
		return ClientProposal{}, err
	}
	return decided.ForClient(), nil
}

// GetFor loads an employee v may see; any other is errs.ErrNotFound.
func (s *Employees) GetFor(ctx context.Context, v Viewer, id int64) (Employee, error) {
	scope, args := v.scope(RecordEmployee)
	var e Employee
	if err := s.db.Get(ctx, &e, "SELECT "+employeeColumns+employeeFrom+" WHERE e.id = ? AND "+scope, append([]any{id}, args...)...); err != nil {
		return Employee{}, fmt.Errorf("crm: load employee %d: %w", id, err)
	}
	return e, nil
}

// ListFor returns the employees of f that v may see, by name, and the total.
func (s *Employees) ListFor(ctx context.Context, v Viewer, f EmployeeFilter) ([]Employee, int, error) {
	scope, args := v.scope(RecordEmployee)
	where := []string{scope}
	w, a := nameMatch("e.search_name", f.Query)
	where, args = append(where, w...), append(args, a...)
	if f.DepartmentID != 0 {
		where, args = append(where, "e.department_id = ?"), append(args, f.DepartmentID)
	}
	if f.ActiveOnly {
		where = append(where, "e.active = TRUE")
	}
	return selectPage[Employee](ctx, s.db, "employees", employeeColumns, employeeFrom, " WHERE "+strings.Join(where, " AND "),
		"e.last_name, e.first_name, e.id", args, f.Page)
}
