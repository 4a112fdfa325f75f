package extranet_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/extranet"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/webtest"
	"github.com/gofiber/fiber/v2"
)

// publicRoutes are the extranet routes reached without a session, each with
// the reason it is out of the isolation sweep. A path is matched exactly, or
// by prefix when it ends with "*".
var publicRoutes = map[string]string{
	"/static/*":   "the embedded CSS, scripts and images",
	"/healthz":    "liveness probe, no data",
	"/login":      "the login form",
	"/password/*": "forgotten password and reset link: keyed by the secret of the mail, tested in internal/web",
	"/lang":       "sets the caller's language cookie",
	"/reponse/*":  "providers' answer form, keyed by a signed token (answer_test.go)",
	"/ics/:file":  "private calendar feed keyed by its secret token: TestIsolationCalendarFeedToken",
}

func isPublic(path string) bool {
	for p := range publicRoutes {
		if prefix, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(path, prefix) || p == path {
			return true
		}
	}
	return false
}

// Markers: every record of Acme the testers may not see has zircon in its
// title; the document shared with all of Acme has quartz.
const (
	zircon = "Zircon"
	quartz = "Quartz"
)

// isolationFixture is Acme (departments Ventes and Atelier; Tom works in
// the Atelier, Léa and Paul in Ventes) with a record of each kind that
// concerns Tom or the Atelier, and Perrin, another company. The testers are
// Perrin's HR admin, Paul (manager of Ventes) and Léa (employee).
type isolationFixture struct {
	app   *fiber.App
	hrA   crm.Viewer
	ids   map[string]int64 // request, proposal, wish, plan, line, envelope, document
	users map[string]int64
	feeds *crm.CalendarFeeds
	v     *crm.Viewers
}

