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

// Wish statuses: the employee's manager decides, then HR arbitrates; what
// HR approves is sent to the broker as an individual request.
const (
	WishSubmitted       = "submitted"
	WishManagerApproved = "manager_approved"
	WishManagerRefused  = "manager_refused"
	WishHRApproved      = "hr_approved"
	WishHRRefused       = "hr_refused"
	WishSent            = "sent"
	WishWithdrawn       = "withdrawn"
)

// WishStatuses lists the statuses in the order of the workflow.
var WishStatuses = []string{WishSubmitted, WishManagerApproved, WishManagerRefused, WishHRApproved, WishHRRefused, WishSent, WishWithdrawn}

// WishMove is an allowed move of a wish and the action (of the policy) that makes it.
type WishMove struct {
	From, To    string
	By          Action
	NeedsReason bool
}

// WishMoves is every allowed move; any other is refused. HR may decide
// without waiting for the manager, and may go against the manager's
// decision (an arbitration, recorded as such and explained by a reason).
// hr_approved → sent is made right after HR approves, when the request
// is created; Wishes.Send makes it again if that failed.
var WishMoves = []WishMove{
	{WishSubmitted, WishManagerApproved, ActManagerDecide, false},
	{WishSubmitted, WishManagerRefused, ActManagerDecide, true},
	{WishSubmitted, WishHRApproved, ActArbitrate, false},
	{WishSubmitted, WishHRRefused, ActArbitrate, true},
	{WishManagerApproved, WishHRApproved, ActArbitrate, false},
	{WishManagerApproved, WishHRRefused, ActArbitrate, true},
	{WishManagerRefused, WishHRApproved, ActArbitrate, true},
	{WishManagerRefused, WishHRRefused, ActArbitrate, true},
	{WishHRApproved, WishSent, ActArbitrate, false},
	{WishSubmitted, WishWithdrawn, ActWithdraw, false},
	{WishManagerApproved, WishWithdrawn, ActWithdraw, false},
	{WishManagerRefused, WishWithdrawn, ActWithdraw, false},
}

func findWishMove(from, to string) (WishMove, bool) {
	i := slices.IndexFunc(WishMoves, func(m WishMove) bool { return m.From == from && m.To == to })
	if i < 0 {
		return WishMove{}, false
	}
	return WishMoves[i], true
}

