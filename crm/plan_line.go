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

// PlanLineInput is a planned action: what, for which department (nil: the
// whole company) and population, how many trainees, how urgent, whether
// the law requires it, when, for how much (cents, excluding VAT) and paid
// by whom.
type PlanLineInput struct {
	Title              string     `db:"title" json:"title"`
	DepartmentID       *int64     `db:"department_id" json:"department_id"`
	Population         string     `db:"population" json:"population"`
	Trainees           int        `db:"trainees" json:"trainees"`
	Priority           string     `db:"priority" json:"priority"`
	Category           string     `db:"category" json:"category"`
	PeriodFrom         *time.Time `db:"period_from" json:"period_from"`
	PeriodTo           *time.Time `db:"period_to" json:"period_to"`
	EstimatedCostCents int64      `db:"estimated_cost_cents" json:"estimated_cost_cents"`
	FundingSource      string     `db:"funding_source" json:"funding_source"`
	Notes              string     `db:"notes" json:"notes"`
}

// normalize checks the line of a plan of year; its period must concern that year.
func (in *PlanLineInput) normalize(year int) error {
	inv := &errs.Invalid{}
	in.Title, in.Population, in.Notes = strings.TrimSpace(in.Title), strings.TrimSpace(in.Population), strings.TrimSpace(in.Notes)
	if in.Title == "" {
		inv.Add("title", "error.required")
	}
	if in.DepartmentID != nil && *in.DepartmentID == 0 {
		in.DepartmentID = nil
	}
	if in.Trainees == 0 {
		in.Trainees = 1
	}
	if in.Trainees < 0 {
		inv.Add("trainees", "error.invalid")
	}
	if in.Priority == "" {
		in.Priority = "normal"
	}
	if !slices.Contains(RequestPriorities, in.Priority) {
		inv.Add("priority", "error.invalid")
	}
	if in.Category == "" {
		inv.Add("category", "error.required")
	} else if !slices.Contains(PlanCategories, in.Category) {
		inv.Add("category", "error.invalid")
	}
	in.PeriodFrom, in.PeriodTo = dateOnly(in.PeriodFrom), dateOnly(in.PeriodTo)
	if in.PeriodFrom != nil && in.PeriodTo != nil && in.PeriodTo.Before(*in.PeriodFrom) {
		inv.Add("period_to", "error.period_order")
	}
	if in.PeriodFrom != nil && in.PeriodFrom.Year() > year {
		inv.Add("period_from", "error.plan_period_year")
	}
	if in.PeriodTo != nil && in.PeriodTo.Year() < year {
		inv.Add("period_to", "error.plan_period_year")
	}
	if in.EstimatedCostCents < 0 {
		inv.Add("estimated_cost_cents", "error.invalid")
	}
	if in.FundingSource == "" {
		in.FundingSource = SourceCompany
	}
	if !slices.Contains(FundingSources, in.FundingSource) {
		inv.Add("funding_source", "error.invalid")
	}
	return inv.OrNil()
}

// PlanLineData is a line as a version of the plan holds it: the frozen
// copies store these as JSON, with the department's name of the day.
type PlanLineData struct {
	ID int64 `db:"id" json:"id"`
	PlanLineInput
	DepartmentName string `db:"department_name" json:"department_name"`
}

// PlanLine is a line of the working version with how it is carried out:
// the requests linked to it with their stage, and their sessions booked
// (planned or confirmed) and done.
type PlanLine struct {
	PlanLineData
	PlanID         int64             `db:"plan_id" json:"plan_id"`
	Requests       []PlanLineRequest `db:"-" json:"requests"`
	SessionsBooked int               `db:"-" json:"sessions_booked"`
	SessionsDone   int               `db:"-" json:"sessions_done"`
	CreatedAt      time.Time         `db:"created_at" json:"created_at"`
	UpdatedAt      time.Time         `db:"updated_at" json:"updated_at"`
}

// PlanLineRequest is a request linked to a plan line and its stage.
type PlanLineRequest struct {
	ID    int64  `json:"id"`
	Topic string `json:"topic"`
	Stage string `json:"stage"`
}

const planLineColumns = `l.id, l.plan_id, l.title, l.department_id, COALESCE(d.name, '') AS department_name, l.population,
	l.trainees, l.priority, l.category, l.period_from, l.period_to, l.estimated_cost_cents, l.funding_source, l.notes,
	l.created_at, l.updated_at`

const planLineFrom = ` FROM plan_lines l JOIN plans p ON p.id = l.plan_id
	LEFT JOIN client_departments d ON d.id = l.department_id`

