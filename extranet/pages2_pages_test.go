package extranet_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/extranet"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/webtest"
	"github.com/gofiber/fiber/v2"
)

// pages2Fixture is two companies: Acme with two departments (Sales,
// Workshop), a user of each role (a Sales manager, a Workshop manager, an
// employee of Sales) and Perrin with its HR admin.
type pages2Fixture struct {
	app          *fiber.App
	d            *db.DB
	acme, perrin crm.Client
	sales, shop  crm.Department
	lea          crm.Employee
	users        map[string]int64 // hr, to, paul (Sales manager), marc (Workshop manager), lea (employee), perrin
	viewers      *crm.Viewers
	wishes       *crm.Wishes
	requests     *crm.Requests
	plans        *crm.Plans
	budgets      *crm.Budgets
}

func newPages2Fixture(t *testing.T, d *db.DB) *pages2Fixture {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	clients := crm.NewClients(d)
	f := &pages2Fixture{d: d, users: map[string]int64{}, viewers: crm.NewViewers(d), wishes: crm.NewWishes(d, nil),
		requests: crm.NewRequests(d), plans: crm.NewPlans(d), budgets: crm.NewBudgets(d)}
	var err error
	f.acme, err = clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"})
	must(err)
	f.perrin, err = clients.Create(ctx, crm.ClientInput{LegalName: "Perrin SA"})
	must(err)
	est, emps := crm.NewEstablishments(d), crm.NewEmployees(d)
	f.sales, err = est.AddDepartment(ctx, f.acme.ID, "Ventes")
	must(err)
	f.shop, err = est.AddDepartment(ctx, f.acme.ID, "Atelier")
	must(err)
	f.lea, _, err = emps.Upsert(ctx, f.acme.ID, crm.EmployeeInput{ExternalID: "A1", FirstName: "Léa", LastName: "Roux", DepartmentName: "Ventes"})
	must(err)
	s := auth.New(d, auth.Extranet, auth.Options{})
	for _, u := range []struct {
		name, role string
		client     int64
		a          crm.Assignment
	}{
		{"hr", crm.RoleHRAdmin, f.acme.ID, crm.Assignment{}},
		{"to", crm.RoleTrainingOfficer, f.acme.ID, crm.Assignment{}},
		{"paul", crm.RoleManager, f.acme.ID, crm.Assignment{DepartmentIDs: []int64{f.sales.ID}}},
		{"marc", crm.RoleManager, f.acme.ID, crm.Assignment{DepartmentIDs: []int64{f.shop.ID}}},
		{"lea", crm.RoleEmployee, f.acme.ID, crm.Assignment{EmployeeID: &f.lea.ID}},
		{"perrin", crm.RoleHRAdmin, f.perrin.ID, crm.Assignment{}},
	} {
		user, err := s.CreateUser(ctx, auth.NewUser{ClientID: u.client, Email: u.name + "@client.test", Name: u.name, Role: u.role,
			Locale: "fr", Password: pw})
		must(err)
		_, err = f.viewers.Assign(ctx, u.client, user.ID, u.a)
		must(err)
		f.users[u.name] = user.ID
	}
	f.app, err = extranet.New(extranet.Deps{Auth: s, Clients: clients, Mailer: &mailer.Recorder{}, Ping: d.Ping,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Secret: []byte("0123456789abcdef0123456789abcdef"),
		PublicURL: "https://extranet.test", Viewers: f.viewers, Wishes: f.wishes, Employees: emps, Establishments: est,
		Plans: f.plans, Budgets: f.budgets, Bookings: crm.NewBookings(d), CalendarFeeds: crm.NewCalendarFeeds(d),
		Requests: crm.NewRequests(d), Proposals: crm.NewProposals(d, nil)})
	must(err)
	return f
}

// login returns a client signed in as user name.
func (f *pages2Fixture) login(t *testing.T, name string) *webtest.Client {
	t.Helper()
	c := webtest.New(t, f.app)
	if r := c.Login(name+"@client.test", pw); r.Status != http.StatusSeeOther {
		t.Fatalf("login %s: %d", name, r.Status)
	}
	return c
}

