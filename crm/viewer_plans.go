package crm

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
)

// The training plan and budget methods of the extranet: each takes the
// Viewer first and applies the rules of Policy for RecordPlan and
// RecordEnvelope. A role that may not see plans (or budgets) gets
// errs.ErrNotFound for everything, as for another company's plan; one that
// sees them but may not edit gets errs.ErrForbidden on writes. Reads pass
// the departments the viewer sees to the client-first methods: nil (all)
// for a company-wide scope, the manager's departments for a departments
// scope (an empty list, seeing nothing, when they have none).

// departmentsFor returns the department filter of v's view of kind, and
// whether v may see records of kind at all.
func (v Viewer) departmentsFor(kind string) ([]int64, bool) {
	allowed := v.allowed(kind, ActView)
	switch {
	case v.ClientID == 0 || v.UserID == 0 || allowed == 0:
		return nil, false
	case allowed&ScopeCompany != 0:
		return nil, true
	case allowed&ScopeDepartments != 0:
		return append([]int64{}, v.DepartmentIDs...), true
	}
	return nil, false
}

// CanView reports whether v sees the plans (kind RecordPlan) or the budgets
// (RecordEnvelope) of v's company, at least in part.
func (v Viewer) CanView(kind string) bool {
	_, ok := v.departmentsFor(kind)
	return ok
}

// CanEdit reports whether v may change the plans or the envelopes (kind) of v's company.
func (v Viewer) CanEdit(kind string) bool {
	return v.Can(ActEdit, Resource{Kind: kind, ClientID: v.ClientID})
}

// viewFilter is departmentsFor as an error: ErrNotFound when v sees nothing of kind.
func (v Viewer) viewFilter(kind string) ([]int64, error) {
	depts, ok := v.departmentsFor(kind)
	if !ok {
		return nil, fmt.Errorf("crm: %s for %s: %w", kind, v.Role, errs.ErrNotFound)
	}
	return depts, nil
}

// editCheck refuses a write v may not make: ErrNotFound when v does not
// even see kind, ErrForbidden when v sees it read only.
func (v Viewer) editCheck(kind string) error {
	if _, err := v.viewFilter(kind); err != nil {
		return err
	}
	if !v.CanEdit(kind) {
		return fmt.Errorf("crm: edit %s as %s: %w", kind, v.Role, errs.ErrForbidden)
	}
	return nil
}

// ForYearFor loads v's company's plan of a year with the lines v may see;
// errs.ErrNotFound when there is none or v may not see plans.
func (s *Plans) ForYearFor(ctx context.Context, v Viewer, year int) (Plan, error) {
	depts, err := v.viewFilter(RecordPlan)
	if err != nil {
		return Plan{}, err
	}
	return s.ForYear(ctx, v.ClientID, year, depts)
}

// GetFor loads a plan of v's company with the lines v may see.
func (s *Plans) GetFor(ctx context.Context, v Viewer, planID int64) (Plan, error) {
	depts, err := v.viewFilter(RecordPlan)
	if err != nil {
		return Plan{}, err
	}
	return s.Get(ctx, v.ClientID, planID, depts)
}

// ListFor returns v's company's plans by year, without their lines.
func (s *Plans) ListFor(ctx context.Context, v Viewer) ([]Plan, error) {
	depts, err := v.viewFilter(RecordPlan)
	if err != nil {
		return nil, err
	}
	return s.List(ctx, v.ClientID, depts)
}

// CreateFor opens v's company's plan for a year.
func (s *Plans) CreateFor(ctx context.Context, v Viewer, in PlanInput) (Plan, error) {
	if err := v.editCheck(RecordPlan); err != nil {
		return Plan{}, err
	}
	return s.Create(v.context(ctx), v.ClientID, in)
}

// LineFor loads a line of v's company's plans, if v sees its department.
func (s *Plans) LineFor(ctx context.Context, v Viewer, lineID int64) (PlanLine, error) {
	depts, err := v.viewFilter(RecordPlan)
	if err != nil {
		return PlanLine{}, err
	}
	l, err := s.Line(ctx, v.ClientID, lineID)
	if err != nil {
		return PlanLine{}, err
	}
	if !inDepartments(l.DepartmentID, depts) {
		return PlanLine{}, fmt.Errorf("crm: plan line %d for user %d: %w", lineID, v.UserID, errs.ErrNotFound)
	}
	return l, nil
}

// AddLineFor adds an action to a draft plan of v's company.
func (s *Plans) AddLineFor(ctx context.Context, v Viewer, planID int64, in PlanLineInput) (PlanLine, error) {
	if err := v.editCheck(RecordPlan); err != nil {
		return PlanLine{}, err
	}
	return s.AddLine(v.context(ctx), v.ClientID, planID, in)
}

