package extranet_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
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
)

// pagesFixture is two client companies as a broker follows them: Morel
// (departments Ventes and Atelier, an HR admin, the Ventes manager Paul,
// the employee Léa) and the Clinique (its HR admin); Morel's needs, the
// proposals sent and a session booked.
type pagesFixture struct {
	app       *webtestApp
	d         *db.DB
	rec       *mailer.Recorder
	proposals *crm.Proposals
	req       map[string]int64 // lea (Ventes), tom (Atelier), safety (collective, Atelier), clinic
	prop      map[string]int64 // lea, lea2 (same request), tom, safety (expired), clinic
}

func newPagesFixture(t *testing.T, d *db.DB) *pagesFixture {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f := &pagesFixture{d: d, rec: &mailer.Recorder{}, req: map[string]int64{}, prop: map[string]int64{}}
	staffAuth := auth.New(d, auth.Staff, auth.Options{})
	claire, err := staffAuth.CreateUser(ctx, auth.NewUser{Email: "claire@courtier.test", Name: "Claire Courtier", Role: auth.RoleConsultant, Password: pw})
	must(err)
	staff := audit.WithActor(ctx, audit.Actor{Kind: audit.ActorStaff, ID: claire.ID, Label: claire.Name})
	clients := crm.NewClients(d)
	morel, err := clients.Create(staff, crm.ClientInput{LegalName: "Transports Morel", AccountManagerID: &claire.ID})
	must(err)
	clinic, err := clients.Create(staff, crm.ClientInput{LegalName: "Clinique du Parc", AccountManagerID: &claire.ID})
	must(err)
	est := crm.NewEstablishments(d)
	_, err = est.AddDepartment(ctx, morel.ID, "Ventes")
	must(err)
	_, err = est.AddDepartment(ctx, morel.ID, "Atelier")
	must(err)
	emps := crm.NewEmployees(d)
	emp := func(client int64, ext, first, dept string) crm.Employee {
		e, _, err := emps.Upsert(ctx, client, crm.EmployeeInput{ExternalID: ext, FirstName: first, LastName: "Test", DepartmentName: dept})
		must(err)
		return e
	}
	lea, tom, paul := emp(morel.ID, "M1", "Léa", "Ventes"), emp(morel.ID, "M2", "Tom", "Atelier"), emp(morel.ID, "M3", "Paul", "Ventes")
	zoe := emp(clinic.ID, "C1", "Zoé", "")
	ext := auth.New(d, auth.Extranet, auth.Options{})
	viewers := crm.NewViewers(d)
	user := func(client int64, email, name, role string, a crm.Assignment) {
		u, err := ext.CreateUser(ctx, auth.NewUser{ClientID: client, Email: email, Name: name, Role: role, Password: pw})
		must(err)
		_, err = viewers.Assign(ctx, client, u.ID, a)
		must(err)
	}
	dept := func(name string) int64 {
		var id int64
		must(d.Get(ctx, &id, "SELECT id FROM client_departments WHERE client_id = ? AND name = ?", morel.ID, name))
		return id
	}
	user(morel.ID, "rh@morel.test", "Hélène RH", auth.RoleHRAdmin, crm.Assignment{})
	user(morel.ID, "paul@morel.test", "Paul Manager", auth.RoleManager, crm.Assignment{DepartmentIDs: []int64{dept("Ventes")}, EmployeeID: &paul.ID})
	user(morel.ID, "lea@morel.test", "Léa Salariée", auth.RoleEmployee, crm.Assignment{EmployeeID: &lea.ID})
	user(clinic.ID, "rh@clinique.test", "Paul Girard", auth.RoleHRAdmin, crm.Assignment{})

	requests := crm.NewRequests(d)
	request := func(client int64, topic, kind string, trainees int, e crm.Employee) int64 {
		r, err := requests.Create(staff, crm.RequestInput{ClientID: client, Topic: topic, Kind: kind, Trainees: trainees, EmployeeIDs: []int64{e.ID}})
		must(err)
		return r.ID
	}
	f.req["lea"] = request(morel.ID, "Vente conseil", "individual", 1, lea)
	f.req["tom"] = request(morel.ID, "Soudure TIG", "individual", 1, tom)
	f.req["safety"] = request(morel.ID, "Sécurité atelier", "collective", 6, tom)
	f.req["clinic"] = request(clinic.ID, "Hygiène hospitalière", "individual", 1, zoe)

	blobs, err := documents.NewLocalBlobs(t.TempDir())
	must(err)
	mail := crm.NewMail(d, crm.MailConfig{Sender: f.rec, From: mailer.Address{Name: "Courtier", Address: "crm@courtier.test"}})
	cons, err := crm.NewConsultations(d, crm.ConsultationConfig{Mail: mail, Blobs: blobs, Secret: bytes.Repeat([]byte{7}, 32),
		FormURL: "https://extranet.test/reponse/"})
	must(err)
	f.proposals = crm.NewProposals(d, mail)
	providers := crm.NewProviders(d)
	forma, err := providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus", Email: "devis@formaplus.test"})
	must(err)
	lyon, err := providers.Create(ctx, crm.ProviderInput{Name: "Lyon Formation", Email: "devis@lyonformation.test"})
	must(err)
	// proposal sends a proposal of one answer of a provider at price euros.
	proposal := func(requestID int64, provider crm.Provider, mode string, price int64) int64 {
		cs, err := cons.Consult(staff, crm.ConsultInput{RequestID: requestID, Targets: []crm.ConsultTarget{{ProviderID: provider.ID}}})
		must(err)
		_, err = cons.RecordAnswer(staff, cs[0].ID, crm.AnsweredByPhone, crm.QuoteInput{PriceCents: price * 80, VATStatus: "exempt"})
		must(err)
		_, err = cons.Retain(staff, cs[0].ID, true)
		must(err)
		p, err := f.proposals.Create(staff, crm.ProposalInput{RequestID: requestID, Mode: mode, CommissionCents: 1000,
			Lines:      []crm.ProposalLineInput{{ConsultationID: cs[0].ID, Label: "Module " + fmt.Sprint(price), ClientPriceCents: price * 100}},
			ValidUntil: time.Now().AddDate(0, 0, 30)})
		must(err)
		_, err = f.proposals.Send(staff, p.ID, []crm.MailAddress{{Name: "RH", Email: "rh@client.test"}})
		must(err)
		return p.ID
	}
	f.prop["lea"] = proposal(f.req["lea"], forma, crm.ModeReferral, 1500)
	f.prop["lea2"] = proposal(f.req["lea"], lyon, crm.ModeSubcontracting, 1900)
	f.prop["tom"] = proposal(f.req["tom"], forma, crm.ModeSubcontracting, 2100)
	f.prop["safety"] = proposal(f.req["safety"], forma, crm.ModeSubcontracting, 4200)
	f.prop["clinic"] = proposal(f.req["clinic"], forma, crm.ModeSubcontracting, 900)
	_, err = d.Exec(ctx, "UPDATE proposals SET valid_until = ? WHERE id = ?", time.Now().AddDate(0, 0, -3), f.prop["safety"])
	must(err)
	f.rec.Reset()

	f.app = &webtestApp{deps: extranet.Deps{Auth: ext, Clients: clients, Mailer: f.rec, Ping: d.Ping,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Secret: []byte("0123456789abcdef0123456789abcdef"), PublicURL: "https://extranet.test",
		Viewers: viewers, Requests: requests, Proposals: f.proposals, Bookings: crm.NewBookings(d), Wishes: crm.NewWishes(d, nil)}}
	return f
}

