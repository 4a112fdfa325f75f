package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// PlanVersion is a frozen copy of a plan: its lines as they were when the
// plan was frozen after the CSE consultation of CSEDate, and who froze it
// (a staff or a client user). It never changes (the database refuses it).
type PlanVersion struct {
	PlanID             int64          `db:"plan_id" json:"plan_id"`
	Version            int            `db:"version" json:"version"`
	CSEDate            time.Time      `db:"cse_date" json:"cse_date"`
	FrozenAt           time.Time      `db:"frozen_at" json:"frozen_at"`
	FrozenByStaffID    *int64         `db:"frozen_by_staff_id" json:"frozen_by_staff_id,omitempty"`
	FrozenByExtranetID *int64         `db:"frozen_by_extranet_id" json:"frozen_by_extranet_id,omitempty"`
	FrozenByName       string         `db:"frozen_by_name" json:"frozen_by_name"`
	Lines              []PlanLineData `db:"-" json:"lines,omitempty"`
}

const planVersionColumns = `v.plan_id, v.version, v.cse_date, v.frozen_at, v.frozen_by_staff_id, v.frozen_by_extranet_id,
	COALESCE(su.name, eu.name, '') AS frozen_by_name`

const planVersionFrom = ` FROM plan_versions v JOIN plans p ON p.id = v.plan_id
	LEFT JOIN staff_users su ON su.id = v.frozen_by_staff_id LEFT JOIN extranet_users eu ON eu.id = v.frozen_by_extranet_id`

// lastVersion returns the latest frozen copy of a plan, without its lines; nil before the first freeze.
func lastVersion(ctx context.Context, q db.Querier, planID int64) (*PlanVersion, error) {
	var list []PlanVersion
	if err := q.Select(ctx, &list, "SELECT "+planVersionColumns+planVersionFrom+
		" WHERE v.plan_id = ? ORDER BY v.version DESC LIMIT 1", planID); err != nil {
		return nil, fmt.Errorf("crm: last version of plan %d: %w", planID, err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

// Freeze records that the client's plan was presented to the CSE on
// cseDate: its lines are copied into the next version, which never
// changes, and the plan can no longer be edited until reopened.
func (s *Plans) Freeze(ctx context.Context, clientID, planID int64, cseDate time.Time) (Plan, error) {
	now := s.now().UTC()
	if cseDate.IsZero() {
		return Plan{}, errs.NewInvalid("cse_date", "error.required")
	}
	cse := *dateOnly(&cseDate)
	if cse.Format(time.DateOnly) > now.In(i18n.Paris).Format(time.DateOnly) {
		return Plan{}, errs.NewInvalid("cse_date", "error.date_future")
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkClientActor(ctx, tx, clientID); err != nil {
			return err
		}
		p, err := lockDraft(ctx, tx, clientID, planID, now)
		if err != nil {
			return err
		}
		// Read after the lock: on PostgreSQL this statement sees every line
		// committed before it, so the copy is exactly what is frozen.
		lines, err := loadPlanLines(ctx, tx, clientID, "l.plan_id = ?", planID)
		if err != nil {
			return err
		}
		if len(lines) == 0 {
			return errs.NewInvalid("lines", "error.plan_empty")
		}
		data := make([]PlanLineData, len(lines))
		for i, l := range lines {
			data[i] = l.PlanLineData
		}
		snapshot, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("crm: encode plan %d: %w", planID, err)
		}
		staff, extranet := actorIDs(ctx)
		if _, err := tx.Exec(ctx, `INSERT INTO plan_versions (plan_id, version, cse_date, frozen_at, frozen_by_staff_id,
			frozen_by_extranet_id, lines) VALUES (?, ?, ?, ?, ?, ?, ?)`, planID, p.Version, cse, now, staff, extranet,
			string(snapshot)); err != nil {
			return fmt.Errorf("crm: freeze plan %d: %w", planID, err)
		}
		if _, err := tx.Exec(ctx, "UPDATE plans SET status = ? WHERE id = ?", PlanFrozen, planID); err != nil {
			return fmt.Errorf("crm: freeze plan %d: %w", planID, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "plan.freeze", Entity: RecordPlan, EntityID: planID,
			Details: map[string]any{"version": p.Version, "cse_date": cse.Format(time.DateOnly), "lines": len(lines)}})
	})
	if err != nil {
		return Plan{}, err
	}
	return s.Get(ctx, clientID, planID, nil)
}

// Reopen makes a frozen plan editable again as the next working version;
// the frozen copies stay as they are.
func (s *Plans) Reopen(ctx context.Context, clientID, planID int64) (Plan, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkClientActor(ctx, tx, clientID); err != nil {
			return err
		}
		p, err := lockPlan(ctx, tx, clientID, planID, s.now().UTC())
		if err != nil {
			return err
		}
		if p.Status != PlanFrozen {
			return errs.NewInvalid("status", "error.plan_not_frozen")
		}
		if _, err := tx.Exec(ctx, "UPDATE plans SET status = ?, version = ? WHERE id = ?", PlanDraft, p.Version+1, planID); err != nil {
			return fmt.Errorf("crm: reopen plan %d: %w", planID, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "plan.reopen", Entity: RecordPlan, EntityID: planID,
			Details: map[string]any{"version": p.Version + 1}})
	})
	if err != nil {
		return Plan{}, err
	}
	return s.Get(ctx, clientID, planID, nil)
}