func newIsolationFixture(t *testing.T, d *db.DB) *isolationFixture {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f := &isolationFixture{ids: map[string]int64{}, users: map[string]int64{}, v: crm.NewViewers(d), feeds: crm.NewCalendarFeeds(d)}
	staffAuth := auth.New(d, auth.Staff, auth.Options{})
	claire, err := staffAuth.CreateUser(ctx, auth.NewUser{Email: "claire@courtier.test", Name: "Claire", Role: auth.RoleConsultant, Password: pw})
	must(err)
	staff := audit.WithActor(ctx, audit.Actor{Kind: audit.ActorStaff, ID: claire.ID, Label: claire.Name})
	clients := crm.NewClients(d)
	acme, err := clients.Create(staff, crm.ClientInput{LegalName: "Acme Industrie"})
	must(err)
	perrin, err := clients.Create(staff, crm.ClientInput{LegalName: "Perrin SA"})
	must(err)
	est, emps := crm.NewEstablishments(d), crm.NewEmployees(d)
	sales, err := est.AddDepartment(ctx, acme.ID, "Ventes")
	must(err)
	shop, err := est.AddDepartment(ctx, acme.ID, "Atelier")
	must(err)
	emp := func(ext, first, dept string) crm.Employee {
		e, _, err := emps.Upsert(ctx, acme.ID, crm.EmployeeInput{ExternalID: ext, FirstName: first, LastName: "Roux", DepartmentName: dept})
		must(err)
		return e
	}
	lea, paul, tom := emp("A1", "Léa", "Ventes"), emp("A2", "Paul", "Ventes"), emp("A3", "Tom", "Atelier")
	ext := auth.New(d, auth.Extranet, auth.Options{})
	for _, u := range []struct {
		name, role string
		client     int64
		a          crm.Assignment
	}{
		{"hr", crm.RoleHRAdmin, acme.ID, crm.Assignment{}},
		{"paul", crm.RoleManager, acme.ID, crm.Assignment{DepartmentIDs: []int64{sales.ID}, EmployeeID: &paul.ID}},
		{"lea", crm.RoleEmployee, acme.ID, crm.Assignment{EmployeeID: &lea.ID}},
		{"perrin", crm.RoleHRAdmin, perrin.ID, crm.Assignment{}},
	} {
		user, err := ext.CreateUser(ctx, auth.NewUser{ClientID: u.client, Email: u.name + "@client.test", Name: u.name, Role: u.role,
			Locale: "fr", Password: pw})
		must(err)
		_, err = f.v.Assign(ctx, u.client, user.ID, u.a)
		must(err)
		f.users[u.name] = user.ID
	}
	f.hrA, err = f.v.Load(ctx, f.users["hr"])
	must(err)

	// A need and a proposal sent for Tom.
	requests := crm.NewRequests(d)
	req, err := requests.Create(staff, crm.RequestInput{ClientID: acme.ID, Topic: "Soudure " + zircon, Kind: "individual", Trainees: 1,
		EmployeeIDs: []int64{tom.ID}})
	must(err)
	f.ids["request"] = req.ID
	rec := &mailer.Recorder{}
	blobs, err := documents.NewLocalBlobs(t.TempDir())
	must(err)
	mail := crm.NewMail(d, crm.MailConfig{Sender: rec, From: mailer.Address{Name: "Courtier", Address: "crm@courtier.test"}})
	cons, err := crm.NewConsultations(d, crm.ConsultationConfig{Mail: mail, Blobs: blobs, Secret: bytes.Repeat([]byte{7}, 32),
		FormURL: "https://extranet.test/reponse/"})
	must(err)
	proposals := crm.NewProposals(d, mail)
	forma, err := crm.NewProviders(d).Create(ctx, crm.ProviderInput{Name: "Forma Plus", Email: "devis@formaplus.test"})
	must(err)
	cs, err := cons.Consult(staff, crm.ConsultInput{RequestID: req.ID, Targets: []crm.ConsultTarget{{ProviderID: forma.ID}}})
	must(err)
	_, err = cons.RecordAnswer(staff, cs[0].ID, crm.AnsweredByPhone, crm.QuoteInput{PriceCents: 80000, VATStatus: "exempt"})
	must(err)
	_, err = cons.Retain(staff, cs[0].ID, true)
	must(err)
	p, err := proposals.Create(staff, crm.ProposalInput{RequestID: req.ID, Mode: crm.ModeSubcontracting, CommissionCents: 1000,
		Lines:      []crm.ProposalLineInput{{ConsultationID: cs[0].ID, Label: "Module " + zircon, ClientPriceCents: 100000}},
		ValidUntil: time.Now().AddDate(0, 0, 30)})
	must(err)
	_, err = proposals.Send(staff, p.ID, []crm.MailAddress{{Name: "RH", Email: "hr@client.test"}})
	must(err)
	f.ids["proposal"] = p.ID

	// Tom's individual request, submitted by HR.
	wishes := crm.NewWishes(d, nil)
	w, err := wishes.Submit(ctx, f.hrA, crm.WishInput{EmployeeID: tom.ID, Topic: "Anglais " + zircon})
	must(err)
	f.ids["wish"] = w.ID

	// This year's plan, with a line of the Atelier, and the Atelier's envelope.
	year := time.Now().Year()
	plans, budgets := crm.NewPlans(d), crm.NewBudgets(d)
	plan, err := plans.CreateFor(ctx, f.hrA, crm.PlanInput{Year: year, Title: "Plan " + fmt.Sprint(year)})
	must(err)
	f.ids["plan"] = plan.ID
	line, err := plans.AddLineFor(ctx, f.hrA, plan.ID, crm.PlanLineInput{Title: "Habilitation " + zircon, DepartmentID: &shop.ID,
		Trainees: 2, Priority: "normal", Category: crm.CategoryMandatory, EstimatedCostCents: 90000, FundingSource: crm.SourceOPCO})
	must(err)
	f.ids["line"] = line.ID
	env, err := budgets.CreateFor(ctx, f.hrA, crm.EnvelopeInput{Year: year, DepartmentID: &shop.ID, FundingSource: crm.SourceOPCO,
		AmountCents: 500000, Label: "Atelier " + zircon})
	must(err)
	f.ids["envelope"] = env.ID

	// A document shared with all of Acme.
	docs, err := documents.NewService(d, documents.Options{Blobs: blobs})
	must(err)
	doc, err := docs.Upload(ctx, documents.NewDocument{Title: "Convention " + quartz, FileName: "convention.txt",
		Content: strings.NewReader("Convention " + quartz), ClientID: acme.ID, Shared: true})
	must(err)
	f.ids["document"] = doc.ID

	f.app, err = extranet.New(extranet.Deps{Auth: ext, Clients: clients, Mailer: rec, Ping: d.Ping,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Secret: []byte("0123456789abcdef0123456789abcdef"),
		PublicURL: "https://extranet.test", Documents: docs, Consultations: cons,
		Viewers: f.v, Requests: requests, Proposals: proposals, Bookings: crm.NewBookings(d), Wishes: wishes, Employees: emps,
		Establishments: est, Plans: plans, Budgets: budgets, CalendarFeeds: f.feeds})
	must(err)
	return f
}

