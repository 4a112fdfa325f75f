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
	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Request kinds, formats, priorities and channels.
var (
	RequestKinds      = []string{"collective", "individual"}
	RequestFormats    = []string{"intra", "inter"}
	RequestPriorities = []string{"low", "normal", "high", "urgent"}
	RequestChannels   = []string{"backoffice", "extranet", "email", "phone", "meeting", "api"}
)

// Request is a training need of a client company (besoin, demande de
// formation) with where each of its tracks stands and its derived stage.
type Request struct {
	ID int64 `db:"id" json:"id"`
	RequestInput
	TrackState
	FundingAmountCents  *int64    `db:"funding_amount_cents" json:"funding_amount_cents,omitempty"`
	CreatedByStaffID    *int64    `db:"created_by_staff_id" json:"created_by_staff_id,omitempty"`
	CreatedByExtranetID *int64    `db:"created_by_extranet_id" json:"created_by_extranet_id,omitempty"`
	ClientName          string    `db:"client_name" json:"client_name"`
	OwnerName           string    `db:"owner_name" json:"owner_name"`
	Stage               string    `db:"-" json:"stage"`
	CreatedAt           time.Time `db:"created_at" json:"created_at"`
	UpdatedAt           time.Time `db:"updated_at" json:"updated_at"`
}

// RequestInput is what staff (or a client user) describe of a need.
// EmployeeIDs are the employees an individual request is for; Place is
// free text, CommuneCode its INSEE code (found from Place when empty) used
// for distances. FundingBody and FundingFile name the OPCO and its file number.
type RequestInput struct {
	ClientID    int64      `db:"client_id" json:"client_id"`
	ContactID   *int64     `db:"contact_id" json:"contact_id"`
	Kind        string     `db:"kind" json:"kind"`
	EmployeeIDs []int64    `db:"-" json:"employee_ids"`
	Topic       string     `db:"topic" json:"topic"`
	Description string     `db:"description" json:"description"`
	Objectives  string     `db:"objectives" json:"objectives"`
	PeriodFrom  *time.Time `db:"period_from" json:"period_from"`
	PeriodTo    *time.Time `db:"period_to" json:"period_to"`
	Remote      bool       `db:"remote" json:"remote"`
	Place       string     `db:"place" json:"place"`
	CommuneCode string     `db:"commune_code" json:"commune_code"`
	Trainees    int        `db:"trainees" json:"trainees"`
	Format      string     `db:"format" json:"format"`
	BudgetCents *int64     `db:"budget_cents" json:"budget_cents"`
	Priority    string     `db:"priority" json:"priority"`
	PlanLineID  *int64     `db:"plan_line_id" json:"plan_line_id"`
	OwnerID     *int64     `db:"owner_id" json:"owner_id"`
	Channel     string     `db:"channel" json:"channel"`
	FundingBody string     `db:"funding_body" json:"funding_body"`
	FundingFile string     `db:"funding_file" json:"funding_file"`
}

func (in *RequestInput) normalize() error {
	inv := &errs.Invalid{}
	if in.ClientID == 0 {
		inv.Add("client_id", "error.required")
	}
	for _, f := range []*string{&in.Topic, &in.Description, &in.Objectives, &in.Place, &in.CommuneCode, &in.FundingBody, &in.FundingFile} {
		*f = strings.TrimSpace(*f)
	}
	if in.Topic == "" {
		inv.Add("topic", "error.required")
	}
	if in.Kind == "" {
		in.Kind = "collective"
	}
	if !slices.Contains(RequestKinds, in.Kind) {
		inv.Add("kind", "error.invalid")
	}
	var emps []int64
	for _, e := range in.EmployeeIDs {
		if e != 0 && !slices.Contains(emps, e) {
			emps = append(emps, e)
		}
	}
	in.EmployeeIDs = emps
	if in.Kind == "individual" && len(emps) == 0 {
		inv.Add("employee_ids", "error.required")
	}
	if in.Trainees == 0 {
		in.Trainees = max(len(emps), 1)
	}
	if in.Trainees < max(len(emps), 1) {
		inv.Add("trainees", "error.invalid")
	}
	if in.Format == "" {
		in.Format = map[string]string{"individual": "inter"}[in.Kind]
		if in.Format == "" {
			in.Format = "intra"
		}
	}
	if !slices.Contains(RequestFormats, in.Format) {
		inv.Add("format", "error.invalid")
	}
	in.PeriodFrom, in.PeriodTo = dateOnly(in.PeriodFrom), dateOnly(in.PeriodTo)
	if in.PeriodFrom != nil && in.PeriodTo != nil && in.PeriodTo.Before(*in.PeriodFrom) {
		inv.Add("period_to", "error.dates_invalid")
	}
	if in.CommuneCode == "" && in.Place != "" {
		in.CommuneCode, _ = ResolveCommune(in.Place)
	}
	if _, ok := geo.CommuneByCode(in.CommuneCode); in.CommuneCode != "" && !ok {
		inv.Add("commune_code", "error.commune_unknown")
	}
	if in.BudgetCents != nil && *in.BudgetCents < 0 {
		inv.Add("budget_cents", "error.invalid")
	}
	if in.Priority == "" {
		in.Priority = "normal"
	}
	if !slices.Contains(RequestPriorities, in.Priority) {
		inv.Add("priority", "error.invalid")
	}
	if !slices.Contains(RequestChannels, in.Channel) {
		inv.Add("channel", "error.invalid")
	}
	for _, p := range []**int64{&in.ContactID, &in.PlanLineID, &in.OwnerID} {
		if *p != nil && **p == 0 {
			*p = nil
		}
	}
	return inv.OrNil()
}

