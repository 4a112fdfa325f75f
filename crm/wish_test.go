package crm

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

func cents(n int64) *int64 { return &n }

// TestWishSubmit checks what a wish must say and who may submit it for whom.
func TestWishSubmit(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		var noRecord Viewer
		var err error
		var userID int64
		now := time.Now().UTC()
		if err := d.ExecReturning(ctx, &userID, `INSERT INTO extranet_users (client_id, email, name, role, created_at, updated_at)
			VALUES (?, 'sans.fiche@acme.test', 'Sans Fiche', 'employee', ?, ?) RETURNING id`, f.acme.ID, now, now); err != nil {
			t.Fatal(err)
		}
		if noRecord, err = f.viewers.Load(ctx, userID); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			by    Viewer
			in    WishInput
			field string
		}{
			{"no topic", f.v["lea"], WishInput{Topic: " "}, "topic"},
			{"period reversed", f.v["lea"], WishInput{Topic: "Anglais", PeriodFrom: ptrTime(2026, 6, 1), PeriodTo: ptrTime(2026, 5, 1)}, "period_to"},
			{"negative cost", f.v["lea"], WishInput{Topic: "Anglais", EstimatedCostCents: cents(-1)}, "estimated_cost_cents"},
			{"CPF amount without co-funding", f.v["lea"], WishInput{Topic: "Anglais", CPFAmountCents: cents(50000)}, "cpf_amount_cents"},
			{"CPF above the cost", f.v["lea"], WishInput{Topic: "Anglais", EstimatedCostCents: cents(100000), CPFCoFunding: true,
				CPFAmountCents: cents(150000)}, "cpf_amount_cents"},
			{"account without employee record", noRecord, WishInput{Topic: "Anglais"}, "employee_id"},
			{"employee for a colleague", f.v["lea"], WishInput{EmployeeID: f.tom.ID, Topic: "Anglais"}, "employee_id"},
			{"manager for another department", f.v["paul"], WishInput{EmployeeID: f.tom.ID, Topic: "Anglais"}, "employee_id"},
			{"manager without departments", f.v["idle"], WishInput{EmployeeID: f.nina.ID, Topic: "Anglais"}, "employee_id"},
			{"HR for another company", f.v["hr"], WishInput{EmployeeID: f.zoe.ID, Topic: "Anglais"}, "employee_id"},
			{"unknown employee", f.v["hr"], WishInput{EmployeeID: 999999, Topic: "Anglais"}, "employee_id"},
		}
		for _, c := range cases {
			if _, err := f.wishes.Submit(ctx, c.by, c.in); !isInvalid(err, c.field) {
				t.Errorf("%s: got %v, want an error on %s", c.name, err, c.field)
			}
		}
		auditor := Viewer{ClientID: f.acme.ID, UserID: userID, Role: "auditor"}
		if _, err := f.wishes.Submit(ctx, auditor, WishInput{EmployeeID: f.lea.ID, Topic: "Anglais"}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("unknown role: %v", err)
		}
		if rows, total, _ := f.wishes.ListFor(ctx, f.v["hr"], WishFilter{}); total != 3 || len(rows) != 3 {
			t.Errorf("refused wishes were written: %d", total)
		}

		w, err := f.wishes.Submit(ctx, f.v["lea"], WishInput{Topic: " Anglais professionnel ", Justification: "Clients export",
			PeriodFrom: ptrTime(2026, 9, 1), PeriodTo: ptrTime(2026, 12, 15), EstimatedCostCents: cents(180000), CPFCoFunding: true,
			CPFAmountCents: cents(60000), InterviewDate: ptrTime(2026, 3, 12)})
		if err != nil || w.EmployeeID != f.lea.ID || w.OnBehalf || w.Status != WishSubmitted || w.Topic != "Anglais professionnel" ||
			w.EmployeeName != "Léa Roux" || w.SubmittedByName != "User lea" || w.DepartmentID == nil || *w.DepartmentID != f.sales.ID ||
			*w.CPFAmountCents != 60000 || w.InterviewDate.Format(time.DateOnly) != "2026-03-12" {
			t.Fatalf("Léa's wish: %+v %v", w, err)
		}
		for _, c := range []struct {
			by, employee string
			onBehalf     bool
		}{{"paul", "lea", true}, {"paul", "paul", false}, {"to", "nina", true}} {
			w, err := f.wishes.Submit(ctx, f.v[c.by], WishInput{EmployeeID: f.ids[kEmployee][c.employee], Topic: "Excel"})
			if err != nil || w.OnBehalf != c.onBehalf || w.SubmittedBy != f.v[c.by].UserID {
				t.Errorf("%s for %s: %+v %v", c.by, c.employee, w, err)
			}
		}
		rows, total, err := f.wishes.ListFor(ctx, f.v["lea"], WishFilter{Statuses: []string{WishSubmitted}})
		if err != nil || total != 3 || rows[0].ID == 0 {
			t.Errorf("Léa's submitted wishes: %d %+v %v", total, rows, err)
		}
		if _, total, _ := f.wishes.ListFor(ctx, f.v["hr"], WishFilter{EmployeeID: f.nina.ID}); total != 1 {
			t.Errorf("Nina's wishes: %d", total)
		}

		// The submission is on the employee's timeline and in the audit log.
		entries, _, err := f.timeline.List(ctx, TimelineFilter{Record: &Ref{RecordEmployee, f.lea.ID}, Kinds: []string{KindStatusChange}})
		if err != nil || !slices.ContainsFunc(entries, func(e Entry) bool {
			return e.Title == "wish: Anglais professionnel" && slices.Contains(e.Links, Ref{RecordWish, w.ID}) &&
				slices.Contains(e.Links, Ref{RecordClient, f.acme.ID})
		}) {
			t.Errorf("timeline of Léa: %+v %v", entries, err)
		}
		events, err := audit.NewLog(d).List(ctx, audit.Filter{Entity: RecordWish, EntityID: w.ID})
		if err != nil || len(events) != 1 || events[0].Action != "wish.submitted" || events[0].ActorKind != audit.ActorExtranet ||
			events[0].ActorID == nil || *events[0].ActorID != f.v["lea"].UserID {
			t.Errorf("audit of the submission: %+v %v", events, err)
		}
	})
}

