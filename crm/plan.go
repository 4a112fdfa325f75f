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

// Plan statuses: a plan is worked on as a draft, and frozen once the works
// council (CSE) has been consulted on it (Code du travail L2312-24).
const (
	PlanDraft  = "draft"
	PlanFrozen = "frozen"
)

// Plan line categories: training the employer must provide to adapt
// employees to their job (L6321-2), or optional skills development.
const (
	CategoryMandatory   = "mandatory"
	CategoryDevelopment = "development"
)

// PlanCategories lists the categories of a plan line.
var PlanCategories = []string{CategoryMandatory, CategoryDevelopment}

// Funding sources of a plan line and of a budget envelope: the company's
// own money, its OPCO, or the employer's co-funding of a CPF (abondement).
const (
	SourceCompany = "company"
	SourceOPCO    = "opco"
	SourceCPF     = "cpf"
)

// FundingSources lists the funding sources, in the order budgets show them.
var FundingSources = []string{SourceCompany, SourceOPCO, SourceCPF}

// RecordPlan is the audit entity of plans and their lines.
const RecordPlan = "plan"

// Plan is a client's training plan (plan de développement des compétences)
// for one year. Version is the working version: the number its next frozen
// copy will take. LastFrozen is the latest frozen copy, without its lines.
// LineCount and EstimatedCents cover the lines the reader may see.
type Plan struct {
	ID             int64        `db:"id" json:"id"`
	ClientID       int64        `db:"client_id" json:"client_id"`
	Year           int          `db:"year" json:"year"`
	Title          string       `db:"title" json:"title"`
	Status         string       `db:"status" json:"status"`
	Version        int          `db:"version" json:"version"`
	LineCount      int          `db:"line_count" json:"line_count"`
	EstimatedCents int64        `db:"estimated_cents" json:"estimated_cents"`
	LastFrozen     *PlanVersion `db:"-" json:"last_frozen,omitempty"`
	Lines          []PlanLine   `db:"-" json:"lines,omitempty"`
	CreatedAt      time.Time    `db:"created_at" json:"created_at"`
	UpdatedAt      time.Time    `db:"updated_at" json:"updated_at"`
}

// PlanInput opens a client's plan for a year.
type PlanInput struct {
	Year  int    `json:"year"`
	Title string `json:"title"`
}

// Plans is the training plan service. Every method takes the client first
// and a plan or line of another client is errs.ErrNotFound. Reads take the
// departments the reader may see (see departmentCond): nil is all.
type Plans struct {
	db  *db.DB
	now func() time.Time
}

// NewPlans returns the training plan service.
func NewPlans(d *db.DB) *Plans { return &Plans{db: d, now: time.Now} }

// validYear reports whether year is one a plan or a budget may be for.
func validYear(year int) bool { return year >= 2000 && year <= 2100 }