func (f *isolationFixture) login(t *testing.T, name string) *webtest.Client {
	t.Helper()
	c := webtest.New(t, f.app)
	if r := c.Login(name+"@client.test", pw); r.Status != http.StatusSeeOther {
		t.Fatalf("login %s: %d", name, r.Status)
	}
	return c
}

// scopedParam says, for a route with path parameters, which record of Acme
// fills them and which testers are out of its scope. Every extranet route
// with a parameter must have an entry: a new route without one fails the
// sweep until someone states what it serves and who may not see it.
type scopedParam struct {
	record  string   // key of isolationFixture.ids
	testers []string // who must get 404
	form    url.Values
}

// Valid forms, so that what refuses a POST is the scope, not the fields.
var (
	year     = fmt.Sprint(time.Now().Year())
	lineForm = url.Values{"title": {"Habilitation"}, "trainees": {"2"}, "priority": {"normal"}, "category": {"mandatory"},
		"estimated_cost": {"900"}, "funding_source": {"opco"}}
	envelopeForm = url.Values{"year": {year}, "funding_source": {"opco"}, "amount": {"5 000"}, "label": {"Atelier"}}
)

var (
	everyone    = []string{"perrin", "paul", "lea"}
	notManagers = []string{"perrin", "lea"} // a manager views the company's plan (their departments' lines)
	otherFirm   = []string{"perrin"}        // a shared document is for every user of the company
)

var scopedRoutes = map[string]scopedParam{
	"/documents/:id/download":       {"document", otherFirm, nil},
	"/requests/:id":                 {"request", everyone, nil},
	"/proposals/:id":                {"proposal", everyone, nil},
	"/proposals/:id/accept":         {"proposal", everyone, nil},
	"/proposals/:id/decline":        {"proposal", everyone, nil},
	"/wishes/:id<int>":              {"wish", everyone, nil},
	"/wishes/:id<int>/move":         {"wish", everyone, url.Values{"to": {crm.WishHRApproved}}},
	"/plan/:id<int>/diff":           {"plan", notManagers, nil},
	"/plan/:id<int>/lines/new":      {"plan", notManagers, nil},
	"/plan/:id<int>/lines":          {"plan", notManagers, lineForm},
	"/plan/:id<int>/freeze":         {"plan", notManagers, url.Values{"cse_date": {time.Now().Format(time.DateOnly)}}},
	"/plan/:id<int>/reopen":         {"plan", notManagers, nil},
	"/plan/lines/:line<int>/edit":   {"line", everyone, nil},
	"/plan/lines/:line<int>":        {"line", everyone, lineForm},
	"/plan/lines/:line<int>/remove": {"line", everyone, nil},
	"/budgets/envelopes/:id<int>":   {"envelope", everyone, envelopeForm},
}

var routeParam = regexp.MustCompile(`:[a-z]+(<[a-z]+>)?`)