// book has staff book a session of an accepted proposal, in ten days.
func (f *pagesFixture) book(t *testing.T, proposalID int64, trainees []int64) {
	t.Helper()
	var staffID int64
	if err := f.d.Get(context.Background(), &staffID, "SELECT id FROM staff_users WHERE email = 'claire@courtier.test'"); err != nil {
		t.Fatal(err)
	}
	staff := audit.WithActor(context.Background(), audit.Actor{Kind: audit.ActorStaff, ID: staffID})
	day := time.Now().AddDate(0, 0, 10)
	_, err := f.app.deps.Bookings.Create(staff, crm.BookingInput{ProposalID: proposalID, Place: "Lyon", TraineeIDs: trainees,
		Slots: []crm.Slot{{Day: time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC), Half: crm.Morning, Start: "09:00", End: "12:00"}}})
	if err != nil {
		t.Fatal(err)
	}
}

type webtestApp struct{ deps extranet.Deps }

func (a *webtestApp) client(t *testing.T, email string) *webtest.Client {
	t.Helper()
	app, err := extranet.New(a.deps)
	if err != nil {
		t.Fatal(err)
	}
	c := webtest.New(t, app)
	if email != "" {
		if r := c.Login(email, pw); r.Status != http.StatusSeeOther {
			t.Fatalf("login %s: %d", email, r.Status)
		}
	}
	return c
}