// TestWishWorkflow follows wishes through the manager's decision, HR's
// arbitration, the request sent to the broker, and withdrawals.
func TestWishWorkflow(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		lea, tom, paul := f.ids[kWish]["lea"], f.ids[kWish]["tom"], f.ids[kWish]["paul"]

		// Léa's wish: her manager refuses, HR overrides, the request is created.
		act := func(op string, v Viewer, id int64) (err error) {
			switch op {
			case "manager":
				_, err = f.wishes.ManagerDecide(ctx, v, id, true, "")
			case "hr":
				_, err = f.wishes.HRArbitrate(ctx, v, id, true, "x")
			case "withdraw":
				_, err = f.wishes.Withdraw(ctx, v, id, "")
			case "send":
				_, err = f.wishes.Send(ctx, v, id)
			}
			return err
		}
		for _, c := range []struct {
			op, by string
			want   error
		}{
			{"manager", "tom", errs.ErrNotFound},    // a colleague of another department
			{"manager", "perrin", errs.ErrNotFound}, // another company
			{"manager", "lea", errs.ErrForbidden},   // the employee herself
			{"hr", "lea", errs.ErrForbidden},
			{"hr", "paul", errs.ErrForbidden}, // her manager
			{"hr", "perrin", errs.ErrNotFound},
			{"withdraw", "paul", errs.ErrForbidden}, // not its submitter
			{"send", "hr", errs.ErrInvalid},         // before HR decides
		} {
			if err := act(c.op, f.v[c.by], lea); !errors.Is(err, c.want) {
				t.Errorf("%s by %s: got %v, want %v", c.op, c.by, err, c.want)
			}
		}
		if _, err := f.wishes.ManagerDecide(ctx, f.v["paul"], lea, false, " "); !isInvalid(err, "reason") {
			t.Errorf("refused without a reason: %v", err)
		}
		w, err := f.wishes.ManagerDecide(ctx, f.v["paul"], lea, false, "pas cette année")
		if err != nil || w.Status != WishManagerRefused || w.ManagerReason != "pas cette année" || w.ManagerDecidedByName != "User paul" ||
			w.ManagerDecidedAt == nil {
			t.Fatalf("manager's refusal: %+v %v", w, err)
		}
		if _, err := f.wishes.ManagerDecide(ctx, f.v["paul"], lea, true, ""); !isInvalid(err, "status") {
			t.Errorf("the manager decides twice: %v", err)
		}
		if _, err := f.wishes.HRArbitrate(ctx, f.v["hr"], lea, true, ""); !isInvalid(err, "reason") {
			t.Errorf("overriding the manager without a reason: %v", err)
		}
		w, err = f.wishes.HRArbitrate(ctx, f.v["hr"], lea, true, "entretien professionnel")
		if err != nil || w.Status != WishSent || !w.HROverrode || w.HRReason != "entretien professionnel" || w.HRDecidedByName != "User hr" ||
			w.RequestID == nil {
			t.Fatalf("HR overrides: %+v %v", w, err)
		}
		req, err := f.requests.GetFor(ctx, f.v["lea"], *w.RequestID)
		if err != nil || req.Kind != "individual" || !slices.Equal(req.EmployeeIDs, []int64{f.lea.ID}) || req.Channel != "extranet" ||
			req.CreatedByExtranetID == nil || *req.CreatedByExtranetID != f.v["hr"].UserID || req.Topic != w.Topic || req.Stage != StageQualifying {
			t.Errorf("the request sent: %+v %v", req, err)
		}
		if _, err := f.requests.GetFor(ctx, f.v["tom"], *w.RequestID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("the request seen by a colleague: %v", err)
		}
		history, err := f.wishes.HistoryFor(ctx, f.v["lea"], lea)
		var moves []string
		for _, h := range history {
			moves = append(moves, h.From+"→"+h.To+" "+h.ByName+" "+h.Reason)
		}
		if err != nil || !slices.Equal(moves, []string{"→submitted User lea ", "submitted→manager_refused User paul pas cette année",
			"manager_refused→hr_approved User hr entretien professionnel", "hr_approved→sent User hr "}) {
			t.Errorf("history: %q %v", moves, err)
		}
		entries, _, err := f.timeline.List(ctx, TimelineFilter{Record: &Ref{RecordRequest, *w.RequestID}, Kinds: []string{KindStatusChange}})
		if err != nil || !slices.ContainsFunc(entries, func(e Entry) bool {
			return e.Title == "wish: hr_approved → sent" && slices.Contains(e.Links, Ref{RecordEmployee, f.lea.ID})
		}) {
			t.Errorf("the request's timeline: %+v %v", entries, err)
		}
		events, err := audit.NewLog(d).List(ctx, audit.Filter{Action: "wish.hr_approved", EntityID: lea})
		if err != nil || len(events) != 1 || events[0].Details != `{"from":"manager_refused","overrode":true,"reason":"entretien professionnel","to":"hr_approved"}` {
			t.Errorf("audit of the arbitration: %+v %v", events, err)
		}
		if _, err := f.wishes.Withdraw(ctx, f.v["lea"], lea, ""); !isInvalid(err, "status") {
			t.Errorf("withdrawn once sent: %v", err)
		}

		// Paul's own wish: not by himself as manager; HR takes the step, the training officer refuses against it.
		if _, err := f.wishes.ManagerDecide(ctx, f.v["paul"], paul, true, ""); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a manager approves his own wish: %v", err)
		}
		if _, err := f.wishes.ManagerDecide(ctx, f.v["hr"], paul, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.wishes.HRArbitrate(ctx, f.v["to"], paul, false, ""); !isInvalid(err, "reason") {
			t.Errorf("HR refuses without a reason: %v", err)
		}
		w, err = f.wishes.HRArbitrate(ctx, f.v["to"], paul, false, "budget épuisé")
		if err != nil || w.Status != WishHRRefused || !w.HROverrode || w.RequestID != nil {
			t.Errorf("HR refuses: %+v %v", w, err)
		}

		// Tom's wish, submitted by HR: Tom sees it but may not withdraw it; HR does.
		if _, err := f.wishes.GetFor(ctx, f.v["tom"], tom); err != nil {
			t.Errorf("Tom's wish by HR, seen by Tom: %v", err)
		}
		if _, err := f.wishes.Withdraw(ctx, f.v["tom"], tom, ""); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("withdrawn by the employee, not its submitter: %v", err)
		}
		if w, err = f.wishes.Withdraw(ctx, f.v["hr"], tom, "doublon"); err != nil || w.Status != WishWithdrawn {
			t.Errorf("withdrawn by HR: %+v %v", w, err)
		}

		// HR decides without waiting for the manager: no override.
		nw, err := f.wishes.Submit(ctx, f.v["lea"], WishInput{Topic: "Sécurité", EstimatedCostCents: cents(40000)})
		if err != nil {
			t.Fatal(err)
		}
		if w, err = f.wishes.HRArbitrate(ctx, f.v["to"], nw.ID, true, ""); err != nil || w.Status != WishSent || w.HROverrode {
			t.Errorf("HR approves at once: %+v %v", w, err)
		}
		if req, _ := f.requests.Get(ctx, *w.RequestID); req.BudgetCents == nil || *req.BudgetCents != 40000 {
			t.Errorf("the request's budget: %+v", req)
		}

		// A wish approved but not sent (the request failed) is sent again.
		if _, err := f.wishes.Send(ctx, f.v["hr"], nw.ID); !isInvalid(err, "status") {
			t.Errorf("sent twice: %v", err)
		}
		stuck, err := f.wishes.Submit(ctx, f.v["lea"], WishInput{Topic: "Gestes et postures"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, "UPDATE wishes SET status = ? WHERE id = ?", WishHRApproved, stuck.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.wishes.Send(ctx, f.v["paul"], stuck.ID); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("sent by the manager: %v", err)
		}
		if w, err = f.wishes.Send(ctx, f.v["hr"], stuck.ID); err != nil || w.Status != WishSent || w.RequestID == nil {
			t.Errorf("sent again: %+v %v", w, err)
		}

		// notify heard every committed move.
		for _, m := range []string{"→submitted", "submitted→manager_refused", "manager_refused→hr_approved", "hr_approved→sent",
			"manager_approved→hr_refused", "submitted→withdrawn"} {
			if !slices.Contains(f.notified, m) {
				t.Errorf("notify did not hear %s: %v", m, f.notified)
			}
		}
		// The wish moved to hr_approved by hand above is the only move not heard.
		const heard = 4 + 3 + 2 + 1 + 3 + 2 // the fixture's submissions, then Léa's, Paul's, Tom's, the one at once, the stuck one
		if n := len(f.notified); n != heard {
			t.Errorf("notify heard %d moves: %v", n, f.notified)
		}
	})
}