// loadPlanLines reads the client's plan lines matching cond, by id, with their progress.
func loadPlanLines(ctx context.Context, q db.Querier, clientID int64, cond string, args ...any) ([]PlanLine, error) {
	var lines []PlanLine
	if err := q.Select(ctx, &lines, "SELECT "+planLineColumns+planLineFrom+" WHERE p.client_id = ? AND "+cond+" ORDER BY l.id",
		append([]any{clientID}, args...)...); err != nil {
		return nil, fmt.Errorf("crm: load plan lines: %w", err)
	}
	if len(lines) == 0 {
		return lines, nil
	}
	ids := make([]any, len(lines))
	byID := map[int64]*PlanLine{}
	for i := range lines {
		lines[i].Requests = []PlanLineRequest{}
		ids[i], byID[lines[i].ID] = lines[i].ID, &lines[i]
	}
	in := "(?" + strings.Repeat(", ?", len(ids)-1) + ")"
	var reqs []struct {
		ID     int64  `db:"id"`
		LineID int64  `db:"plan_line_id"`
		Topic  string `db:"topic"`
		TrackState
	}
	// The client is in the WHERE clause: a request of another client never
	// shows, even if its plan_line_id were wrong.
	if err := q.Select(ctx, &reqs, `SELECT r.id, r.plan_line_id, r.topic, r.status, r.sourcing, r.decision, r.funding, r.delivery
		FROM requests r WHERE r.client_id = ? AND r.plan_line_id IN `+in+" ORDER BY r.id", append([]any{clientID}, ids...)...); err != nil {
		return nil, fmt.Errorf("crm: plan line requests: %w", err)
	}
	for _, r := range reqs {
		l := byID[r.LineID]
		l.Requests = append(l.Requests, PlanLineRequest{ID: r.ID, Topic: r.Topic, Stage: r.TrackState.Stage()})
	}
	var sessions []struct {
		LineID int64  `db:"plan_line_id"`
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := q.Select(ctx, &sessions, `SELECT r.plan_line_id, b.status, COUNT(*) AS n FROM bookings b
		JOIN requests r ON r.id = b.request_id WHERE r.client_id = ? AND r.plan_line_id IN `+in+`
		GROUP BY r.plan_line_id, b.status`, append([]any{clientID}, ids...)...); err != nil {
		return nil, fmt.Errorf("crm: plan line sessions: %w", err)
	}
	for _, s := range sessions {
		switch l := byID[s.LineID]; s.Status {
		case BookingPlanned, BookingConfirmed:
			l.SessionsBooked += s.N
		case BookingDone:
			l.SessionsDone += s.N
		}
	}
	return lines, nil
}

// Line loads a line of one of the client's plans with its progress.
func (s *Plans) Line(ctx context.Context, clientID, lineID int64) (PlanLine, error) {
	return loadPlanLine(ctx, s.db, clientID, lineID)
}

func loadPlanLine(ctx context.Context, q db.Querier, clientID, lineID int64) (PlanLine, error) {
	lines, err := loadPlanLines(ctx, q, clientID, "l.id = ?", lineID)
	if err != nil {
		return PlanLine{}, err
	}
	if len(lines) == 0 {
		return PlanLine{}, fmt.Errorf("crm: plan line %d of client %d: %w", lineID, clientID, errs.ErrNotFound)
	}
	return lines[0], nil
}

// linePlan returns the plan of the client's line lineID.
func linePlan(ctx context.Context, q db.Querier, clientID, lineID int64) (int64, error) {
	var planID int64
	if err := q.Get(ctx, &planID, "SELECT l.plan_id"+planLineFrom+" WHERE l.id = ? AND p.client_id = ?", lineID, clientID); err != nil {
		return 0, fmt.Errorf("crm: plan line %d of client %d: %w", lineID, clientID, err)
	}
	return planID, nil
}

// AddLine adds an action to the client's plan while it is a draft.
func (s *Plans) AddLine(ctx context.Context, clientID, planID int64, in PlanLineInput) (PlanLine, error) {
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkClientActor(ctx, tx, clientID); err != nil {
			return err
		}
		now := s.now().UTC()
		p, err := lockDraft(ctx, tx, clientID, planID, now)
		if err != nil {
			return err
		}
		if err := in.normalize(p.Year); err != nil {
			return err
		}
		if err := checkDepartment(ctx, tx, &clientID, in.DepartmentID); err != nil {
			return err
		}
		id, err = db.InsertID(ctx, tx, `INSERT INTO plan_lines (plan_id, title, department_id, population, trainees, priority,
			category, period_from, period_to, estimated_cost_cents, funding_source, notes, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, planID, in.Title, in.DepartmentID, in.Population,
			in.Trainees, in.Priority, in.Category, in.PeriodFrom, in.PeriodTo, in.EstimatedCostCents, in.FundingSource,
			in.Notes, now, now)
		if err != nil {
			return fmt.Errorf("crm: add plan line: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "plan.line_add", Entity: RecordPlan, EntityID: planID,
			Details: map[string]any{"line_id": id, "title": in.Title}})
	})
	if err != nil {
		return PlanLine{}, err
	}
	return s.Line(ctx, clientID, id)
}

// UpdateLine changes an action of the client's plan while it is a draft.
func (s *Plans) UpdateLine(ctx context.Context, clientID, lineID int64, in PlanLineInput) (PlanLine, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkClientActor(ctx, tx, clientID); err != nil {
			return err
		}
		planID, err := linePlan(ctx, tx, clientID, lineID)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		p, err := lockDraft(ctx, tx, clientID, planID, now)
		if err != nil {
			return err
		}
		if err := in.normalize(p.Year); err != nil {
			return err
		}
		if err := checkDepartment(ctx, tx, &clientID, in.DepartmentID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE plan_lines SET title = ?, department_id = ?, population = ?, trainees = ?,
			priority = ?, category = ?, period_from = ?, period_to = ?, estimated_cost_cents = ?, funding_source = ?,
			notes = ?, updated_at = ? WHERE id = ?`, in.Title, in.DepartmentID, in.Population, in.Trainees, in.Priority,
			in.Category, in.PeriodFrom, in.PeriodTo, in.EstimatedCostCents, in.FundingSource, in.Notes, now, lineID); err != nil {
			return fmt.Errorf("crm: update plan line %d: %w", lineID, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "plan.line_update", Entity: RecordPlan, EntityID: planID,
			Details: map[string]any{"line_id": lineID}})
	})
	if err != nil {
		return PlanLine{}, err
	}
	return s.Line(ctx, clientID, lineID)
}