// Versions lists the frozen copies of the client's plan, oldest first, without their lines.
func (s *Plans) Versions(ctx context.Context, clientID, planID int64) ([]PlanVersion, error) {
	if _, err := s.plan(ctx, clientID, planID); err != nil {
		return nil, err
	}
	out := []PlanVersion{}
	if err := s.db.Select(ctx, &out, "SELECT "+planVersionColumns+planVersionFrom+
		" WHERE v.plan_id = ? AND p.client_id = ? ORDER BY v.version", planID, clientID); err != nil {
		return nil, fmt.Errorf("crm: versions of plan %d: %w", planID, err)
	}
	return out, nil
}

// plan reads the client's plan without lines.
func (s *Plans) plan(ctx context.Context, clientID, planID int64) (planRow, error) {
	var p planRow
	if err := s.db.Get(ctx, &p, "SELECT id, client_id, year, status, version FROM plans WHERE id = ? AND client_id = ?",
		planID, clientID); err != nil {
		return p, fmt.Errorf("crm: plan %d of client %d: %w", planID, clientID, err)
	}
	return p, nil
}

// Version loads a frozen copy of the client's plan with its lines (those
// of departments); errs.ErrNotFound for a version never frozen.
func (s *Plans) Version(ctx context.Context, clientID, planID int64, version int, departments []int64) (PlanVersion, error) {
	var v struct {
		PlanVersion
		Lines string `db:"lines"`
	}
	if err := s.db.Get(ctx, &v, "SELECT "+planVersionColumns+", v.lines"+planVersionFrom+
		" WHERE v.plan_id = ? AND p.client_id = ? AND v.version = ?", planID, clientID, version); err != nil {
		return PlanVersion{}, fmt.Errorf("crm: version %d of plan %d: %w", version, planID, err)
	}
	var lines []PlanLineData
	if err := json.Unmarshal([]byte(v.Lines), &lines); err != nil {
		return PlanVersion{}, fmt.Errorf("crm: decode version %d of plan %d: %w", version, planID, err)
	}
	v.PlanVersion.Lines = []PlanLineData{}
	for _, l := range lines {
		if inDepartments(l.DepartmentID, departments) {
			v.PlanVersion.Lines = append(v.PlanVersion.Lines, l)
		}
	}
	return v.PlanVersion, nil
}

// linesAt returns the lines of a version of the client's plan; 0 is the working version.
func (s *Plans) linesAt(ctx context.Context, clientID, planID int64, version int) ([]PlanLineData, error) {
	if version != 0 {
		v, err := s.Version(ctx, clientID, planID, version, nil)
		return v.Lines, err
	}
	if _, err := s.plan(ctx, clientID, planID); err != nil {
		return nil, err
	}
	lines, err := loadPlanLines(ctx, s.db, clientID, "l.plan_id = ?", planID)
	if err != nil {
		return nil, err
	}
	out := make([]PlanLineData, len(lines))
	for i, l := range lines {
		out[i] = l.PlanLineData
	}
	return out, nil
}

// Operations of a plan diff.
const (
	LineAdded   = "added"
	LineRemoved = "removed"
	LineChanged = "changed"
)

// PlanDiff is what changed in a plan from one version to another; To 0 is
// the working version. Changes are ordered by line id.
type PlanDiff struct {
	From    int          `json:"from"`
	To      int          `json:"to"`
	Changes []PlanChange `json:"changes"`
}