// Wish is an individual request: an employee's own training wish
// (formerly the DIF; today often raised at the professional interview,
// art. L6315-1 of the Code du travail, or co-funded by the employee's
// CPF), submitted by the employee or for them, decided by their manager
// and HR before it reaches the broker.
type Wish struct {
	ID       int64 `db:"id" json:"id"`
	ClientID int64 `db:"client_id" json:"client_id"`
	WishInput
	EmployeeName string `db:"employee_name" json:"employee_name"`
	// DepartmentID is the employee's department today: it decides which manager decides.
	DepartmentID         *int64     `db:"department_id" json:"department_id,omitempty"`
	SubmittedBy          int64      `db:"submitted_by" json:"submitted_by"`
	SubmittedByName      string     `db:"submitted_by_name" json:"submitted_by_name"`
	OnBehalf             bool       `db:"on_behalf" json:"on_behalf"`
	Status               string     `db:"status" json:"status"`
	ManagerDecidedBy     *int64     `db:"manager_decided_by" json:"manager_decided_by,omitempty"`
	ManagerDecidedByName string     `db:"manager_decided_by_name" json:"manager_decided_by_name,omitempty"`
	ManagerDecidedAt     *time.Time `db:"manager_decided_at" json:"manager_decided_at,omitempty"`
	ManagerReason        string     `db:"manager_reason" json:"manager_reason,omitempty"`
	HRDecidedBy          *int64     `db:"hr_decided_by" json:"hr_decided_by,omitempty"`
	HRDecidedByName      string     `db:"hr_decided_by_name" json:"hr_decided_by_name,omitempty"`
	HRDecidedAt          *time.Time `db:"hr_decided_at" json:"hr_decided_at,omitempty"`
	HRReason             string     `db:"hr_reason" json:"hr_reason,omitempty"`
	// HROverrode: HR decided against the manager's decision.
	HROverrode bool      `db:"hr_overrode" json:"hr_overrode"`
	RequestID  *int64    `db:"request_id" json:"request_id,omitempty"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time `db:"updated_at" json:"updated_at"`
}

// Resource is what the policy knows of the wish.
func (w Wish) Resource() Resource {
	res := Resource{Kind: RecordWish, ClientID: w.ClientID, Author: w.SubmittedBy, EmployeeIDs: []int64{w.EmployeeID}}
	if w.DepartmentID != nil {
		res.DepartmentIDs = []int64{*w.DepartmentID}
	}
	return res
}

// Next returns the moves v may make on the wish now (the buttons of its page).
func (w Wish) Next(v Viewer) []WishMove {
	var out []WishMove
	for _, m := range WishMoves {
		if m.From == w.Status && v.Can(m.By, w.Resource()) {
			out = append(out, m)
		}
	}
	return out
}

// WishInput is what the employee (or whoever submits for them) describes.
// EmployeeID 0 is the submitter's own employee record. CPFAmountCents is
// what the employee's CPF account brings, when CPFCoFunding.
type WishInput struct {
	EmployeeID         int64      `db:"employee_id" json:"employee_id"`
	Topic              string     `db:"topic" json:"topic"`
	Description        string     `db:"description" json:"description"`
	Justification      string     `db:"justification" json:"justification"`
	PeriodFrom         *time.Time `db:"period_from" json:"period_from"`
	PeriodTo           *time.Time `db:"period_to" json:"period_to"`
	EstimatedCostCents *int64     `db:"estimated_cost_cents" json:"estimated_cost_cents"`
	CPFCoFunding       bool       `db:"cpf_cofunding" json:"cpf_cofunding"`
	CPFAmountCents     *int64     `db:"cpf_amount_cents" json:"cpf_amount_cents"`
	InterviewDate      *time.Time `db:"interview_date" json:"interview_date"` // the professional interview it comes from
}

func (in *WishInput) normalize() error {
	inv := &errs.Invalid{}
	in.Topic, in.Description, in.Justification = strings.TrimSpace(in.Topic), strings.TrimSpace(in.Description), strings.TrimSpace(in.Justification)
	if in.Topic == "" {
		inv.Add("topic", "error.required")
	}
	in.PeriodFrom, in.PeriodTo, in.InterviewDate = dateOnly(in.PeriodFrom), dateOnly(in.PeriodTo), dateOnly(in.InterviewDate)
	if in.PeriodFrom != nil && in.PeriodTo != nil && in.PeriodTo.Before(*in.PeriodFrom) {
		inv.Add("period_to", "error.period_reversed")
	}
	if in.EstimatedCostCents != nil && *in.EstimatedCostCents < 0 {
		inv.Add("estimated_cost_cents", "error.invalid")
	}
	switch c := in.CPFAmountCents; {
	case c != nil && !in.CPFCoFunding:
		inv.Add("cpf_amount_cents", "error.cpf_without_cofunding")
	case c != nil && *c < 0:
		inv.Add("cpf_amount_cents", "error.invalid")
	case c != nil && in.EstimatedCostCents != nil && *c > *in.EstimatedCostCents:
		inv.Add("cpf_amount_cents", "error.cpf_above_cost")
	}
	return inv.OrNil()
}

// WishNotify is told of every move of a wish once it is committed (from
// is "" for a new wish), e.g. to mail the manager who must decide next.
type WishNotify func(ctx context.Context, w Wish, from string)

// Wishes is the service of individual requests.
type Wishes struct {
	db     *db.DB
	notify WishNotify
}

// NewWishes returns the wish service; notify may be nil.
func NewWishes(d *db.DB, notify WishNotify) *Wishes {
	return &Wishes{db: d, notify: notify}
}

const wishColumns = `w.id, w.client_id, w.employee_id, w.topic, w.description, w.justification, w.period_from, w.period_to,
	w.estimated_cost_cents, w.cpf_cofunding, w.cpf_amount_cents, w.interview_date, w.submitted_by, w.on_behalf, w.status,
	w.manager_decided_by, w.manager_decided_at, w.manager_reason, w.hr_decided_by, w.hr_decided_at, w.hr_reason,
	w.hr_overrode, w.request_id, w.created_at, w.updated_at, TRIM(we.first_name || ' ' || we.last_name) AS employee_name,
	we.department_id, su.name AS submitted_by_name, COALESCE(mu.name, '') AS manager_decided_by_name,
	COALESCE(hu.name, '') AS hr_decided_by_name`

const wishFrom = ` FROM wishes w JOIN employees we ON we.id = w.employee_id JOIN extranet_users su ON su.id = w.submitted_by
	LEFT JOIN extranet_users mu ON mu.id = w.manager_decided_by LEFT JOIN extranet_users hu ON hu.id = w.hr_decided_by`

func loadWish(ctx context.Context, q db.Querier, cond string, args ...any) (Wish, error) {
	var w Wish
	if err := q.Get(ctx, &w, "SELECT "+wishColumns+wishFrom+" WHERE "+cond, args...); err != nil {
		return Wish{}, fmt.Errorf("crm: load wish %v: %w", args[0], err)
	}
	return w, nil
}

// getWishFor loads wish id if v may see it.
func getWishFor(ctx context.Context, q db.Querier, v Viewer, id int64) (Wish, error) {
	scope, args := v.scope(RecordWish)
	return loadWish(ctx, q, "w.id = ? AND "+scope, append([]any{id}, args...)...)
}

// GetFor loads a wish v may see; any other is errs.ErrNotFound.
func (s *Wishes) GetFor(ctx context.Context, v Viewer, id int64) (Wish, error) {
	return getWishFor(ctx, s.db, v, id)
}

// WishFilter selects wishes; zero values mean any.
type WishFilter struct {
	Statuses   []string
	EmployeeID int64
	Page       Page
}

// ListFor returns the wishes of f that v may see, newest first, and the total.
func (s *Wishes) ListFor(ctx context.Context, v Viewer, f WishFilter) ([]Wish, int, error) {
	scope, args := v.scope(RecordWish)
	where := []string{scope}
	if len(f.Statuses) > 0 {
		where = append(where, "w.status IN (?"+strings.Repeat(", ?", len(f.Statuses)-1)+")")
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.EmployeeID != 0 {
		where, args = append(where, "w.employee_id = ?"), append(args, f.EmployeeID)
	}
	return selectPage[Wish](ctx, s.db, "wishes", wishColumns, wishFrom, " WHERE "+strings.Join(where, " AND "),
		"w.created_at DESC, w.id DESC", args, f.Page)
}

// WishChange is one move of a wish, by whom and why.
type WishChange struct {
	ID     int64     `db:"id" json:"id"`
	WishID int64     `db:"wish_id" json:"wish_id"`
	From   string    `db:"from_status" json:"from"`
	To     string    `db:"to_status" json:"to"`
	At     time.Time `db:"at" json:"at"`
	ByID   *int64    `db:"extranet_user_id" json:"by_id,omitempty"`
	ByName string    `db:"by_name" json:"by_name"`
	Reason string    `db:"reason" json:"reason"`
}

// HistoryFor returns the moves of a wish v may see, oldest first.
func (s *Wishes) HistoryFor(ctx context.Context, v Viewer, id int64) ([]WishChange, error) {
	if _, err := s.GetFor(ctx, v, id); err != nil {
		return nil, err
	}
	var out []WishChange
	if err := s.db.Select(ctx, &out, `SELECT h.id, h.wish_id, h.from_status, h.to_status, h.at, h.extranet_user_id,
		COALESCE(u.name, '') AS by_name, h.reason FROM wish_changes h LEFT JOIN extranet_users u ON u.id = h.extranet_user_id
		WHERE h.wish_id = ? ORDER BY h.at, h.id`, id); err != nil {
		return nil, fmt.Errorf("crm: wish %d history: %w", id, err)
	}
	return out, nil
}

// Submit records a wish: an employee's for themselves, a manager's for
// themselves or an employee of their departments, HR's for any employee
// of the company. An employee v may not submit for is refused on the
// employee_id field, whether it exists or not.
func (s *Wishes) Submit(ctx context.Context, v Viewer, in WishInput) (Wish, error) {
	ctx = v.context(ctx)
	if err := in.normalize(); err != nil {
		return Wish{}, err
	}
	if in.EmployeeID == 0 {
		if v.EmployeeID == nil {
			return Wish{}, errs.NewInvalid("employee_id", "error.account_not_employee")
		}
		in.EmployeeID = *v.EmployeeID
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var e struct {
			ClientID     int64  `db:"client_id"`
			DepartmentID *int64 `db:"department_id"`
		}
		if err := tx.Get(ctx, &e, "SELECT client_id, department_id FROM employees WHERE id = ?", in.EmployeeID); err != nil {
			return errs.NewInvalid("employee_id", "error.employee_not_in_scope")
		}
		w := Wish{ClientID: e.ClientID, WishInput: in, DepartmentID: e.DepartmentID, SubmittedBy: v.UserID}
		if !v.Can(ActCreate, w.Resource()) {
			if v.allowed(RecordWish, ActCreate) == 0 {
				return fmt.Errorf("crm: submit a wish as %s: %w", v.Role, errs.ErrForbidden)
			}
			return errs.NewInvalid("employee_id", "error.employee_not_in_scope")
		}
		onBehalf := v.EmployeeID == nil || *v.EmployeeID != in.EmployeeID
		now := time.Now().UTC()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO wishes (client_id, employee_id, submitted_by, on_behalf, topic, description,
			justification, period_from, period_to, estimated_cost_cents, cpf_cofunding, cpf_amount_cents, interview_date,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			v.ClientID, in.EmployeeID, v.UserID, onBehalf, in.Topic, in.Description, in.Justification, in.PeriodFrom,
			in.PeriodTo, in.EstimatedCostCents, in.CPFCoFunding, in.CPFAmountCents, in.InterviewDate, now, now)
		if err != nil {
			return fmt.Errorf("crm: submit wish: %w", err)
		}
		w.ID = id
		return recordWishMove(ctx, tx, v, w, "", WishSubmitted, "", map[string]any{"on_behalf": onBehalf})
	})
	if err != nil {
		return Wish{}, err
	}
	return s.committed(ctx, v, id, "")
}

// committed reloads a wish after a move and tells notify.
func (s *Wishes) committed(ctx context.Context, v Viewer, id int64, from string) (Wish, error) {
	w, err := loadWish(ctx, s.db, "w.id = ?", id)
	if err != nil {
		return Wish{}, err
	}
	if s.notify != nil {
		s.notify(ctx, w, from)
	}
	return w, nil
}

// recordWishMove writes a move to the wish's history, the timeline (linked
// to the wish, the client, the employee, and the request once sent) and the
// audit log; from is "" for a new wish, extra adds to the details of both.
func recordWishMove(ctx context.Context, tx db.Querier, v Viewer, w Wish, from, to, reason string, extra map[string]any) error {
	now := time.Now().UTC()
	if _, err := tx.Exec(ctx, `INSERT INTO wish_changes (wish_id, from_status, to_status, at, extranet_user_id, reason)
		VALUES (?, ?, ?, ?, ?, ?)`, w.ID, from, to, now, v.UserID, reason); err != nil {
		return fmt.Errorf("crm: wish %d history: %w", w.ID, err)
	}
	details := map[string]any{"from": from, "to": to}
	for k, x := range extra {
		details[k] = x
	}
	title := fmt.Sprintf("%s: %s → %s", RecordWish, from, to)
	if from == "" {
		title = RecordWish + ": " + w.Topic
	}
	links := []Ref{{RecordWish, w.ID}, {RecordClient, w.ClientID}, {RecordEmployee, w.EmployeeID}}
	if w.RequestID != nil {
		links = append(links, Ref{RecordRequest, *w.RequestID})
	}
	data := map[string]any{"record": RecordWish, "id": w.ID}
	for k, x := range details {
		data[k] = x
	}
	if _, err := AddEntry(ctx, tx, NewEntry{Kind: KindStatusChange, Title: title, Body: reason, Data: data, Links: links}); err != nil {
		return err
	}
	if reason != "" {
		details["reason"] = reason
	}
	return audit.Record(ctx, tx, audit.Event{Action: "wish." + to, Entity: RecordWish, EntityID: w.ID, Details: details})
}