func (f *pages2Fixture) viewer(t *testing.T, name string) crm.Viewer {
	t.Helper()
	v, err := f.viewers.Load(context.Background(), f.users[name])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// clone copies a form, which Post fills with a CSRF token.
func clone(v url.Values) url.Values { return url.Values(maps.Clone(v)) }

var wishPath = regexp.MustCompile(`^/wishes/(\d+)$`)

// TestWishPages: Léa submits, her manager refuses without a reason (the
// message shows next to the field), then approves; HR approves and the
// request reaches the broker. Another department's manager and another
// company's HR get 404; a form without CSRF is refused.
func TestWishPages(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newPages2Fixture(t, d)
		lea := f.login(t, "lea")
		lea.Get("/wishes/new")
		r := lea.Post("/wishes", url.Values{"topic": {""}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `class="field-error"`) {
			t.Fatalf("wish without topic: %d", r.Status)
		}
		r = lea.Post("/wishes", url.Values{"topic": {"Anglais professionnel"}, "estimated_cost": {"1 200"}, "period_from": {"2026-10-01"}})
		m := wishPath.FindStringSubmatch(r.Header.Get("Location"))
		if r.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("submit: %d %s %.300s", r.Status, r.Header.Get("Location"), r.Body)
		}
		path := "/wishes/" + m[1]
		if r := lea.Get(path); r.Status != 200 || !strings.Contains(r.Body, "Anglais professionnel") || !strings.Contains(r.Body, `id="move-withdrawn"`) ||
			strings.Contains(r.Body, `id="move-manager_approved"`) {
			t.Errorf("employee's wish page: %d", r.Status)
		}
		if r := lea.Get("/wishes"); !strings.Contains(r.Body, path) {
			t.Error("wish not listed")
		}

		paul := f.login(t, "paul")
		if r := paul.Get(path); r.Status != 200 || !strings.Contains(r.Body, `id="move-manager_refused"`) || strings.Contains(r.Body, `id="move-hr_approved"`) {
			t.Fatalf("manager's wish page: %d", r.Status)
		}
		if r := paul.Post(path+"/move", url.Values{"to": {crm.WishManagerApproved}, "_csrf": {""}}); r.Status != http.StatusForbidden {
			t.Errorf("move without CSRF: %d", r.Status)
		}
		r = paul.Post(path+"/move", url.Values{"to": {crm.WishManagerRefused}, "reason": {"  "}})
		if r.Status != http.StatusUnprocessableEntity || !regexp.MustCompile(`id="reason_manager_refused"[^>]*aria-invalid="true"`).MatchString(r.Body) ||
			!strings.Contains(r.Body, `<span class="field-error" role="alert">`) {
			t.Errorf("refusal without reason: %d %.2000s", r.Status, r.Body)
		}
		if r := paul.Post(path+"/move", url.Values{"to": {crm.WishManagerApproved}}); r.Status != http.StatusSeeOther {
			t.Fatalf("manager approves: %d", r.Status)
		}
		for _, who := range []string{"marc", "perrin"} {
			c := f.login(t, who)
			for _, p := range []string{path} {
				if r := c.Get(p); r.Status != 404 {
					t.Errorf("%s GET %s: %d", who, p, r.Status)
				}
			}
			c.Get("/wishes")
			if r := c.Post(path+"/move", url.Values{"to": {crm.WishHRApproved}}); r.Status != 404 {
				t.Errorf("%s moves %s: %d", who, path, r.Status)
			}
		}
		hr := f.login(t, "hr")
		hr.Get(path)
		if r := hr.Post(path+"/move", url.Values{"to": {crm.WishHRApproved}}); r.Status != http.StatusSeeOther {
			t.Fatalf("HR approves: %d %.500s", r.Status, r.Body)
		}
		var id int64
		fmt.Sscan(m[1], &id)
		w, err := f.wishes.GetFor(context.Background(), f.viewer(t, "hr"), id)
		if err != nil || w.Status != crm.WishSent || w.RequestID == nil {
			t.Fatalf("wish after HR: %+v %v", w, err)
		}
		req, err := f.requests.GetFor(context.Background(), f.viewer(t, "hr"), *w.RequestID)
		if err != nil || req.Topic != "Anglais professionnel" || req.Kind != "individual" {
			t.Errorf("request of the wish: %+v %v", req, err)
		}
		if r := hr.Get(path); !strings.Contains(r.Body, `id="wish-status"`) || strings.Contains(r.Body, `id="move-`) {
			t.Errorf("sent wish still has buttons")
		}
	})
}

