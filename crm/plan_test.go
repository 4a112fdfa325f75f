package crm

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// planFixture adds to flowFixture Acme's departments and the plan service
// with a clock in March 2026.
type planFixture struct {
	*flowFixture
	plans              *Plans
	budgets            *Budgets
	maint, admin, bake Department // Maintenance and Administration at Acme, Fournil at Perrin
}

func newPlanFixture(t *testing.T, d *db.DB) *planFixture {
	t.Helper()
	f := &planFixture{flowFixture: newFlowFixture(t, d), plans: NewPlans(d), budgets: NewBudgets(d)}
	f.plans.now = func() time.Time { return time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC) }
	est := NewEstablishments(d)
	var err error
	for _, dep := range []struct {
		d      *Department
		client int64
		name   string
	}{{&f.maint, f.acme.ID, "Maintenance"}, {&f.admin, f.acme.ID, "Administration"}, {&f.bake, f.perrin.ID, "Fournil"}} {
		if *dep.d, err = est.AddDepartment(f.ctx, dep.client, dep.name); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func lineTitles(lines []PlanLine) []string {
	out := []string{}
	for _, l := range lines {
		out = append(out, l.Title)
	}
	return out
}

func auditCount(t *testing.T, d *db.DB, action string) int {
	t.Helper()
	var n int
	if err := d.Get(context.Background(), &n, "SELECT COUNT(*) FROM audit_events WHERE action = ?", action); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPlans(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newPlanFixture(t, d)
		ctx, acme, perrin := f.ctx, f.acme.ID, f.perrin.ID
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		notFound := func(what string, err error) {
			t.Helper()
			if !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("%s: got %v, want ErrNotFound", what, err)
			}
		}

		// One plan per client and year.
		plan, err := f.plans.Create(ctx, acme, PlanInput{Year: 2026, Title: " Plan 2026 "})
		must(err)
		if plan.Status != PlanDraft || plan.Version != 1 || plan.Title != "Plan 2026" || plan.LastFrozen != nil || plan.LineCount != 0 {
			t.Fatalf("new plan: %+v", plan)
		}
		if _, err := f.plans.Create(ctx, acme, PlanInput{Year: 2026}); !isInvalid(err, "year") {
			t.Errorf("second plan for 2026: %v", err)
		}
		if _, err := f.plans.Create(ctx, acme, PlanInput{Year: 1999}); !isInvalid(err, "year") {
			t.Errorf("plan for 1999: %v", err)
		}
		perrinPlan, err := f.plans.Create(ctx, perrin, PlanInput{Year: 2026})
		must(err)
		_, err = f.plans.Create(f.clientUserCtx, perrin, PlanInput{Year: 2027})
		notFound("Acme's user creating Perrin's plan", err)
		_, err = f.plans.Create(ctx, 999999, PlanInput{Year: 2026})
		notFound("plan of an unknown client", err)

		// Lines are checked.
		bad := []struct {
			in    PlanLineInput
			field string
		}{
			{PlanLineInput{Category: CategoryMandatory}, "title"},
			{PlanLineInput{Title: "X"}, "category"},
			{PlanLineInput{Title: "X", Category: "optional"}, "category"},
			{PlanLineInput{Title: "X", Category: CategoryMandatory, Priority: "asap"}, "priority"},
			{PlanLineInput{Title: "X", Category: CategoryMandatory, FundingSource: "state"}, "funding_source"},
			{PlanLineInput{Title: "X", Category: CategoryMandatory, Trainees: -2}, "trainees"},
			{PlanLineInput{Title: "X", Category: CategoryMandatory, EstimatedCostCents: -1}, "estimated_cost_cents"},
			{PlanLineInput{Title: "X", Category: CategoryMandatory, PeriodFrom: date(2026, 5, 2), PeriodTo: date(2026, 5, 1)}, "period_to"},
			{PlanLineInput{Title: "X", Category: CategoryMandatory, PeriodFrom: date(2027, 1, 4)}, "period_from"},
			{PlanLineInput{Title: "X", Category: CategoryMandatory, PeriodTo: date(2025, 12, 31)}, "period_to"},
			{PlanLineInput{Title: "X", Category: CategoryMandatory, DepartmentID: &f.bake.ID}, "department_id"},
		}
		for _, c := range bad {
			if _, err := f.plans.AddLine(ctx, acme, plan.ID, c.in); !isInvalid(err, c.field) {
				t.Errorf("%+v: got %v, want an error on %s", c.in, err, c.field)
			}
		}
		elec := PlanLineInput{Title: "Habilitation électrique B1V", DepartmentID: &f.maint.ID, Population: "Techniciens de maintenance",
			Trainees: 6, Priority: "urgent", Category: CategoryMandatory, PeriodFrom: date(2026, 4, 1), PeriodTo: date(2026, 6, 30),
			EstimatedCostCents: 240000, FundingSource: SourceOPCO}
		l1, err := f.plans.AddLine(ctx, acme, plan.ID, elec)
		must(err)
		excel := PlanLineInput{Title: "Excel avancé", DepartmentID: &f.admin.ID, Population: "Assistants", Trainees: 4,
			Category: CategoryDevelopment, PeriodFrom: date(2026, 9, 1), PeriodTo: date(2027, 1, 31), EstimatedCostCents: 150000}
		l2, err := f.plans.AddLine(ctx, acme, plan.ID, excel)
		must(err)
		l3, err := f.plans.AddLine(ctx, acme, plan.ID, PlanLineInput{Title: "Anglais professionnel", Population: "Commerciaux",
			Category: CategoryDevelopment, EstimatedCostCents: 80000, FundingSource: SourceCPF, Notes: "Abondement de 500 € par salarié"})
		must(err)
		if l1.DepartmentName != "Maintenance" || l1.PlanID != plan.ID || l2.Priority != "normal" || l2.FundingSource != SourceCompany ||
			l3.Trainees != 1 || l3.DepartmentID != nil || !l1.PeriodTo.Equal(*date(2026, 6, 30)) {
			t.Errorf("lines: %+v\n%+v\n%+v", l1, l2, l3)
		}
		_, err = f.plans.AddLine(ctx, perrin, plan.ID, elec)
		notFound("line added through another client", err)
		_, err = f.plans.UpdateLine(ctx, perrin, l1.ID, elec)
		notFound("line updated through another client", err)
		notFound("line removed through another client", f.plans.RemoveLine(ctx, perrin, l3.ID))
		_, err = f.plans.Line(ctx, perrin, l1.ID)
		notFound("line read through another client", err)
		_, err = f.plans.Get(ctx, perrin, plan.ID, nil)
		notFound("plan read through another client", err)

		// Reads, whole or by department (0: the whole company).
		got, err := f.plans.Get(ctx, acme, plan.ID, nil)
		must(err)
		if got.LineCount != 3 || got.EstimatedCents != 470000 || !reflect.DeepEqual(lineTitles(got.Lines),
			[]string{"Habilitation électrique B1V", "Excel avancé", "Anglais professionnel"}) {
			t.Errorf("plan: %+v", got)
		}
		for _, c := range []struct {
			deps  []int64
			want  []string
			cents int64
		}{
			{[]int64{f.maint.ID}, []string{"Habilitation électrique B1V"}, 240000},
			{[]int64{0}, []string{"Anglais professionnel"}, 80000},
			{[]int64{f.admin.ID, 0}, []string{"Excel avancé", "Anglais professionnel"}, 230000},
			{[]int64{f.bake.ID}, []string{}, 0},
			{[]int64{}, []string{}, 0},
		} {
			p, err := f.plans.ForYear(ctx, acme, 2026, c.deps)
			must(err)
			list, err := f.plans.List(ctx, acme, c.deps)
			must(err)
			if !reflect.DeepEqual(lineTitles(p.Lines), c.want) || p.EstimatedCents != c.cents || p.LineCount != len(c.want) ||
				len(list) != 1 || list[0].EstimatedCents != c.cents || list[0].Lines != nil {
				t.Errorf("departments %v: lines %v, %d cents; list %+v", c.deps, lineTitles(p.Lines), p.EstimatedCents, list)
			}
		}
		_, err = f.plans.ForYear(ctx, acme, 2027, nil)
		notFound("plan of a year without plan", err)

		// Requests are linked to lines of their own client only.
		req := f.newRequest(t, "Habilitation électrique")
		perrinReq, err := f.requests.Create(ctx, RequestInput{ClientID: perrin, Topic: "Hygiène alimentaire"})
		must(err)
		notFound("link another client's request", f.plans.LinkRequest(ctx, acme, l1.ID, perrinReq.ID))
		notFound("link to another client's line", f.plans.LinkRequest(ctx, perrin, l1.ID, perrinReq.ID))
		notFound("link through another client's user", f.plans.LinkRequest(f.clientUserCtx, perrin, l1.ID, perrinReq.ID))
		must(f.plans.LinkRequest(f.clientUserCtx, acme, l2.ID, req.ID))
		must(f.plans.LinkRequest(ctx, acme, l1.ID, req.ID)) // moved to the right line
		if r, _ := f.requests.Get(ctx, perrinReq.ID); r.PlanLineID != nil {
			t.Errorf("Perrin's request linked: %v", *r.PlanLineID)
		}
		if err := checkPlanLine(ctx, d, perrin, &l1.ID); !isInvalid(err, "plan_line_id") {
			t.Errorf("checkPlanLine on another client's line: %v", err)
		}
		if err := checkPlanLine(ctx, d, acme, &l1.ID); err != nil {
			t.Errorf("checkPlanLine on its own line: %v", err)
		}
		got, _ = f.plans.Get(ctx, acme, plan.ID, nil)
		if want := []PlanLineRequest{{ID: req.ID, Topic: "Habilitation électrique", Stage: StageQualifying}}; !reflect.DeepEqual(got.Lines[0].Requests, want) ||
			len(got.Lines[1].Requests) != 0 || got.Lines[0].SessionsBooked != 0 {
			t.Errorf("line progress: %+v / %+v", got.Lines[0].Requests, got.Lines[1].Requests)
		}
		if err := f.plans.RemoveLine(ctx, acme, l1.ID); !isInvalid(err, "requests") {
			t.Errorf("remove a line with a request: %v", err)
		}

		// Freezing after the CSE consultation.
		if _, err := f.plans.Freeze(ctx, acme, plan.ID, time.Time{}); !isInvalid(err, "cse_date") {
			t.Errorf("freeze without date: %v", err)
		}
		if _, err := f.plans.Freeze(ctx, acme, plan.ID, *date(2026, 3, 16)); !isInvalid(err, "cse_date") {
			t.Errorf("freeze with a CSE tomorrow: %v", err)
		}
		if _, err := f.plans.Freeze(ctx, perrin, perrinPlan.ID, *date(2026, 3, 10)); !isInvalid(err, "lines") {
			t.Errorf("freeze an empty plan: %v", err)
		}
		_, err = f.plans.Freeze(ctx, perrin, plan.ID, *date(2026, 3, 10))
		notFound("freeze through another client", err)
		plan, err = f.plans.Freeze(ctx, acme, plan.ID, time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC))
		must(err)
		v := plan.LastFrozen
		if plan.Status != PlanFrozen || plan.Version != 1 || v == nil || v.Version != 1 || !v.CSEDate.Equal(*date(2026, 3, 10)) ||
			v.FrozenByName != "Claire Broker" || v.FrozenByStaffID == nil || v.Lines != nil {
			t.Fatalf("frozen plan: %+v / %+v", plan, v)
		}
		if _, err := f.plans.Freeze(ctx, acme, plan.ID, *date(2026, 3, 10)); !isInvalid(err, "status") {
			t.Errorf("freeze twice: %v", err)
		}
		if _, err := f.plans.AddLine(ctx, acme, plan.ID, elec); !isInvalid(err, "status") {
			t.Errorf("add to a frozen plan: %v", err)
		}
		if _, err := f.plans.UpdateLine(ctx, acme, l2.ID, excel); !isInvalid(err, "status") {
			t.Errorf("update a frozen plan: %v", err)
		}
		if err := f.plans.RemoveLine(ctx, acme, l3.ID); !isInvalid(err, "status") {
			t.Errorf("remove from a frozen plan: %v", err)
		}
		// The database itself keeps the frozen copy.
		if _, err := d.Exec(ctx, "UPDATE plan_versions SET lines = '[]' WHERE plan_id = ?", plan.ID); err == nil {
			t.Error("a frozen copy was changed")
		}
		if _, err := d.Exec(ctx, "DELETE FROM plan_versions WHERE plan_id = ?", plan.ID); err == nil {
			t.Error("a frozen copy was deleted")
		}
		// Carrying out a frozen plan: requests may still be linked.
		must(f.plans.UnlinkRequest(ctx, acme, req.ID))
		must(f.plans.LinkRequest(ctx, acme, l1.ID, req.ID))
		notFound("unlink another client's request", f.plans.UnlinkRequest(ctx, acme, perrinReq.ID))

		// Reopened as version 2: edits, then a diff against the frozen copy.
		if _, err := f.plans.Reopen(ctx, perrin, plan.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("reopen through another client: %v", err)
		}
		plan, err = f.plans.Reopen(ctx, acme, plan.ID)
		must(err)
		if plan.Status != PlanDraft || plan.Version != 2 || plan.LastFrozen == nil || plan.LastFrozen.Version != 1 {
			t.Fatalf("reopened: %+v", plan)
		}
		if _, err := f.plans.Reopen(ctx, acme, plan.ID); !isInvalid(err, "status") {
			t.Errorf("reopen a draft: %v", err)
		}
		excel.Trainees, excel.EstimatedCostCents, excel.DepartmentID = 5, 180000, nil
		_, err = f.plans.UpdateLine(ctx, acme, l2.ID, excel)
		must(err)
		must(f.plans.RemoveLine(ctx, acme, l3.ID))
		l4, err := f.plans.AddLine(ctx, acme, plan.ID, PlanLineInput{Title: "Sauveteur secouriste du travail", DepartmentID: &f.maint.ID,
			Trainees: 8, Category: CategoryMandatory, EstimatedCostCents: 96000, FundingSource: SourceOPCO})
		must(err)
		want := []PlanChange{
			{Op: LineChanged, LineID: l2.ID, Fields: []FieldChange{
				{Field: "department_id", Old: "Administration", New: ""},
				{Field: "trainees", Old: "4", New: "5"},
				{Field: "estimated_cost_cents", Old: "150000", New: "180000"}}},
			{Op: LineRemoved, LineID: l3.ID},
			{Op: LineAdded, LineID: l4.ID},
		}
		diff, err := f.plans.Diff(ctx, acme, plan.ID, 1, 0, nil)
		must(err)
		checkDiff(t, "v1 → working", diff, want)
		if diff.Changes[1].Line.Title != "Anglais professionnel" || diff.Changes[2].Line.Title != "Sauveteur secouriste du travail" ||
			diff.Changes[0].Line.EstimatedCostCents != 180000 {
			t.Errorf("diff lines: %+v", diff.Changes)
		}
		maintDiff, err := f.plans.Diff(ctx, acme, plan.ID, 1, 0, []int64{f.maint.ID})
		must(err)
		checkDiff(t, "maintenance only", maintDiff, want[2:])
		adminDiff, err := f.plans.Diff(ctx, acme, plan.ID, 1, 0, []int64{f.admin.ID}) // the line left Administration
		must(err)
		checkDiff(t, "administration only", adminDiff, want[:1])
		for _, field := range PlanLineFields() {
			if !i18n.Has("plan.line." + field) {
				t.Errorf("no label plan.line.%s", field)
			}
		}

		// The frozen copy is as it was; a client user freezes version 2.
		v1, err := f.plans.Version(ctx, acme, plan.ID, 1, nil)
		must(err)
		if len(v1.Lines) != 3 || v1.Lines[1].EstimatedCostCents != 150000 || v1.Lines[1].DepartmentName != "Administration" ||
			v1.Lines[0].Title != "Habilitation électrique B1V" || !v1.Lines[0].PeriodFrom.Equal(*date(2026, 4, 1)) {
			t.Errorf("frozen copy: %+v", v1.Lines)
		}
		if v, _ := f.plans.Version(ctx, acme, plan.ID, 1, []int64{0}); len(v.Lines) != 1 || v.Lines[0].ID != l3.ID {
			t.Errorf("frozen copy, whole company lines: %+v", v.Lines)
		}
		plan, err = f.plans.Freeze(f.clientUserCtx, acme, plan.ID, *date(2026, 3, 14))
		must(err)
		versions, err := f.plans.Versions(ctx, acme, plan.ID)
		must(err)
		if len(versions) != 2 || versions[1].Version != 2 || versions[1].FrozenByName != "Marie RH" || versions[1].FrozenByExtranetID == nil ||
			versions[1].FrozenByStaffID != nil || !versions[1].CSEDate.Equal(*date(2026, 3, 14)) {
			t.Errorf("versions: %+v", versions)
		}
		diff, err = f.plans.Diff(ctx, acme, plan.ID, 1, 2, nil)
		must(err)
		checkDiff(t, "v1 → v2", diff, want)
		if diff, _ = f.plans.Diff(ctx, acme, plan.ID, 2, 0, nil); len(diff.Changes) != 0 {
			t.Errorf("v2 → working: %+v", diff.Changes)
		}
		_, err = f.plans.Diff(ctx, acme, plan.ID, 1, 5, nil)
		notFound("diff with a version never frozen", err)
		_, err = f.plans.Diff(ctx, perrin, plan.ID, 1, 2, nil)
		notFound("diff through another client", err)
		_, err = f.plans.Versions(ctx, perrin, plan.ID)
		notFound("versions through another client", err)
		_, err = f.plans.Version(ctx, perrin, plan.ID, 1, nil)
		notFound("version through another client", err)

		for action, n := range map[string]int{"plan.create": 2, "plan.line_add": 4, "plan.line_update": 1, "plan.line_remove": 1,
			"plan.freeze": 2, "plan.reopen": 1, "request.plan_line": 4} {
			if got := auditCount(t, d, action); got != n {
				t.Errorf("audit %s: %d events, want %d", action, got, n)
			}
		}
	})
}

// checkDiff compares ops, line ids and fields (not the lines themselves).
func checkDiff(t *testing.T, name string, got PlanDiff, want []PlanChange) {
	t.Helper()
	var strip []PlanChange
	for _, c := range got.Changes {
		c.Line = PlanLineData{}
		strip = append(strip, c)
	}
	if !reflect.DeepEqual(strip, want) {
		t.Errorf("%s diff:\n got %+v\nwant %+v", name, strip, want)
	}
}