// TestIsolationSweep enumerates every extranet route from the router and
// tries each route with an identifier, by GET or POST with a valid CSRF
// token, as another company's HR admin and as a manager or employee of
// Acme out of the record's scope: every answer is 404. The lists without
// a parameter show none of Acme's records to the testers.
func TestIsolationSweep(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newIsolationFixture(t, d)
		testers := map[string]*webtest.Client{}
		for _, name := range append([]string{"hr"}, everyone...) {
			c := f.login(t, name)
			// The dashboard gives the CSRF token of the session; creating a
			// calendar feed proves the token is accepted.
			if r := c.Get("/"); r.Status != 200 {
				t.Fatalf("%s dashboard: %d", name, r.Status)
			}
			if r := c.Post("/planning/feed", nil); r.Status != 200 {
				t.Fatalf("%s: CSRF token refused: %d", name, r.Status)
			}
			testers[name] = c
		}

		var swept, lists int
		seen := map[string]bool{}
		for _, rt := range f.app.GetRoutes(true) {
			if rt.Method != fiber.MethodGet && rt.Method != fiber.MethodPost {
				continue // HEAD duplicates the GETs
			}
			if isPublic(rt.Path) {
				continue
			}
			if len(rt.Params) == 0 {
				if rt.Method != fiber.MethodGet || strings.HasSuffix(rt.Path, "/new") {
					continue
				}
				lists++
				path := rt.Path + "?year=" + year
				for _, who := range everyone {
					r := testers[who].Get(path)
					if r.Status >= 500 {
						t.Errorf("%s GET %s: %d", who, path, r.Status)
					}
					if strings.Contains(r.Body, zircon) || who == "perrin" && strings.Contains(r.Body, quartz) {
						t.Errorf("%s GET %s shows a record of Acme out of scope", who, path)
					}
				}
				continue
			}
			sp, ok := scopedRoutes[rt.Path]
			if !ok {
				t.Errorf("%s %s: a route with a parameter missing from scopedRoutes: say which record it serves and who may not see it",
					rt.Method, rt.Path)
				continue
			}
			seen[rt.Path] = true
			id := f.ids[sp.record]
			if id == 0 {
				t.Fatalf("%s: no record %q in the fixture", rt.Path, sp.record)
			}
			path := routeParam.ReplaceAllString(rt.Path, fmt.Sprint(id))
			if rt.Method == fiber.MethodGet {
				// The id is real: Acme's HR admin reaches it.
				if r := testers["hr"].Get(path); r.Status != 200 {
					t.Errorf("hr GET %s: %d, want 200 (the fixture's record is not reachable)", path, r.Status)
				}
			}
			for _, who := range sp.testers {
				c := testers[who]
				var r webtest.Response
				if rt.Method == fiber.MethodGet {
					r = c.Get(path)
				} else {
					r = c.Post(path, clone(sp.form))
				}
				swept++
				if r.Status != http.StatusNotFound {
					t.Errorf("%s %s %s: %d, want 404", who, rt.Method, path, r.Status)
				}
				if strings.Contains(r.Body, zircon) || strings.Contains(r.Body, quartz) {
					t.Errorf("%s %s %s: the answer shows the record", who, rt.Method, path)
				}
			}
		}
		for p := range scopedRoutes {
			if !seen[p] {
				t.Errorf("scopedRoutes has %s, which the router no longer serves", p)
			}
		}
		// 6 GET and 10 POST routes with a parameter at the time of writing;
		// fewer means the sweep lost routes.
		if swept < 40 || lists < 8 {
			t.Errorf("swept %d requests on routes with a parameter and %d lists: the sweep lost routes", swept, lists)
		}
		t.Logf("swept %d requests on %d routes with a parameter, %d lists", swept, len(seen), lists)
	})
}

// TestIsolationCalendarFeedToken: the feed route is keyed by its secret
// token only: an unknown token, another user's feed id or user id in its
// place, and a revoked token are 404.
func TestIsolationCalendarFeedToken(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newIsolationFixture(t, d)
		ctx := context.Background()
		token, err := f.feeds.CreateFor(ctx, f.hrA)
		if err != nil {
			t.Fatal(err)
		}
		feed, err := f.feeds.ActiveFor(ctx, f.hrA)
		if err != nil || feed == nil {
			t.Fatalf("feed: %v %v", feed, err)
		}
		anon := webtest.New(t, f.app)
		if r := anon.Get("/ics/" + token + ".ics"); r.Status != 200 {
			t.Fatalf("own token: %d", r.Status)
		}
		perrin := f.login(t, "perrin")
		for _, file := range []string{"AAAAAAAAAAAAAAAAAAAAAAAAAA.ics", fmt.Sprint(feed.ID) + ".ics", fmt.Sprint(f.users["hr"]) + ".ics",
			token, strings.ToLower(token) + ".ics"} {
			for who, c := range map[string]*webtest.Client{"anonymous": anon, "perrin": perrin} {
				if r := c.Get("/ics/" + file); r.Status != 404 {
					t.Errorf("%s GET /ics/%s: %d", who, file, r.Status)
				}
			}
		}
		if err := f.feeds.RevokeFor(ctx, f.hrA); err != nil {
			t.Fatal(err)
		}
		if r := anon.Get("/ics/" + token + ".ics"); r.Status != 404 {
			t.Errorf("revoked token: %d", r.Status)
		}
		if _, ok := publicRoutes["/ics/:file"]; !ok {
			t.Error("the feed route is not listed as public")
		}
	})
}