// TestPlanAndBudgetPages: HR adds a line, freezes the plan, reopens it,
// edits the line and the diff shows the change; a manager sees only their
// department's lines read only; an employee and another company get 404;
// the budget page and its CSV show the envelope and the planned amount.
func TestPlanAndBudgetPages(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newPages2Fixture(t, d)
		year := time.Now().Year()
		y := fmt.Sprint(year)
		hr := f.login(t, "hr")
		if r := hr.Get("/plan?year=" + y); r.Status != 200 || !strings.Contains(r.Body, `action="/plan"`) {
			t.Fatalf("no plan yet: %d", r.Status)
		}
		if r := hr.Post("/plan", url.Values{"year": {y}, "title": {"Plan " + y}}); r.Status != http.StatusSeeOther {
			t.Fatalf("create plan: %d %.300s", r.Status, r.Body)
		}
		plan, err := f.plans.ForYearFor(context.Background(), f.viewer(t, "hr"), year)
		if err != nil {
			t.Fatal(err)
		}
		pp := fmt.Sprintf("/plan/%d", plan.ID)
		hr.Get(pp + "/lines/new")
		line := url.Values{"title": {"Négociation commerciale"}, "department_id": {fmt.Sprint(f.sales.ID)}, "population": {"Commerciaux"},
			"trainees": {"4"}, "priority": {"high"}, "category": {"development"}, "period_from": {y + "-03-01"}, "period_to": {y + "-06-30"},
			"estimated_cost": {"2 400"}, "funding_source": {"company"}}
		if r := hr.Post(pp+"/lines", clone(line)); r.Status != http.StatusSeeOther {
			t.Fatalf("add line: %d %.3000s", r.Status, r.Body)
		}
		shopLine := url.Values{"title": {"Soudure"}, "department_id": {fmt.Sprint(f.shop.ID)}, "trainees": {"2"}, "priority": {"normal"},
			"category": {"mandatory"}, "estimated_cost": {"900"}, "funding_source": {"opco"}}
		if r := hr.Post(pp+"/lines", shopLine); r.Status != http.StatusSeeOther {
			t.Fatalf("add workshop line: %d", r.Status)
		}
		hr.Get("/plan?year=" + y)
		if r := hr.Post(pp+"/freeze", url.Values{"cse_date": {""}}); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, `class="field-error"`) {
			t.Errorf("freeze without date: %d", r.Status)
		}
		cse := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
		if r := hr.Post(pp+"/freeze", url.Values{"cse_date": {cse}}); r.Status != http.StatusSeeOther {
			t.Fatalf("freeze: %d %.500s", r.Status, r.Body)
		}
		plan, _ = f.plans.ForYearFor(context.Background(), f.viewer(t, "hr"), year)
		var salesLine int64
		for _, l := range plan.Lines {
			if l.Title == "Négociation commerciale" {
				salesLine = l.ID
			}
		}
		lp := fmt.Sprintf("/plan/lines/%d", salesLine)
		if r := hr.Post(lp, clone(line)); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("edit a frozen plan: %d", r.Status)
		}
		if r := hr.Post(pp+"/reopen", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("reopen: %d", r.Status)
		}
		hr.Get(lp + "/edit")
		line.Set("trainees", "6")
		if r := hr.Post(lp, clone(line)); r.Status != http.StatusSeeOther {
			t.Fatalf("edit line: %d %.500s", r.Status, r.Body)
		}
		if r := hr.Get(pp + "/diff"); r.Status != 200 || !strings.Contains(r.Body, "<del>4</del> → <ins>6</ins>") {
			t.Errorf("diff: %d %.3000s", r.Status, r.Body)
		}

		paul := f.login(t, "paul")
		r := paul.Get("/plan?year=" + y)
		if r.Status != 200 || !strings.Contains(r.Body, "Négociation commerciale") || strings.Contains(r.Body, "Soudure") ||
			strings.Contains(r.Body, `/remove"`) || strings.Contains(r.Body, `/lines/new"`) {
			t.Errorf("manager's plan: %d", r.Status)
		}
		if r := paul.Post(lp, clone(line)); r.Status != http.StatusForbidden {
			t.Errorf("manager edits: %d", r.Status)
		}

		// Budgets: an envelope for Sales, the plan's line planned against it.
		hr.Get("/budgets?year=" + y)
		if r := hr.Post("/budgets/envelopes", url.Values{"year": {y}, "department_id": {fmt.Sprint(f.sales.ID)}, "funding_source": {"company"},
			"amount": {"5 000"}, "label": {"Ventes"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("create envelope: %d %.500s", r.Status, r.Body)
		}
		r = hr.Get("/budgets?year=" + y)
		if r.Status != 200 || !strings.Contains(r.Body, "<meter") || !regexp.MustCompile(`id="total-amount">5[^0-9<]*000,00`).MatchString(r.Body) {
			t.Errorf("budgets: %d %.4000s", r.Status, r.Body)
		}
		csv := hr.Get("/budgets.csv?year=" + y)
		if csv.Status != 200 || !strings.HasPrefix(csv.Body, "\uFEFF") || !strings.Contains(csv.Body, ";5000,00;2400,00;") ||
			!strings.Contains(csv.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("csv: %d %v %q", csv.Status, csv.Header, csv.Body)
		}
		if r := paul.Get("/budgets.csv?year=" + y); !strings.Contains(r.Body, "Ventes") || strings.Contains(r.Body, "OPCO") {
			t.Errorf("manager's csv: %q", r.Body)
		}
		// The dashboard's gauge of the year, for those who see budgets only.
		if y == strconv.Itoa(time.Now().Year()) {
			if r := hr.Get("/"); !strings.Contains(r.Body, "Budget formation "+y) || !strings.Contains(r.Body, "<meter") {
				t.Errorf("dashboard budget gauge: %.3000s", r.Body)
			}
		}

		lea := f.login(t, "lea")
		perrin := f.login(t, "perrin")
		for _, p := range []string{"/plan?year=" + y, "/budgets?year=" + y, "/budgets.csv?year=" + y, pp + "/diff", lp + "/edit"} {
			if r := lea.Get(p); r.Status != 404 {
				t.Errorf("employee GET %s: %d", p, r.Status)
			}
		}
		for _, p := range []string{pp + "/diff", lp + "/edit", pp + "/lines/new"} {
			if r := perrin.Get(p); r.Status != 404 {
				t.Errorf("other company GET %s: %d", p, r.Status)
			}
		}
		perrin.Get("/plan")
		for _, p := range []string{lp, lp + "/remove", pp + "/lines", pp + "/freeze", pp + "/reopen"} {
			if r := perrin.Post(p, clone(line)); r.Status != 404 {
				t.Errorf("other company POST %s: %d", p, r.Status)
			}
		}
		if r := hr.Get("/plan?year=1850"); r.Status != 404 {
			t.Errorf("year out of range: %d", r.Status)
		}
	})
}