// PlanChange is a line added, removed or changed between two versions:
// Line is the line as it is in To (as it was in From, when removed), and
// Fields the fields changed, in the order of PlanLineFields.
type PlanChange struct {
	Op     string        `json:"op"`
	LineID int64         `json:"line_id"`
	Line   PlanLineData  `json:"line"`
	Fields []FieldChange `json:"fields,omitempty"`
}

// FieldChange is a field whose value went from Old to New, both as text:
// dates as YYYY-MM-DD, amounts in cents, codes (priority, category,
// funding source) untranslated, and the department by name (empty: the
// whole company).
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// planLineField is a field a diff compares: its value as shown, and as
// compared when that differs (the department is compared by id, shown by name).
type planLineField struct {
	name       string
	show, same func(PlanLineData) string
}

func dateText(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

var planLineFields = []planLineField{
	{name: "title", show: func(l PlanLineData) string { return l.Title }},
	{name: "department_id", show: func(l PlanLineData) string { return l.DepartmentName }, same: func(l PlanLineData) string {
		if l.DepartmentID == nil {
			return ""
		}
		return strconv.FormatInt(*l.DepartmentID, 10)
	}},
	{name: "population", show: func(l PlanLineData) string { return l.Population }},
	{name: "trainees", show: func(l PlanLineData) string { return strconv.Itoa(l.Trainees) }},
	{name: "priority", show: func(l PlanLineData) string { return l.Priority }},
	{name: "category", show: func(l PlanLineData) string { return l.Category }},
	{name: "period_from", show: func(l PlanLineData) string { return dateText(l.PeriodFrom) }},
	{name: "period_to", show: func(l PlanLineData) string { return dateText(l.PeriodTo) }},
	{name: "estimated_cost_cents", show: func(l PlanLineData) string { return strconv.FormatInt(l.EstimatedCostCents, 10) }},
	{name: "funding_source", show: func(l PlanLineData) string { return l.FundingSource }},
	{name: "notes", show: func(l PlanLineData) string { return l.Notes }},
}

// PlanLineFields lists the fields a diff compares, in its order (the i18n
// key of each is "plan.line." + field).
func PlanLineFields() []string {
	out := make([]string, len(planLineFields))
	for i, f := range planLineFields {
		out[i] = f.name
	}
	return out
}

// Diff lists the lines added, removed and changed in the client's plan
// from version from to version to (0: the working version), keeping the
// lines of departments (before or after the change).
func (s *Plans) Diff(ctx context.Context, clientID, planID int64, from, to int, departments []int64) (PlanDiff, error) {
	a, err := s.linesAt(ctx, clientID, planID, from)
	if err != nil {
		return PlanDiff{}, err
	}
	b, err := s.linesAt(ctx, clientID, planID, to)
	if err != nil {
		return PlanDiff{}, err
	}
	return PlanDiff{From: from, To: to, Changes: diffLines(a, b, departments)}, nil
}

// diffLines compares two versions' lines by id.
func diffLines(a, b []PlanLineData, departments []int64) []PlanChange {
	before, after := map[int64]PlanLineData{}, map[int64]PlanLineData{}
	var ids []int64
	for _, l := range a {
		before[l.ID] = l
		ids = append(ids, l.ID)
	}
	for _, l := range b {
		after[l.ID] = l
		if _, ok := before[l.ID]; !ok {
			ids = append(ids, l.ID)
		}
	}
	slices.Sort(ids)
	changes := []PlanChange{}
	for _, id := range ids {
		old, wasThere := before[id]
		cur, isThere := after[id]
		visible := (wasThere && inDepartments(old.DepartmentID, departments)) || (isThere && inDepartments(cur.DepartmentID, departments))
		switch {
		case !visible:
		case !wasThere:
			changes = append(changes, PlanChange{Op: LineAdded, LineID: id, Line: cur})
		case !isThere:
			changes = append(changes, PlanChange{Op: LineRemoved, LineID: id, Line: old})
		default:
			var fields []FieldChange
			for _, f := range planLineFields {
				same := f.same
				if same == nil {
					same = f.show
				}
				if same(old) != same(cur) {
					fields = append(fields, FieldChange{Field: f.name, Old: f.show(old), New: f.show(cur)})
				}
			}
			if len(fields) > 0 {
				changes = append(changes, PlanChange{Op: LineChanged, LineID: id, Line: cur, Fields: fields})
			}
		}
	}
	return changes
}