// RemoveLine removes an action from the client's plan while it is a
// draft; frozen copies keep it. A line that requests are linked to stays
// until they are unlinked, so that their budget does not silently move to
// another envelope.
func (s *Plans) RemoveLine(ctx context.Context, clientID, lineID int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkClientActor(ctx, tx, clientID); err != nil {
			return err
		}
		planID, err := linePlan(ctx, tx, clientID, lineID)
		if err != nil {
			return err
		}
		if _, err := lockDraft(ctx, tx, clientID, planID, s.now().UTC()); err != nil {
			return err
		}
		var linked int
		if err := tx.Get(ctx, &linked, "SELECT COUNT(*) FROM requests WHERE plan_line_id = ?", lineID); err != nil {
			return fmt.Errorf("crm: requests of plan line %d: %w", lineID, err)
		}
		if linked > 0 {
			return errs.NewInvalid("requests", "error.plan_line_linked")
		}
		if _, err := tx.Exec(ctx, "DELETE FROM plan_lines WHERE id = ?", lineID); err != nil {
			return fmt.Errorf("crm: remove plan line %d: %w", lineID, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "plan.line_remove", Entity: RecordPlan, EntityID: planID,
			Details: map[string]any{"line_id": lineID}})
	})
}

// LinkRequest links the client's request to a line of the client's plan
// (moving it from another line if it had one). A plan need not be a draft:
// linking the requests that carry out a frozen plan does not change it.
// A line or a request of another client is errs.ErrNotFound.
func (s *Plans) LinkRequest(ctx context.Context, clientID, lineID, requestID int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkClientActor(ctx, tx, clientID); err != nil {
			return err
		}
		if _, err := linePlan(ctx, tx, clientID, lineID); err != nil {
			return err
		}
		return setRequestPlanLine(ctx, tx, clientID, requestID, &lineID)
	})
}

// UnlinkRequest detaches the client's request from its plan line.
func (s *Plans) UnlinkRequest(ctx context.Context, clientID, requestID int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkClientActor(ctx, tx, clientID); err != nil {
			return err
		}
		return setRequestPlanLine(ctx, tx, clientID, requestID, nil)
	})
}

func setRequestPlanLine(ctx context.Context, q db.Querier, clientID, requestID int64, lineID *int64) error {
	var from *int64
	if err := q.Get(ctx, &from, "SELECT plan_line_id FROM requests WHERE id = ? AND client_id = ?", requestID, clientID); err != nil {
		return fmt.Errorf("crm: request %d of client %d: %w", requestID, clientID, err)
	}
	if _, err := q.Exec(ctx, "UPDATE requests SET plan_line_id = ?, updated_at = ? WHERE id = ? AND client_id = ?",
		lineID, time.Now().UTC(), requestID, clientID); err != nil {
		return fmt.Errorf("crm: link request %d: %w", requestID, err)
	}
	return audit.Record(ctx, q, audit.Event{Action: "request.plan_line", Entity: RecordRequest, EntityID: requestID,
		Details: map[string]any{"from": from, "to": lineID}})
}

// checkPlanLine refuses a plan line that is not one of the client's, as
// errs.Invalid on plan_line_id; nil is fine. For checkRequestRefs, on
// RequestInput.PlanLineID.
func checkPlanLine(ctx context.Context, q db.Querier, clientID int64, lineID *int64) error {
	if lineID == nil {
		return nil
	}
	if _, err := linePlan(ctx, q, clientID, *lineID); err != nil {
		return errs.NewInvalid("plan_line_id", "error.not_of_client")
	}
	return nil
}