// Create opens the client's plan for a year, as a draft; there is one plan
// per client and year.
func (s *Plans) Create(ctx context.Context, clientID int64, in PlanInput) (Plan, error) {
	in.Title = strings.TrimSpace(in.Title)
	if !validYear(in.Year) {
		return Plan{}, errs.NewInvalid("year", "error.invalid")
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkClientActor(ctx, tx, clientID); err != nil {
			return err
		}
		var n int
		if err := tx.Get(ctx, &n, "SELECT COUNT(*) FROM plans WHERE client_id = ? AND year = ?", clientID, in.Year); err != nil {
			return fmt.Errorf("crm: plans of client %d: %w", clientID, err)
		}
		if n > 0 {
			return errs.NewInvalid("year", "error.plan_exists")
		}
		now := s.now().UTC()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO plans (client_id, year, title, status, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id`, clientID, in.Year, in.Title, PlanDraft, now, now)
		if err != nil {
			return fmt.Errorf("crm: create plan: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "plan.create", Entity: RecordPlan, EntityID: id,
			Details: map[string]any{"client_id": clientID, "year": in.Year}})
	})
	if err != nil {
		return Plan{}, err
	}
	return s.Get(ctx, clientID, id, nil)
}

// checkClientActor refuses an unknown client, and a client user acting for
// another company than its own: both are ErrNotFound.
func checkClientActor(ctx context.Context, q db.Querier, clientID int64) error {
	if a := audit.ActorFrom(ctx); a.Kind == audit.ActorExtranet {
		var own int64
		if err := q.Get(ctx, &own, "SELECT client_id FROM extranet_users WHERE id = ?", a.ID); err != nil || own != clientID {
			return fmt.Errorf("crm: client %d for extranet user %d: %w", clientID, a.ID, errs.ErrNotFound)
		}
	}
	var one int
	if err := q.Get(ctx, &one, "SELECT 1 FROM clients WHERE id = ?", clientID); err != nil {
		return fmt.Errorf("crm: client %d: %w", clientID, err)
	}
	return nil
}

// departmentCond restricts col (a department id column) to departments:
// nil is no restriction; an id of 0 stands for "no department", the whole
// company; an empty list matches nothing.
func departmentCond(col string, departments []int64) (string, []any) {
	if departments == nil {
		return "1 = 1", nil
	}
	var ids []any
	var parts []string
	for _, d := range departments {
		if d != 0 {
			ids = append(ids, d)
		}
	}
	if len(ids) > 0 {
		parts = append(parts, col+" IN (?"+strings.Repeat(", ?", len(ids)-1)+")")
	}
	if slices.Contains(departments, 0) {
		parts = append(parts, col+" IS NULL")
	}
	if len(parts) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", ids
}

// inDepartments is departmentCond in Go, for frozen copies and budget rows.
func inDepartments(id *int64, departments []int64) bool {
	if departments == nil {
		return true
	}
	if id == nil {
		return slices.Contains(departments, 0)
	}
	return *id != 0 && slices.Contains(departments, *id)
}

// planColumns reads a plan with the count and estimated cost of the lines
// matching the department condition whose text is spliced at %s (twice).
const planColumns = `p.id, p.client_id, p.year, p.title, p.status, p.version, p.created_at, p.updated_at,
	(SELECT COUNT(*) FROM plan_lines l WHERE l.plan_id = p.id AND %[1]s) AS line_count,
	(SELECT CAST(COALESCE(SUM(l.estimated_cost_cents), 0) AS BIGINT) FROM plan_lines l WHERE l.plan_id = p.id AND %[1]s) AS estimated_cents`

// loadPlans reads the client's plans matching cond, by year.
func loadPlans(ctx context.Context, q db.Querier, clientID int64, departments []int64, cond string, args ...any) ([]Plan, error) {
	dc, dargs := departmentCond("l.department_id", departments)
	all := append(append(append([]any{}, dargs...), dargs...), clientID)
	var out []Plan
	if err := q.Select(ctx, &out, "SELECT "+fmt.Sprintf(planColumns, dc)+" FROM plans p WHERE p.client_id = ? AND "+cond+
		" ORDER BY p.year", append(all, args...)...); err != nil {
		return nil, fmt.Errorf("crm: load plans of client %d: %w", clientID, err)
	}
	for i := range out {
		v, err := lastVersion(ctx, q, out[i].ID)
		if err != nil {
			return nil, err
		}
		out[i].LastFrozen = v
	}
	return out, nil
}

// loadPlan reads one plan of the client with the lines the departments
// allow and their progress.
func loadPlan(ctx context.Context, q db.Querier, clientID int64, departments []int64, cond string, args ...any) (Plan, error) {
	list, err := loadPlans(ctx, q, clientID, departments, cond, args...)
	if err != nil {
		return Plan{}, err
	}
	if len(list) == 0 {
		return Plan{}, fmt.Errorf("crm: plan %v of client %d: %w", args[0], clientID, errs.ErrNotFound)
	}
	p := list[0]
	dc, dargs := departmentCond("l.department_id", departments)
	if p.Lines, err = loadPlanLines(ctx, q, clientID, "l.plan_id = ? AND "+dc, append([]any{p.ID}, dargs...)...); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// Get loads the client's plan with its lines (those of departments) and
// their progress.
func (s *Plans) Get(ctx context.Context, clientID, planID int64, departments []int64) (Plan, error) {
	return loadPlan(ctx, s.db, clientID, departments, "p.id = ?", planID)
}

// ForYear loads the client's plan of a year; errs.ErrNotFound when there is none.
func (s *Plans) ForYear(ctx context.Context, clientID int64, year int, departments []int64) (Plan, error) {
	return loadPlan(ctx, s.db, clientID, departments, "p.year = ?", year)
}

// List returns the client's plans by year, without their lines.
func (s *Plans) List(ctx context.Context, clientID int64, departments []int64) ([]Plan, error) {
	return loadPlans(ctx, s.db, clientID, departments, "1 = 1")
}

// planRow is a plan's state read inside a write transaction.
type planRow struct {
	ID       int64  `db:"id"`
	ClientID int64  `db:"client_id"`
	Year     int    `db:"year"`
	Status   string `db:"status"`
	Version  int    `db:"version"`
}

// lockPlan takes the client's plan for the rest of the transaction: the
// UPDATE locks the row on PostgreSQL (SQLite's write transaction already
// excludes other writers), so a line cannot be added while the plan is
// being frozen. Another client's plan is ErrNotFound.
func lockPlan(ctx context.Context, q db.Querier, clientID, planID int64, now time.Time) (planRow, error) {
	var p planRow
	if err := q.ExecReturning(ctx, &p, `UPDATE plans SET updated_at = ? WHERE id = ? AND client_id = ?
		RETURNING id, client_id, year, status, version`, now, planID, clientID); err != nil {
		return p, fmt.Errorf("crm: plan %d of client %d: %w", planID, clientID, err)
	}
	return p, nil
}

// lockDraft is lockPlan for a change of the lines: a frozen plan is the
// copy the CSE was consulted on and must be reopened first.
func lockDraft(ctx context.Context, q db.Querier, clientID, planID int64, now time.Time) (planRow, error) {
	p, err := lockPlan(ctx, q, clientID, planID, now)
	if err == nil && p.Status != PlanDraft {
		err = errs.NewInvalid("status", "error.plan_frozen")
	}
	return p, err
}