// channelOf is where a request comes from when the caller does not say.
func channelOf(ctx context.Context) string {
	switch audit.ActorFrom(ctx).Kind {
	case audit.ActorExtranet:
		return "extranet"
	case audit.ActorAPI:
		return "api"
	}
	return "backoffice"
}

// Requests is the request service: the need, its tracks and their history.
type Requests struct {
	db *db.DB
}

// NewRequests returns the request service.
func NewRequests(d *db.DB) *Requests { return &Requests{db: d} }

// deliveryExpr derives the delivery track of request r from its bookings;
// settleDelivery stores it when a booking changes.
const deliveryExpr = `(SELECT CASE WHEN COUNT(*) = 0 THEN 'none'
	WHEN MIN(CASE WHEN b.status = 'done' THEN 1 ELSE 0 END) = 1 THEN 'done' ELSE 'booked' END
	FROM bookings b WHERE b.request_id = r.id AND b.status <> 'cancelled')`

const requestColumns = `r.id, r.client_id, r.contact_id, r.kind, r.topic, r.description, r.objectives, r.period_from,
	r.period_to, r.remote, r.place, r.commune_code, r.trainees, r.format, r.budget_cents, r.priority, r.plan_line_id,
	r.owner_id, r.channel, r.funding_body, r.funding_file, r.status, r.sourcing, r.decision, r.funding,
	r.funding_amount_cents, r.created_by_staff_id, r.created_by_extranet_id, r.created_at, r.updated_at,
	r.delivery, c.legal_name AS client_name, COALESCE(u.name, '') AS owner_name`

const requestFrom = " FROM requests r JOIN clients c ON c.id = r.client_id LEFT JOIN staff_users u ON u.id = r.owner_id"

// Create records a need. A client user may only create one for its own
// company; the owner defaults to the client's account manager, else to the
// staff member creating it.
func (s *Requests) Create(ctx context.Context, in RequestInput) (Request, error) {
	if err := prepareRequest(ctx, &in); err != nil {
		return Request{}, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) (err error) {
		id, err = createRequest(ctx, tx, in)
		return err
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, id)
}

// prepareRequest sets the channel of a new request and checks its fields.
func prepareRequest(ctx context.Context, in *RequestInput) error {
	if audit.ActorFrom(ctx).Kind == audit.ActorExtranet {
		in.Channel, in.OwnerID = "", nil // a client user neither picks the channel nor the staff following it
	}
	if in.Channel == "" {
		in.Channel = channelOf(ctx)
	}
	return in.normalize()
}

