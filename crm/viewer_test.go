package crm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

// scopeFixture adds to flowFixture two departments at Acme (Léa in Sales,
// Tom in Workshop, Paul the Sales manager, Nina in none), an extranet user
// of each role, and records of every scoped kind.
type scopeFixture struct {
	*flowFixture
	viewers     *Viewers
	wishes      *Wishes
	sales, shop Department
	paul, nina  Employee
	v           map[string]Viewer // hr, to, paul, lea, tom, idle (a manager without departments), perrin
	ids         map[string]map[string]int64
	notified    []string // from→to of each move notify was told of
}

// The records of each kind, by name.
const (
	kRequest  = RecordRequest
	kWish     = RecordWish
	kBooking  = RecordBooking
	kProposal = RecordProposal
	kEmployee = RecordEmployee
)

func newScopeFixture(t *testing.T, d *db.DB) *scopeFixture {
	t.Helper()
	ctx := context.Background()
	f := &scopeFixture{flowFixture: newFlowFixture(t, d), viewers: NewViewers(d), v: map[string]Viewer{},
		ids: map[string]map[string]int64{kRequest: {}, kWish: {}, kBooking: {}, kProposal: {}, kEmployee: {}}}
	f.wishes = NewWishes(d, func(_ context.Context, w Wish, from string) {
		f.notified = append(f.notified, from+"→"+w.Status)
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	est := NewEstablishments(d)
	var err error
	f.sales, err = est.AddDepartment(ctx, f.acme.ID, "Ventes")
	must(err)
	f.shop, err = est.AddDepartment(ctx, f.acme.ID, "Atelier")
	must(err)
	emp := NewEmployees(d)
	upsert := func(client int64, in EmployeeInput) Employee {
		e, _, err := emp.Upsert(ctx, client, in)
		must(err)
		return e
	}
	f.lea = upsert(f.acme.ID, EmployeeInput{ExternalID: "A1", FirstName: "Léa", LastName: "Roux", DepartmentName: "Ventes"})
	f.tom = upsert(f.acme.ID, EmployeeInput{ExternalID: "A2", FirstName: "Tom", LastName: "Blanc", DepartmentName: "Atelier"})
	f.paul = upsert(f.acme.ID, EmployeeInput{ExternalID: "A5", FirstName: "Paul", LastName: "Martin", DepartmentName: "Ventes"})
	f.nina = upsert(f.acme.ID, EmployeeInput{ExternalID: "A6", FirstName: "Nina", LastName: "Morel"})
	for name, e := range map[string]Employee{"lea": f.lea, "tom": f.tom, "paul": f.paul, "nina": f.nina, "zoe": f.zoe} {
		f.ids[kEmployee][name] = e.ID
	}

	users := []struct {
		name, role string
		client     int64
		a          Assignment
	}{
		{"hr", RoleHRAdmin, f.acme.ID, Assignment{}},
		{"to", RoleTrainingOfficer, f.acme.ID, Assignment{}},
		{"paul", RoleManager, f.acme.ID, Assignment{DepartmentIDs: []int64{f.sales.ID}, EmployeeID: &f.paul.ID}},
		{"lea", RoleEmployee, f.acme.ID, Assignment{EmployeeID: &f.lea.ID}},
		{"tom", RoleEmployee, f.acme.ID, Assignment{EmployeeID: &f.tom.ID}},
		{"idle", RoleManager, f.acme.ID, Assignment{}},
		{"perrin", RoleHRAdmin, f.perrin.ID, Assignment{}},
	}
	now := time.Now().UTC()
	for _, u := range users {
		var id int64
		must(d.ExecReturning(ctx, &id, `INSERT INTO extranet_users (client_id, email, name, role, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, u.client, u.name+"@scope.test", "User "+u.name, u.role, now, now))
		_, err := f.viewers.Assign(f.ctx, u.client, id, u.a)
		must(err)
		f.v[u.name], err = f.viewers.Load(ctx, id)
		must(err)
	}

	// Requests: Léa's and Tom's (by staff), Paul's collective need (named nobody), Perrin's for Zoé.
	individual := func(client int64, topic string, e Employee) int64 {
		r, err := f.requests.Create(f.ctx, RequestInput{ClientID: client, Topic: topic, Kind: "individual", EmployeeIDs: []int64{e.ID}})
		must(err)
		return r.ID
	}
	f.ids[kRequest]["lea"] = individual(f.acme.ID, "Anglais", f.lea)
	f.ids[kRequest]["tom"] = individual(f.acme.ID, "Soudure", f.tom)
	coll, err := f.requests.CreateFor(ctx, f.v["paul"], RequestInput{Topic: "Négociation", Trainees: 4})
	must(err)
	f.ids[kRequest]["paul"] = coll.ID
	f.ids[kRequest]["zoe"] = individual(f.perrin.ID, "Hygiène", f.zoe)

	// Accepted proposals and sessions: Léa's, Paul's need with Tom as trainee, Zoé's; a draft on Tom's request.
	for _, b := range []struct {
		name    string
		client  int64
		trainee Employee
	}{{"lea", f.acme.ID, f.lea}, {"paul", f.acme.ID, f.tom}, {"zoe", f.perrin.ID, f.zoe}} {
		p, bk := f.book(t, f.ids[kRequest][b.name], b.client, b.trainee)
		f.ids[kProposal][b.name], f.ids[kBooking][b.name] = p, bk
	}
	f.ids[kProposal]["draft"] = f.proposal(t, f.ids[kRequest]["tom"])

	// Wishes: Léa's own, Tom's by HR on his behalf, Paul's own, Zoé's by Perrin's HR.
	for _, w := range []struct{ name, by string }{{"lea", "lea"}, {"tom", "hr"}, {"paul", "paul"}, {"zoe", "perrin"}} {
		wish, err := f.wishes.Submit(ctx, f.v[w.by], WishInput{EmployeeID: f.ids[kEmployee][w.name], Topic: "Souhait de " + w.name})
		must(err)
		f.ids[kWish][w.name] = wish.ID
	}
	return f
}

// proposal makes a draft proposal from one retained answer of Forma Plus.
func (f *scopeFixture) proposal(t *testing.T, requestID int64) int64 {
	t.Helper()
	cons, err := f.consultations.Consult(f.ctx, ConsultInput{RequestID: requestID, Targets: []ConsultTarget{{ProviderID: f.forma.ID}}})
	if err == nil {
		_, err = f.consultations.RecordAnswer(f.ctx, cons[0].ID, AnsweredByPhone, QuoteInput{PriceCents: 100000, VATStatus: "exempt"})
	}
	if err == nil {
		_, err = f.consultations.Retain(f.ctx, cons[0].ID, true)
	}
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.proposals.Create(f.ctx, ProposalInput{RequestID: requestID, Mode: ModeSubcontracting,
		Lines: []ProposalLineInput{{ConsultationID: cons[0].ID, ClientPriceCents: 120000}}, ValidUntil: time.Now().AddDate(0, 0, 30)})
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// book sends a proposal, accepts it on the client's behalf and books a session with one trainee.
func (f *scopeFixture) book(t *testing.T, requestID, clientID int64, trainee Employee) (proposalID, bookingID int64) {
	t.Helper()
	proposalID = f.proposal(t, requestID)
	_, err := f.proposals.Send(f.ctx, proposalID, []MailAddress{{Name: "RH", Email: "rh@client.test"}})
	if err == nil {
		_, err = f.proposals.Accept(f.ctx, clientID, proposalID)
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.bookings.Create(f.ctx, BookingInput{ProposalID: proposalID, Place: "Lyon", TraineeIDs: []int64{trainee.ID},
		Slots: []Slot{{Day: time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC), Half: Morning, Start: "09:00", End: "12:00"}}})
	if err != nil {
		t.Fatal(err)
	}
	return proposalID, b.ID
}

// resource is what the policy knows of a record of the fixture, read from the tables.
func (f *scopeFixture) resource(t *testing.T, kind string, id int64) Resource {
	t.Helper()
	ctx := context.Background()
	var res Resource
	var err error
	switch kind {
	case kRequest:
		res, err = requestResource(ctx, f.d, kind, id)
	case kProposal:
		var req int64
		if err = f.d.Get(ctx, &req, "SELECT request_id FROM proposals WHERE id = ?", id); err == nil {
			res, err = requestResource(ctx, f.d, kind, req)
		}
	case kBooking:
		var req int64
		var trainees []struct {
			ID   int64  `db:"id"`
			Dept *int64 `db:"department_id"`
		}
		if err = f.d.Get(ctx, &req, "SELECT request_id FROM bookings WHERE id = ?", id); err == nil {
			res, err = requestResource(ctx, f.d, kind, req)
		}
		if err == nil {
			err = f.d.Select(ctx, &trainees, `SELECT e.id, e.department_id FROM booking_trainees bt
				JOIN employees e ON e.id = bt.employee_id WHERE bt.booking_id = ?`, id)
		}
		for _, e := range trainees {
			res.EmployeeIDs = append(res.EmployeeIDs, e.ID)
			if e.Dept != nil {
				res.DepartmentIDs = append(res.DepartmentIDs, *e.Dept)
			}
		}
	case kWish:
		var w Wish
		if w, err = loadWish(ctx, f.d, "w.id = ?", id); err == nil {
			res = w.Resource()
		}
	case kEmployee:
		var e struct {
			ClientID int64  `db:"client_id"`
			Dept     *int64 `db:"department_id"`
		}
		err = f.d.Get(ctx, &e, "SELECT client_id, department_id FROM employees WHERE id = ?", id)
		res = Resource{Kind: kind, ClientID: e.ClientID, EmployeeIDs: []int64{id}}
		if e.Dept != nil {
			res.DepartmentIDs = []int64{*e.Dept}
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestViewerScopes checks every scoped read for every role: a record in
// the viewer's scope is found and listed; one of another company, of
// another department or of another employee is errs.ErrNotFound and not
// listed; and Viewer.Can agrees with the SQL on every record.
func TestViewerScopes(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		// What each viewer sees, by kind (record names of f.ids).
		want := map[string]map[string][]string{
			"hr": {kRequest: {"lea", "tom", "paul"}, kBooking: {"lea", "paul"}, kProposal: {"lea", "paul"},
				kWish: {"lea", "tom", "paul"}, kEmployee: {"lea", "tom", "paul", "nina"}},
			"paul": {kRequest: {"lea", "paul"}, kBooking: {"lea", "paul"}, kProposal: {"lea", "paul"},
				kWish: {"lea", "paul"}, kEmployee: {"lea", "paul"}},
			"lea":    {kRequest: {"lea"}, kBooking: {"lea"}, kWish: {"lea"}, kEmployee: {"lea"}},
			"tom":    {kRequest: {"tom"}, kBooking: {"paul"}, kWish: {"tom"}, kEmployee: {"tom"}},
			"idle":   {},
			"perrin": {kRequest: {"zoe"}, kBooking: {"zoe"}, kProposal: {"zoe"}, kWish: {"zoe"}, kEmployee: {"zoe"}},
		}
		want["to"] = want["hr"]

		type method struct {
			name string
			kind string
			get  func(v Viewer, id int64) error
			list func(v Viewer) ([]int64, error)
		}
		ids := func(n int, id func(int) int64) []int64 {
			out := make([]int64, n)
			for i := range out {
				out[i] = id(i)
			}
			return out
		}
		methods := []method{
			{"Requests.GetFor", kRequest, func(v Viewer, id int64) error { _, err := f.requests.GetFor(ctx, v, id); return err }, nil},
			{"Requests.HistoryFor", kRequest, func(v Viewer, id int64) error { _, err := f.requests.HistoryFor(ctx, v, id); return err }, nil},
			{"Requests.ListFor", kRequest, nil, func(v Viewer) ([]int64, error) {
				rows, total, err := f.requests.ListFor(ctx, v, RequestFilter{ClientID: f.perrin.ID})
				if err == nil && total != len(rows) {
					err = fmt.Errorf("total %d for %d rows", total, len(rows))
				}
				return ids(len(rows), func(i int) int64 { return rows[i].ID }), err
			}},
			{"Bookings.GetFor", kBooking, func(v Viewer, id int64) error { _, err := f.bookings.GetFor(ctx, v, id); return err }, nil},
			{"Bookings.ListFor", kBooking, nil, func(v Viewer) ([]int64, error) {
				rows, total, err := f.bookings.ListFor(ctx, v, BookingFilter{ClientID: f.perrin.ID})
				if err == nil && total != len(rows) {
					err = fmt.Errorf("total %d for %d rows", total, len(rows))
				}
				return ids(len(rows), func(i int) int64 { return rows[i].ID }), err
			}},
			{"Proposals.GetFor", kProposal, func(v Viewer, id int64) error { _, err := f.proposals.GetFor(ctx, v, id); return err }, nil},
			{"Proposals.ListFor", kProposal, nil, func(v Viewer) ([]int64, error) {
				rows, err := f.proposals.ListFor(ctx, v, 0)
				return ids(len(rows), func(i int) int64 { return rows[i].ID }), err
			}},
			{"Employees.GetFor", kEmployee, func(v Viewer, id int64) error { _, err := f.employees().GetFor(ctx, v, id); return err }, nil},
			{"Employees.ListFor", kEmployee, nil, func(v Viewer) ([]int64, error) {
				rows, total, err := f.employees().ListFor(ctx, v, EmployeeFilter{})
				if err == nil && total != len(rows) {
					err = fmt.Errorf("total %d for %d rows", total, len(rows))
				}
				return ids(len(rows), func(i int) int64 { return rows[i].ID }), err
			}},
			{"Wishes.GetFor", kWish, func(v Viewer, id int64) error { _, err := f.wishes.GetFor(ctx, v, id); return err }, nil},
			{"Wishes.HistoryFor", kWish, func(v Viewer, id int64) error { _, err := f.wishes.HistoryFor(ctx, v, id); return err }, nil},
			{"Wishes.ListFor", kWish, nil, func(v Viewer) ([]int64, error) {
				rows, total, err := f.wishes.ListFor(ctx, v, WishFilter{})
				if err == nil && total != len(rows) {
					err = fmt.Errorf("total %d for %d rows", total, len(rows))
				}
				return ids(len(rows), func(i int) int64 { return rows[i].ID }), err
			}},
		}
		for viewer, v := range f.v {
			for _, m := range methods {
				seen := want[viewer][m.kind]
				if m.get != nil {
					for name, id := range f.ids[m.kind] {
						err := m.get(v, id)
						switch {
						case slices.Contains(seen, name) && err != nil:
							t.Errorf("%s: %s of %s: %v, want found", viewer, m.name, name, err)
						case !slices.Contains(seen, name) && !errors.Is(err, errs.ErrNotFound):
							t.Errorf("%s: %s of %s: %v, want ErrNotFound", viewer, m.name, name, err)
						}
					}
				}
				if m.list != nil {
					got, err := m.list(v)
					if err != nil {
						t.Errorf("%s: %s: %v", viewer, m.name, err)
						continue
					}
					var wantIDs []int64
					for _, name := range seen {
						wantIDs = append(wantIDs, f.ids[m.kind][name])
					}
					sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
					slices.Sort(wantIDs)
					if !slices.Equal(got, wantIDs) {
						t.Errorf("%s: %s: got %v, want %v (%v)", viewer, m.name, got, wantIDs, seen)
					}
				}
			}
			// The policy in Go and in SQL agree on every record (drafts are hidden by the SQL alone).
			for kind, records := range f.ids {
				for name, id := range records {
					if kind == kProposal && name == "draft" {
						continue
					}
					if got, sees := v.Can(ActView, f.resource(t, kind, id)), slices.Contains(want[viewer][kind], name); got != sees {
						t.Errorf("%s: Can(view, %s %s) = %v, want %v as the scoped reads", viewer, kind, name, got, sees)
					}
				}
			}
			// A request's proposals: 404 for a request out of scope.
			for name, id := range f.ids[kRequest] {
				rows, err := f.proposals.ListFor(ctx, v, id)
				switch {
				case !slices.Contains(want[viewer][kRequest], name) && !errors.Is(err, errs.ErrNotFound):
					t.Errorf("%s: proposals of request %s: %v, want ErrNotFound", viewer, name, err)
				case slices.Contains(want[viewer][kRequest], name) && err != nil:
					t.Errorf("%s: proposals of request %s: %v", viewer, name, err)
				case slices.Contains(want[viewer][kProposal], name) != (len(rows) == 1):
					t.Errorf("%s: proposals of request %s: %+v", viewer, name, rows)
				}
			}
		}
	})
}

func (f *scopeFixture) employees() *Employees { return NewEmployees(f.d) }

// TestPolicyDenies checks the policy's edges: a zero viewer, an unknown
// role, kind or action, and one's own wish at the manager's step.
func TestPolicyDenies(t *testing.T) {
	emp := int64(7)
	hr := Viewer{ClientID: 1, UserID: 2, Role: RoleHRAdmin, EmployeeID: &emp}
	mgr := Viewer{ClientID: 1, UserID: 3, Role: RoleManager, DepartmentIDs: []int64{5}, EmployeeID: &emp}
	own := Resource{Kind: RecordWish, ClientID: 1, EmployeeIDs: []int64{7}, DepartmentIDs: []int64{5}}
	other := Resource{Kind: RecordWish, ClientID: 1, EmployeeIDs: []int64{8}, DepartmentIDs: []int64{5}}
	cases := []struct {
		name   string
		v      Viewer
		action Action
		res    Resource
		want   bool
	}{
		{"zero viewer", Viewer{}, ActView, Resource{Kind: RecordRequest}, false},
		{"unknown role", Viewer{ClientID: 1, UserID: 2, Role: "admin"}, ActView, Resource{Kind: RecordRequest, ClientID: 1}, false},
		{"unknown kind", hr, ActView, Resource{Kind: "invoice", ClientID: 1}, false},
		{"unknown action", hr, "delete", Resource{Kind: RecordRequest, ClientID: 1}, false},
		{"other company", hr, ActView, Resource{Kind: RecordRequest, ClientID: 9}, false},
		{"hr sees the company", hr, ActView, Resource{Kind: RecordRequest, ClientID: 1}, true},
		{"manager decides for their department", mgr, ActManagerDecide, other, true},
		{"manager not on their own wish", mgr, ActManagerDecide, own, false},
		{"hr not on their own wish as manager", hr, ActManagerDecide, own, false},
		{"hr arbitrates their own wish", hr, ActArbitrate, own, true},
		{"manager does not arbitrate", mgr, ActArbitrate, other, false},
		{"withdraw needs authorship", hr, ActWithdraw, other, false},
		{"withdraw by the author", hr, ActWithdraw, Resource{Kind: RecordWish, ClientID: 1, Author: 2}, true},
	}
	for _, c := range cases {
		if got := c.v.Can(c.action, c.res); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	if cond, args := (Viewer{ClientID: 1, UserID: 3, Role: RoleManager}).scope(RecordRequest); cond == "1 = 0" || len(args) != 2 {
		t.Errorf("a manager without departments still sees their own requests: %q %v", cond, args)
	}
	if cond, _ := (Viewer{ClientID: 1, UserID: 3, Role: RoleEmployee}).scope(RecordEmployee); cond != "1 = 0" {
		t.Errorf("an employee without employee record sees employees: %q", cond)
	}
}

// TestViewerAssign checks loading viewers and tying them to departments and employees.
func TestViewerAssign(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		paul := f.v["paul"]
		if paul.Role != RoleManager || !slices.Equal(paul.DepartmentIDs, []int64{f.sales.ID}) || paul.EmployeeID == nil ||
			*paul.EmployeeID != f.paul.ID || paul.ClientID != f.acme.ID || paul.Name != "User paul" {
			t.Errorf("loaded manager: %+v", paul)
		}
		perrinDept, err := NewEstablishments(d).AddDepartment(ctx, f.perrin.ID, "Fournil")
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			user  string
			a     Assignment
			field string
		}{
			{"department of another client", "paul", Assignment{DepartmentIDs: []int64{perrinDept.ID}}, "department_ids"},
			{"departments of a non-manager", "lea", Assignment{DepartmentIDs: []int64{f.sales.ID}, EmployeeID: &f.lea.ID}, "department_ids"},
			{"employee of another client", "hr", Assignment{EmployeeID: &f.zoe.ID}, "employee_id"},
			{"employee linked to another user", "hr", Assignment{EmployeeID: &f.lea.ID}, "employee_id"},
		}
		for _, c := range cases {
			if _, err := f.viewers.Assign(f.ctx, f.acme.ID, f.v[c.user].UserID, c.a); !isInvalid(err, c.field) {
				t.Errorf("%s: got %v, want an error on %s", c.name, err, c.field)
			}
		}
		if _, err := f.viewers.Assign(f.ctx, f.perrin.ID, paul.UserID, Assignment{}); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("user of another client: %v", err)
		}
		// Only an HR admin of the company assigns in the extranet.
		a := Assignment{DepartmentIDs: []int64{f.sales.ID, f.shop.ID}, EmployeeID: &f.paul.ID}
		for _, c := range []struct {
			by   string
			want error
		}{{"to", errs.ErrNotFound}, {"paul", errs.ErrNotFound}, {"lea", errs.ErrNotFound}, {"perrin", errs.ErrNotFound}} {
			if _, err := f.viewers.AssignFor(ctx, f.v[c.by], paul.UserID, a); !errors.Is(err, c.want) {
				t.Errorf("assigned by %s: got %v, want %v", c.by, err, c.want)
			}
		}
		got, err := f.viewers.AssignFor(ctx, f.v["hr"], paul.UserID, a)
		if err != nil || len(got.DepartmentIDs) != 2 {
			t.Fatalf("assigned by HR: %+v %v", got, err)
		}
		if _, err := f.requests.GetFor(ctx, got, f.ids[kRequest]["tom"]); err != nil {
			t.Errorf("the manager of the workshop too does not see Tom's request: %v", err)
		}
		if _, err := d.Exec(ctx, "UPDATE extranet_users SET active = FALSE WHERE id = ?", paul.UserID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.viewers.Load(ctx, paul.UserID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("deactivated user: %v", err)
		}
	})
}

// TestScopedActions checks the actions on requests and proposals taken
// through a viewer: 404 out of scope, 403 for a role that may not.
func TestScopedActions(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newScopeFixture(t, d)
		ctx := context.Background()
		// Sessions: the client's view, filtered by dates.
		if b, err := f.bookings.GetFor(ctx, f.v["lea"], f.ids[kBooking]["lea"]); err != nil || len(b.Slots) != 1 ||
			!slices.Equal(b.TraineeIDs, []int64{f.lea.ID}) || b.PriceCents != 120000 {
			t.Errorf("Léa's session: %+v %v", b, err)
		}
		if _, total, err := f.bookings.ListFor(ctx, f.v["hr"], BookingFilter{From: ptrTime(2026, 10, 1), To: ptrTime(2026, 10, 31)}); err != nil || total != 2 {
			t.Errorf("sessions in October: %d %v", total, err)
		}
		if _, total, err := f.bookings.ListFor(ctx, f.v["hr"], BookingFilter{From: ptrTime(2026, 11, 1)}); err != nil || total != 0 {
			t.Errorf("sessions from November: %d %v", total, err)
		}
		if _, err := f.requests.CreateFor(ctx, f.v["lea"], RequestInput{Topic: "Excel"}); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an employee raises a need: %v", err)
		}
		if _, err := f.requests.CreateFor(ctx, f.v["paul"], RequestInput{Topic: "Excel", EmployeeIDs: []int64{f.lea.ID, f.tom.ID}}); !isInvalid(err, "employee_ids") {
			t.Errorf("a manager names an employee of another department: %v", err)
		}
		r, err := f.requests.CreateFor(ctx, f.v["paul"], RequestInput{ClientID: f.perrin.ID, Topic: "Excel", EmployeeIDs: []int64{f.lea.ID}})
		if err != nil || r.ClientID != f.acme.ID || r.CreatedByExtranetID == nil || *r.CreatedByExtranetID != f.v["paul"].UserID ||
			r.Channel != "extranet" {
			t.Fatalf("a manager's need: %+v %v", r, err)
		}

		pid := f.proposal(t, r.ID)
		if _, err := f.proposals.GetFor(ctx, f.v["hr"], pid); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("a draft seen by the client: %v", err)
		}
		if _, err := f.proposals.Send(f.ctx, pid, []MailAddress{{Email: "rh@client.test"}}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			by   string
			want error
		}{{"lea", errs.ErrNotFound}, {"tom", errs.ErrNotFound}, {"perrin", errs.ErrNotFound}, {"paul", errs.ErrForbidden}} {
			if _, err := f.proposals.AcceptFor(ctx, f.v[c.by], pid); !errors.Is(err, c.want) {
				t.Errorf("accepted by %s: got %v, want %v", c.by, err, c.want)
			}
			if _, err := f.proposals.DeclineFor(ctx, f.v[c.by], pid, "trop cher"); !errors.Is(err, c.want) {
				t.Errorf("declined by %s: got %v, want %v", c.by, err, c.want)
			}
		}
		if _, err := f.proposals.DeclineFor(ctx, f.v["to"], pid, " "); !isInvalid(err, "reason") {
			t.Errorf("declined without a reason: %v", err)
		}
		p, err := f.proposals.AcceptFor(ctx, f.v["to"], pid)
		if err != nil || p.Status != ProposalAccepted {
			t.Fatalf("accepted by the training officer: %+v %v", p, err)
		}
		if full, _ := f.proposals.Get(ctx, pid); full.DecidedByExtranetID == nil || *full.DecidedByExtranetID != f.v["to"].UserID {
			t.Errorf("decided by: %+v", full)
		}
	})
}