// UpdateLineFor changes an action of a draft plan of v's company.
func (s *Plans) UpdateLineFor(ctx context.Context, v Viewer, lineID int64, in PlanLineInput) (PlanLine, error) {
	if err := v.editCheck(RecordPlan); err != nil {
		return PlanLine{}, err
	}
	return s.UpdateLine(v.context(ctx), v.ClientID, lineID, in)
}

// RemoveLineFor removes an action from a draft plan of v's company.
func (s *Plans) RemoveLineFor(ctx context.Context, v Viewer, lineID int64) error {
	if err := v.editCheck(RecordPlan); err != nil {
		return err
	}
	return s.RemoveLine(v.context(ctx), v.ClientID, lineID)
}

// FreezeFor freezes a plan of v's company after the CSE's consultation.
func (s *Plans) FreezeFor(ctx context.Context, v Viewer, planID int64, cseDate time.Time) (Plan, error) {
	if err := v.editCheck(RecordPlan); err != nil {
		return Plan{}, err
	}
	return s.Freeze(v.context(ctx), v.ClientID, planID, cseDate)
}

// ReopenFor makes a frozen plan of v's company a draft again.
func (s *Plans) ReopenFor(ctx context.Context, v Viewer, planID int64) (Plan, error) {
	if err := v.editCheck(RecordPlan); err != nil {
		return Plan{}, err
	}
	return s.Reopen(v.context(ctx), v.ClientID, planID)
}

// VersionsFor lists the frozen copies of a plan of v's company.
func (s *Plans) VersionsFor(ctx context.Context, v Viewer, planID int64) ([]PlanVersion, error) {
	if _, err := v.viewFilter(RecordPlan); err != nil {
		return nil, err
	}
	return s.Versions(ctx, v.ClientID, planID)
}

// VersionFor returns a frozen copy with the lines v may see.
func (s *Plans) VersionFor(ctx context.Context, v Viewer, planID int64, version int) (PlanVersion, error) {
	depts, err := v.viewFilter(RecordPlan)
	if err != nil {
		return PlanVersion{}, err
	}
	return s.Version(ctx, v.ClientID, planID, version, depts)
}

// DiffFor compares two versions of a plan of v's company (0: the working
// lines), keeping the changes of the lines v may see.
func (s *Plans) DiffFor(ctx context.Context, v Viewer, planID int64, from, to int) (PlanDiff, error) {
	depts, err := v.viewFilter(RecordPlan)
	if err != nil {
		return PlanDiff{}, err
	}
	return s.Diff(ctx, v.ClientID, planID, from, to, depts)
}

// SummaryFor returns v's company's budget of a year, with the envelopes v may see.
func (s *Budgets) SummaryFor(ctx context.Context, v Viewer, year int) (BudgetSummary, error) {
	depts, err := v.viewFilter(RecordEnvelope)
	if err != nil {
		return BudgetSummary{}, err
	}
	return s.Summary(ctx, v.ClientID, year, depts)
}

// ExportCSVFor writes SummaryFor as ExportCSV does.
func (s *Budgets) ExportCSVFor(ctx context.Context, v Viewer, year int, w io.Writer) error {
	depts, err := v.viewFilter(RecordEnvelope)
	if err != nil {
		return err
	}
	return s.ExportCSV(ctx, v.ClientID, year, depts, w)
}

// ListFor returns v's company's envelopes of a year that v may see.
func (s *Budgets) ListFor(ctx context.Context, v Viewer, year int) ([]Envelope, error) {
	depts, err := v.viewFilter(RecordEnvelope)
	if err != nil {
		return nil, err
	}
	return s.List(ctx, v.ClientID, year, depts)
}

// CreateFor adds an envelope to v's company's budget.
func (s *Budgets) CreateFor(ctx context.Context, v Viewer, in EnvelopeInput) (Envelope, error) {
	if err := v.editCheck(RecordEnvelope); err != nil {
		return Envelope{}, err
	}
	return s.Create(v.context(ctx), v.ClientID, in)
}

// UpdateFor changes an envelope of v's company. An envelope v may not see
// (another company's, another department's) is errs.ErrNotFound before the
// role's right to edit is asked.
func (s *Budgets) UpdateFor(ctx context.Context, v Viewer, id int64, in EnvelopeInput) (Envelope, error) {
	depts, err := v.viewFilter(RecordEnvelope)
	if err != nil {
		return Envelope{}, err
	}
	cur, err := s.Get(ctx, v.ClientID, id)
	if err != nil {
		return Envelope{}, err
	}
	if !inDepartments(cur.DepartmentID, depts) {
		return Envelope{}, fmt.Errorf("crm: envelope %d for user %d: %w", id, v.UserID, errs.ErrNotFound)
	}
	if err := v.editCheck(RecordEnvelope); err != nil {
		return Envelope{}, err
	}
	return s.Update(v.context(ctx), v.ClientID, id, in)
}