// createRequest writes a prepared request inside the caller's transaction,
// with its first timeline entry and audit event.
func createRequest(ctx context.Context, tx db.Querier, in RequestInput) (int64, error) {
	if err := checkRequestRefs(ctx, tx, in); err != nil {
		return 0, err
	}
	staff, extranet := actorIDs(ctx)
	if in.OwnerID == nil {
		if err := tx.Get(ctx, &in.OwnerID, "SELECT account_manager_id FROM clients WHERE id = ?", in.ClientID); err != nil {
			return 0, fmt.Errorf("crm: client %d: %w", in.ClientID, err)
		}
	}
	if in.OwnerID == nil {
		in.OwnerID = staff
	}
	now := time.Now().UTC()
	id, err := db.InsertID(ctx, tx, `INSERT INTO requests (client_id, contact_id, kind, topic, description, objectives,
		period_from, period_to, remote, place, commune_code, trainees, format, budget_cents, priority, plan_line_id,
		owner_id, channel, funding_body, funding_file, created_by_staff_id, created_by_extranet_id, search_text,
		stage_since, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.ClientID, in.ContactID, in.Kind, in.Topic, in.Description, in.Objectives, in.PeriodFrom, in.PeriodTo,
		in.Remote, in.Place, in.CommuneCode, in.Trainees, in.Format, in.BudgetCents, in.Priority, in.PlanLineID,
		in.OwnerID, in.Channel, in.FundingBody, in.FundingFile, staff, extranet, textsearch.Index(in.Topic, in.Objectives), now, now, now)
	if err != nil {
		return 0, fmt.Errorf("crm: create request: %w", err)
	}
	if err := setRequestEmployees(ctx, tx, id, in.EmployeeIDs); err != nil {
		return 0, err
	}
	if _, err := AddEntry(ctx, tx, NewEntry{Kind: KindStatusChange, Title: RecordRequest + ": " + in.Topic,
		Data:  map[string]any{"record": RecordRequest, "id": id, "track": TrackRequest, "from": "", "to": RequestOpen},
		Links: []Ref{{RecordRequest, id}, {RecordClient, in.ClientID}}}); err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, tx, audit.Event{Action: "request.create", Entity: RecordRequest, EntityID: id})
}

// checkRequestRefs refuses a contact or employees of another company, and
// a client user acting for another company than its own.
func checkRequestRefs(ctx context.Context, q db.Querier, in RequestInput) error {
	if a := audit.ActorFrom(ctx); a.Kind == audit.ActorExtranet {
		var own int64
		if err := q.Get(ctx, &own, "SELECT client_id FROM extranet_users WHERE id = ?", a.ID); err != nil || own != in.ClientID {
			return fmt.Errorf("crm: client %d for extranet user %d: %w", in.ClientID, a.ID, errs.ErrNotFound)
		}
	}
	var one int
	if err := q.Get(ctx, &one, "SELECT 1 FROM clients WHERE id = ?", in.ClientID); err != nil {
		return fmt.Errorf("crm: client %d: %w", in.ClientID, err)
	}
	if in.ContactID != nil {
		if err := q.Get(ctx, &one, "SELECT 1 FROM contacts WHERE id = ? AND client_id = ?", *in.ContactID, in.ClientID); err != nil {
			return errs.NewInvalid("contact_id", "error.not_of_client")
		}
	}
	if err := checkPlanLine(ctx, q, in.ClientID, in.PlanLineID); err != nil {
		return err
	}
	return checkEmployees(ctx, q, in.ClientID, in.EmployeeIDs, "employee_ids")
}

// checkEmployees refuses ids that are not employees of the client.
func checkEmployees(ctx context.Context, q db.Querier, clientID int64, ids []int64, field string) error {
	return checkOfClient(ctx, q, "employees", clientID, ids, field)
}

// checkOfClient refuses ids that are not rows of table (a constant of the
// code: employees, client_departments…) belonging to the client.
func checkOfClient(ctx context.Context, q db.Querier, table string, clientID int64, ids []int64, field string) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{clientID}
	for _, id := range ids {
		args = append(args, id)
	}
	var n int
	if err := q.Get(ctx, &n, "SELECT COUNT(*) FROM "+table+" WHERE client_id = ? AND id IN (?"+
		strings.Repeat(", ?", len(ids)-1)+")", args...); err != nil {
		return fmt.Errorf("crm: check %s: %w", table, err)
	}
	if n != len(ids) {
		return errs.NewInvalid(field, "error.not_of_client")
	}
	return nil
}

func setRequestEmployees(ctx context.Context, q db.Querier, id int64, employees []int64) error {
	if _, err := q.Exec(ctx, "DELETE FROM request_employees WHERE request_id = ?", id); err != nil {
		return fmt.Errorf("crm: request %d employees: %w", id, err)
	}
	rows := make([][]any, len(employees))
	for i, e := range employees {
		rows[i] = []any{id, e}
	}
	if err := insertRows(ctx, q, "request_employees (request_id, employee_id)", "", rows); err != nil {
		return fmt.Errorf("crm: request %d employees: %w", id, err)
	}
	return nil
}

// Update saves the described need; the client cannot change and the tracks
// move only through Advance and the events of consultations, proposals and bookings.
// A nil PlanLineID keeps the request's plan line (forms that do not show it
// must not unlink it): Plans.UnlinkRequest takes a request off its line.
func (s *Requests) Update(ctx context.Context, id int64, in RequestInput) (Request, error) {
	if err := in.normalize(); err != nil {
		return Request{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var clientID int64
		if err := tx.Get(ctx, &clientID, "SELECT client_id FROM requests WHERE id = ?", id); err != nil {
			return fmt.Errorf("crm: load request %d: %w", id, err)
		}
		if clientID != in.ClientID {
			return errs.NewInvalid("client_id", "error.invalid")
		}
		if err := checkRequestRefs(ctx, tx, in); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE requests SET contact_id = ?, kind = ?, topic = ?, description = ?, objectives = ?,
			period_from = ?, period_to = ?, remote = ?, place = ?, commune_code = ?, trainees = ?, format = ?, budget_cents = ?,
			priority = ?, plan_line_id = COALESCE(?, plan_line_id), owner_id = ?, channel = ?, funding_body = ?, funding_file = ?, search_text = ?,
			updated_at = ? WHERE id = ?`, in.ContactID, in.Kind, in.Topic, in.Description, in.Objectives, in.PeriodFrom,
			in.PeriodTo, in.Remote, in.Place, in.CommuneCode, in.Trainees, in.Format, in.BudgetCents, in.Priority,
			in.PlanLineID, in.OwnerID, in.Channel, in.FundingBody, in.FundingFile, textsearch.Index(in.Topic, in.Objectives),
			time.Now().UTC(), id); err != nil {
			return fmt.Errorf("crm: update request %d: %w", id, err)
		}
		if err := setRequestEmployees(ctx, tx, id, in.EmployeeIDs); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "request.update", Entity: RecordRequest, EntityID: id})
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, id)
}