func (f *pagesFixture) status(t *testing.T, id int64) string {
	t.Helper()
	var s string
	if err := f.d.Get(context.Background(), &s, "SELECT status FROM proposals WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHRAdminFollowsNeedsAndDecidesProposals(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newPagesFixture(t, d)
		c := f.app.client(t, "rh@morel.test")

		home := c.Get("/")
		for _, want := range []string{"Vente conseil", "Sécurité atelier", `aria-current="step"`, "Proposition envoyée", `href="/proposals/` + fmt.Sprint(f.prop["lea"]),
			"proposition(s) à accepter", `href="/requests"`, `href="/proposals"`} {
			if !strings.Contains(home.Body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
		if home.Status != 200 || strings.Contains(home.Body, "Hygiène") || strings.Contains(home.Body, fmt.Sprintf(`href="/proposals/%d"`, f.prop["safety"])) {
			t.Errorf("dashboard shows another company's need or an expired proposal: %d", home.Status)
		}

		// A new collective request through the form, refused first on its fields.
		c.Get("/requests/new")
		r := c.Post("/requests", url.Values{"topic": {""}, "trainees": {"8"}})
		if r.Status != 422 || !strings.Contains(r.Body, `id="topic-error"`) || !strings.Contains(r.Body, "Ce champ est obligatoire") ||
			!strings.Contains(r.Body, `value="8"`) {
			t.Errorf("form without topic: %d %s", r.Status, mainOf(r.Body))
		}
		r = c.Post("/requests", url.Values{"topic": {"Excel"}, "budget": {"beaucoup"}})
		if r.Status != 422 || !strings.Contains(r.Body, `id="budget-error"`) || !strings.Contains(r.Body, `value="Excel"`) {
			t.Errorf("form with a wrong budget: %d %s", r.Status, mainOf(r.Body))
		}
		if r := c.Post("/requests", url.Values{"_csrf": {""}, "topic": {"Sans jeton"}}); r.Status != 403 {
			t.Errorf("form without CSRF: %d", r.Status)
		}
		r = c.Post("/requests", url.Values{"topic": {"Management d'équipe"}, "description": {"Chefs d'équipe de l'entrepôt"},
			"objectives": {"Conduire un entretien"}, "trainees": {"8"}, "period_from": {"2027-03-01"}, "period_to": {"2027-04-30"},
			"remote": {"on"}, "place": {"Lyon"}, "budget": {"4 500,50"}, "funding_body": {"OPCO Mobilités"}})
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/requests/") {
			t.Fatalf("create: %d %s", r.Status, mainOf(r.Body))
		}
		show := c.Get(r.Header.Get("Location"))
		if !strings.Contains(show.Body, "Management d&#39;équipe") || !strings.Contains(show.Body, "500,50") || !strings.Contains(show.Body, "OPCO Mobilités") {
			t.Errorf("new request page: %s", mainOf(show.Body))
		}
		if list := c.Get("/requests"); !strings.Contains(list.Body, "Management d&#39;équipe") || !strings.Contains(list.Body, "Soudure TIG") {
			t.Errorf("list after creation: %s", mainOf(list.Body))
		}
		m, ok := f.rec.Last()
		if !ok || len(m.To) != 1 || m.To[0].Address != "claire@courtier.test" || !strings.Contains(m.Subject, "Management d'équipe") ||
			!strings.Contains(m.Text, "Hélène RH") || !strings.Contains(m.Text, "OPCO Mobilités") {
			t.Errorf("mail to the account manager: %+v", m)
		}
		if r := c.Get("/requests?stage=proposal&q=vente"); !strings.Contains(r.Body, "Vente conseil") || strings.Contains(r.Body, "Management") {
			t.Errorf("filtered list: %s", mainOf(r.Body))
		}

		// Compare, then accept one proposal and decline another with a reason.
		cmp := c.Get(fmt.Sprintf("/proposals?request=%d", f.req["lea"]))
		if cmp.Status != 200 || !strings.Contains(cmp.Body, "200,00") || !strings.Contains(cmp.Body, "900,00") || !strings.Contains(cmp.Body, "Forma Plus") {
			t.Errorf("comparison: %d %s", cmp.Status, mainOf(cmp.Body))
		}
		page := c.Get(fmt.Sprintf("/proposals/%d", f.prop["lea2"]))
		if strings.Contains(page.Body, "Lyon Formation") || strings.Contains(page.Body, "520,00") || !strings.Contains(page.Body, "/accept") {
			t.Errorf("subcontracting proposal names its provider or its cost: %s", mainOf(page.Body))
		}
		if r := c.Post(fmt.Sprintf("/proposals/%d/accept", f.prop["lea"]), url.Values{"_csrf": {""}}); r.Status != 403 || f.status(t, f.prop["lea"]) != "sent" {
			t.Errorf("accept without CSRF: %d", r.Status)
		}
		c.Get(fmt.Sprintf("/proposals/%d", f.prop["lea"]))
		if r := c.Post(fmt.Sprintf("/proposals/%d/accept", f.prop["lea"]), nil); r.Status != http.StatusSeeOther {
			t.Errorf("accept: %d %s", r.Status, mainOf(r.Body))
		}
		if f.status(t, f.prop["lea"]) != "accepted" || f.status(t, f.prop["lea2"]) != "withdrawn" {
			t.Errorf("after accepting: %s %s", f.status(t, f.prop["lea"]), f.status(t, f.prop["lea2"]))
		}
		c.Get(fmt.Sprintf("/proposals/%d", f.prop["tom"]))
		r = c.Post(fmt.Sprintf("/proposals/%d/decline", f.prop["tom"]), url.Values{"reason": {"  "}})
		if r.Status != 422 || !strings.Contains(r.Body, `id="reason-error"`) || !strings.Contains(r.Body, "Indiquez le motif") || f.status(t, f.prop["tom"]) != "sent" {
			t.Errorf("decline without reason: %d %s", r.Status, mainOf(r.Body))
		}
		if r := c.Post(fmt.Sprintf("/proposals/%d/decline", f.prop["tom"]), url.Values{"reason": {"Trop cher"}}); r.Status != http.StatusSeeOther ||
			f.status(t, f.prop["tom"]) != "declined" {
			t.Errorf("decline: %d %s", r.Status, f.status(t, f.prop["tom"]))
		}
		// The expired proposal: no accept button, and the domain refuses it.
		page = c.Get(fmt.Sprintf("/proposals/%d", f.prop["safety"]))
		if !strings.Contains(page.Body, "date de validité") || strings.Contains(page.Body, "/accept") {
			t.Errorf("expired proposal page: %s", mainOf(page.Body))
		}
		if r := c.Post(fmt.Sprintf("/proposals/%d/accept", f.prop["safety"]), nil); r.Status != 422 || !strings.Contains(r.Body, "date de validité") ||
			f.status(t, f.prop["safety"]) != "sent" {
			t.Errorf("accept expired: %d", r.Status)
		}

		// A session booked: on the dashboard with its trainees, and on the request.
		var lea int64
		if err := d.Get(context.Background(), &lea, "SELECT id FROM employees WHERE external_id = 'M1'"); err != nil {
			t.Fatal(err)
		}
		f.book(t, f.prop["lea"], []int64{lea})
		home = c.Get("/")
		if !strings.Contains(home.Body, "1 stagiaire(s)") || !strings.Contains(home.Body, "Lyon") {
			t.Errorf("dashboard sessions: %s", mainOf(home.Body))
		}
		if r := c.Get(fmt.Sprintf("/requests/%d", f.req["lea"])); !strings.Contains(r.Body, "Planifiée") && !strings.Contains(r.Body, "Confirmée") {
			t.Errorf("request sessions: %s", mainOf(r.Body))
		}
		hist := c.Get(fmt.Sprintf("/requests/%d", f.req["tom"]))
		if !strings.Contains(hist.Body, "Historique") || !strings.Contains(hist.Body, "Refusée") && !strings.Contains(hist.Body, "Déclin") {
			t.Errorf("history: %s", mainOf(hist.Body))
		}

		// In English.
		c.Post("/lang", url.Values{"lang": {"en"}, "back": {"/requests"}})
		if r := c.Get("/requests"); !strings.Contains(r.Body, "Training requests") || !strings.Contains(r.Body, "New collective request") {
			t.Errorf("English list: %s", mainOf(r.Body))
		}
	})
}