// TestPlanningFeed: the planning page; a feed created from it answers
// text/calendar with CRLF lines without a session; revoked, it is 404.
func TestPlanningFeed(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newPages2Fixture(t, d)
		hr := f.login(t, "hr")
		if r := hr.Get("/planning"); r.Status != 200 {
			t.Fatalf("planning: %d", r.Status)
		}
		if r := hr.Get("/planning?view=list&month=2026-02"); r.Status != 200 {
			t.Errorf("planning list: %d", r.Status)
		}
		if r := hr.Get("/planning?month=2026-13"); r.Status != 404 {
			t.Errorf("bad month: %d", r.Status)
		}
		if r := hr.Post("/planning/feed", url.Values{"_csrf": {""}}); r.Status != http.StatusForbidden {
			t.Errorf("feed without CSRF: %d", r.Status)
		}
		r := hr.Post("/planning/feed", nil)
		m := regexp.MustCompile(`https://extranet\.test(/ics/[A-Z2-7]+\.ics)`).FindStringSubmatch(r.Body)
		if r.Status != 200 || m == nil {
			t.Fatalf("feed created: %d", r.Status)
		}
		anon := webtest.New(t, f.app)
		ics := anon.Get(m[1])
		if ics.Status != 200 || !strings.HasPrefix(ics.Header.Get("Content-Type"), "text/calendar") ||
			!strings.HasPrefix(ics.Body, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(ics.Body, "END:VCALENDAR\r\n") ||
			strings.Count(ics.Body, "BEGIN:VEVENT") != 0 {
			t.Errorf("feed: %d %v %q", ics.Status, ics.Header, ics.Body)
		}
		if r := anon.Get("/ics/AAAAAAAAAAAAAAAAAAAAAAAAAA.ics"); r.Status != 404 {
			t.Errorf("unknown token: %d", r.Status)
		}
		hr.Get("/planning")
		if r := hr.Post("/planning/feed/revoke", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.Status)
		}
		if r := anon.Get(m[1]); r.Status != 404 {
			t.Errorf("revoked feed: %d", r.Status)
		}
	})
}