// TrackMove is a move staff make by hand: cancel or reopen the request,
// say the quotes are in, or follow the funding file (requested, agreed for
// AmountCents, refused with Reason, dropped).
type TrackMove struct {
	Track       string `json:"track"`
	To          string `json:"to"`
	Reason      string `json:"reason"`
	AmountCents *int64 `json:"amount_cents"`
}

// Advance applies a manual move; moves that follow events (a consultation
// sent, a proposal accepted, a booking made) are refused here, and so is
// any move but reopening on a cancelled request.
func (s *Requests) Advance(ctx context.Context, id int64, m TrackMove) (Request, error) {
	m.Reason = strings.TrimSpace(m.Reason)
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		r, err := lockRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		t, ok := FindTransition(m.Track, r.Get(m.Track), m.To)
		switch {
		case !ok:
			return errs.NewInvalid(m.Track, "error.transition_refused")
		case !t.Manual:
			return errs.NewInvalid(m.Track, "error.transition_automatic")
		case r.Status == RequestCancelled && m.Track != TrackRequest:
			return errs.NewInvalid("status", "error.request_cancelled")
		}
		return changeTrack(ctx, tx, id, r.ClientID, move{Track: m.Track, From: t.From, To: m.To, Reason: m.Reason, Amount: m.AmountCents})
	})
	if err != nil {
		return Request{}, err
	}
	return s.Get(ctx, id)
}

// requestState is a request's client and tracks, read inside a transaction.
type requestState struct {
	ID       int64 `db:"id"`
	ClientID int64 `db:"client_id"`
	TrackState
}

// lockRequest reads the tracks of request id inside tx. The write
// transaction already serialises writers on SQLite; on PostgreSQL the
// conditional UPDATEs of changeTrack turn a concurrent change into a conflict.
func lockRequest(ctx context.Context, q db.Querier, id int64) (requestState, error) {
	var r requestState
	err := q.Get(ctx, &r, "SELECT r.id, r.client_id, r.status, r.sourcing, r.decision, r.funding, r.delivery FROM requests r WHERE r.id = ?", id)
	if err != nil {
		return r, fmt.Errorf("crm: load request %d: %w", id, err)
	}
	return r, nil
}