func TestScopesOfTheRequestAndProposalPages(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newPagesFixture(t, d)

		// The Ventes manager: Léa's need, not the Atelier's; may not decide.
		m := f.app.client(t, "paul@morel.test")
		list := m.Get("/requests")
		if !strings.Contains(list.Body, "Vente conseil") || strings.Contains(list.Body, "Soudure") || strings.Contains(list.Body, "Sécurité atelier") {
			t.Errorf("manager's list: %s", mainOf(list.Body))
		}
		for _, path := range []string{fmt.Sprintf("/requests/%d", f.req["tom"]), fmt.Sprintf("/proposals/%d", f.prop["tom"]),
			fmt.Sprintf("/proposals?request=%d", f.req["safety"])} {
			if r := m.Get(path); r.Status != 404 || strings.Contains(r.Body, "Soudure") {
				t.Errorf("manager %s: %d", path, r.Status)
			}
		}
		if r := m.Get(fmt.Sprintf("/proposals/%d", f.prop["lea"])); r.Status != 200 || strings.Contains(r.Body, "/accept") {
			t.Errorf("manager's view of a proposal: %d", r.Status)
		}
		if r := m.Post(fmt.Sprintf("/proposals/%d/accept", f.prop["lea"]), nil); r.Status != 403 || f.status(t, f.prop["lea"]) != "sent" {
			t.Errorf("manager accepts: %d, status %s", r.Status, f.status(t, f.prop["lea"]))
		}
		if r := m.Post(fmt.Sprintf("/proposals/%d/decline", f.prop["lea"]), url.Values{"reason": {"non"}}); r.Status != 403 || f.status(t, f.prop["lea"]) != "sent" {
			t.Errorf("manager declines: %d", r.Status)
		}

		// The employee: her own request only, no proposal, no form.
		e := f.app.client(t, "lea@morel.test")
		list = e.Get("/requests")
		if !strings.Contains(list.Body, "Vente conseil") || strings.Contains(list.Body, "Soudure") || strings.Contains(list.Body, "/requests/new") {
			t.Errorf("employee's list: %s", mainOf(list.Body))
		}
		if r := e.Get(fmt.Sprintf("/requests/%d", f.req["lea"])); r.Status != 200 {
			t.Errorf("employee's own request: %d", r.Status)
		}
		if r := e.Get(fmt.Sprintf("/requests/%d", f.req["tom"])); r.Status != 404 {
			t.Errorf("employee, a colleague's request: %d", r.Status)
		}
		if r := e.Get(fmt.Sprintf("/proposals/%d", f.prop["lea"])); r.Status != 404 {
			t.Errorf("employee, a proposal: %d", r.Status)
		}
		if r := e.Get("/requests/new"); r.Status != 403 {
			t.Errorf("employee, new request form: %d", r.Status)
		}
		if r := e.Get("/"); r.Status != 200 || strings.Contains(r.Body, "Soudure") {
			t.Errorf("employee's dashboard: %d", r.Status)
		}

		// Another company's user: 404 on every id of Morel, on every route with one.
		o := f.app.client(t, "rh@clinique.test")
		if r := o.Get("/requests"); strings.Contains(r.Body, "Vente conseil") || !strings.Contains(r.Body, "Hygiène") {
			t.Errorf("other company's list: %s", mainOf(r.Body))
		}
		for name, id := range f.req {
			if name == "clinic" {
				continue
			}
			for _, path := range []string{fmt.Sprintf("/requests/%d", id), fmt.Sprintf("/proposals?request=%d", id)} {
				if r := o.Get(path); r.Status != 404 {
					t.Errorf("other company %s: %d", path, r.Status)
				}
			}
		}
		for name, id := range f.prop {
			if name == "clinic" {
				continue
			}
			if r := o.Get(fmt.Sprintf("/proposals/%d", id)); r.Status != 404 {
				t.Errorf("other company, proposal %s: %d", name, r.Status)
			}
			if r := o.Post(fmt.Sprintf("/proposals/%d/accept", id), nil); r.Status != 404 {
				t.Errorf("other company accepts %s: %d", name, r.Status)
			}
			if r := o.Post(fmt.Sprintf("/proposals/%d/decline", id), url.Values{"reason": {"x"}}); r.Status != 404 {
				t.Errorf("other company declines %s: %d", name, r.Status)
			}
			if f.status(t, id) != "sent" {
				t.Errorf("proposal %s changed: %s", name, f.status(t, id))
			}
		}
		for _, path := range []string{"/requests/abc", "/proposals/0", "/proposals?request=x"} {
			if r := o.Get(path); r.Status != 404 {
				t.Errorf("%s: %d", path, r.Status)
			}
		}
		if r := f.app.client(t, "").Get("/requests"); r.Status != http.StatusSeeOther {
			t.Errorf("anonymous list: %d", r.Status)
		}
	})
}

// mainOf is the main part of a page, for failure messages.
func mainOf(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		body = body[i:]
	}
	if j := strings.Index(body, "</main>"); j >= 0 {
		body = body[:j]
	}
	return body
}
