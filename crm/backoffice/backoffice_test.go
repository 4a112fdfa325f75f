package backoffice_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/backoffice"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/secretbox"
	"github.com/courtier-crm/courtier/internal/webtest"
	"github.com/gofiber/fiber/v2"
)

const pw = "correct horse battery"

type fixture struct {
	app   *fiber.App
	auth  *auth.Service
	mail  *mailer.Recorder
	admin auth.User
	cons  auth.User
	crm   services
	deps  backoffice.Deps // what app was built with, for variants of it
}

// services are the CRM services the app uses, for tests to build records.
type services struct {
	clients        *crm.Clients
	establishments *crm.Establishments
	contacts       *crm.Contacts
	employees      *crm.Employees
	providers      *crm.Providers
	courses        *crm.Courses
	search         *crm.Searcher
	shortlists     *crm.Shortlists
	timeline       *crm.Timeline
	tasks          *crm.Tasks
	calls          *crm.Calls
	mail           *crm.Mail
	mailboxes      *crm.Mailboxes
	requests       *crm.Requests
	consultations  *crm.Consultations
	proposals      *crm.Proposals
	bookings       *crm.Bookings
	blobs          documents.Blobs
	docs           *documents.Service
	broker         *crm.Broker
	paperwork      *crm.Paperwork
	synced         *[]int64 // mailboxes whose "sync now" was asked
}

func setup(t *testing.T, d *db.DB) fixture {
	t.Helper()
	ctx := context.Background()
	s := auth.New(d, auth.Staff, auth.Options{})
	admin, err := s.CreateUser(ctx, auth.NewUser{Email: "claire@courtier.test", Name: "Claire Moreau", Role: auth.RoleAdmin, Password: pw})
	if err != nil {
		t.Fatal(err)
	}
	cons, _ := s.CreateUser(ctx, auth.NewUser{Email: "julien@courtier.test", Name: "Julien Lefèvre", Role: auth.RoleConsultant, Password: pw})
	rec := &mailer.Recorder{}
	svc := services{clients: crm.NewClients(d), establishments: crm.NewEstablishments(d), contacts: crm.NewContacts(d),
		employees: crm.NewEmployees(d), providers: crm.NewProviders(d), courses: crm.NewCourses(d), search: crm.NewSearcher(d),
		shortlists: crm.NewShortlists(d), timeline: crm.NewTimeline(d), tasks: crm.NewTasks(d), calls: crm.NewCalls(d),
		mail: crm.NewMail(d, crm.MailConfig{Sender: rec, From: mailer.Address{Name: "Courtier", Address: "crm@courtier.test"}})}
	box, _ := secretbox.New([]byte("0123456789abcdef0123456789abcdef"), "mailbox")
	svc.mailboxes = crm.NewMailboxes(d, box)
	blobs, err := documents.NewLocalBlobs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc.blobs = blobs
	svc.requests, svc.proposals, svc.bookings = crm.NewRequests(d), crm.NewProposals(d, svc.mail), crm.NewBookings(d)
	if svc.consultations, err = crm.NewConsultations(d, crm.ConsultationConfig{Mail: svc.mail, Blobs: blobs,
		Secret: []byte("consultation-link-key-for-tests!"), FormURL: "http://ex.test/reponse/"}); err != nil {
		t.Fatal(err)
	}
	if svc.docs, err = documents.NewService(d, documents.Options{Blobs: blobs, Notify: timelineHook}); err != nil {
		t.Fatal(err)
	}
	svc.broker = crm.NewBroker(d)
	svc.paperwork = crm.NewPaperwork(crm.PaperworkDeps{Documents: svc.docs, Blobs: blobs, Broker: svc.broker, Clients: svc.clients,
		Establishments: svc.establishments, Employees: svc.employees, Courses: svc.courses, Requests: svc.requests,
		Consultations: svc.consultations, Proposals: svc.proposals, Bookings: svc.bookings})
	svc.synced = new([]int64)
	synced := svc.synced
	deps := backoffice.Deps{Auth: s, Audit: audit.NewLog(d), Clients: svc.clients, Establishments: svc.establishments,
		Contacts: svc.contacts, Employees: svc.employees, Providers: svc.providers, Courses: svc.courses, Search: svc.search,
		Shortlists: svc.shortlists, Timeline: svc.timeline, Tasks: svc.tasks, Calls: svc.calls,
		Mail: svc.mail, Mailboxes: svc.mailboxes, Blobs: blobs, Requests: svc.requests, Consultations: svc.consultations,
		Proposals: svc.proposals, Bookings: svc.bookings, Documents: svc.docs, Broker: svc.broker, Paperwork: svc.paperwork,
		Plans: crm.NewPlans(d), Budgets: crm.NewBudgets(d),
		ExtranetAuth: auth.New(d, auth.Extranet, auth.Options{}), Viewers: crm.NewViewers(d), ExtranetURL: "http://ex.test",
		SyncMailbox: func(ctx context.Context, id int64) (string, error) {
			*synced = append(*synced, id)
			return "INBOX: 3 new", nil
		},
		Mailer: rec, Ping: d.Ping, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Secret: []byte("0123456789abcdef0123456789abcdef"), PublicURL: "http://bo.test"}
	app, err := backoffice.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{app: app, auth: s, mail: rec, admin: admin, cons: cons, crm: svc, deps: deps}
}

func want(t *testing.T, what string, r webtest.Response, status int, contains ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d (body %.300s)", what, r.Status, status, r.Body)
	}
	for _, s := range contains {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q", what, s)
		}
	}
}

func TestLoginLogoutCSRF(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := webtest.New(t, f.app)
		r := c.Get("/")
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2F" {
			t.Errorf("anonymous home: %d %s", r.Status, r.Header.Get("Location"))
		}
		want(t, "login page", c.Get("/login"), 200, `name="_csrf"`, "Connexion")
		want(t, "login without CSRF", c.Post("/login", url.Values{"_csrf": {""}, "email": {"claire@courtier.test"}, "password": {pw}}), 403)
		want(t, "login with a forged token", c.Post("/login", url.Values{"_csrf": {"forged"}, "email": {"claire@courtier.test"}, "password": {pw}}), 403)
		want(t, "wrong password", c.Login("claire@courtier.test", "not the password"), 401, "incorrect")
		r = c.Login("claire@courtier.test", pw)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
			t.Fatalf("login: %d %s", r.Status, r.Body)
		}
		if !strings.Contains(r.Header.Get("Set-Cookie"), "HttpOnly") || !strings.Contains(strings.ToLower(r.Header.Get("Set-Cookie")), "samesite=lax") {
			t.Errorf("session cookie flags: %s", r.Header.Get("Set-Cookie"))
		}
		home := c.Get("/")
		want(t, "home", home, 200, "Bonjour Claire Moreau", "Activité récente", "Paramètres")
		if csp := home.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP: %q", csp)
		}
		// A token from before the login is worthless after it (bound to the session).
		want(t, "logout with a stale token", c.Post("/logout", url.Values{"_csrf": {"x"}}), 403)
		c.Get("/")
		r = c.Post("/logout", nil)
		if r.Status != http.StatusSeeOther {
			t.Errorf("logout: %d", r.Status)
		}
		if r := c.Get("/"); r.Status != http.StatusSeeOther {
			t.Errorf("home after logout: %d, want a redirect to login", r.Status)
		}
		want(t, "login page after logout", c.Get("/login"), 200, "Vous êtes déconnecté")
	})
}

func TestLoginThrottled(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := webtest.New(t, f.app)
		for range 5 {
			c.Login("claire@courtier.test", "wrong guess again")
		}
		want(t, "6th attempt with the right password", c.Login("claire@courtier.test", pw), 429, "Trop de tentatives")
	})
}

func TestPasswordResetByMail(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := webtest.New(t, f.app)
		c.Get("/password/forgot")
		want(t, "forgot unknown", c.Post("/password/forgot", url.Values{"email": {"nobody@courtier.test"}}), 200, "Si un compte correspond")
		if len(f.mail.Messages()) != 0 {
			t.Fatal("a mail was sent for an unknown address")
		}
		want(t, "forgot", c.Post("/password/forgot", url.Values{"email": {"claire@courtier.test"}}), 200, "Si un compte correspond")
		m, ok := f.mail.Last()
		if !ok {
			t.Fatal("no reset mail")
		}
		link := regexp.MustCompile(`http://bo\.test(/password/reset\?token=\S+)`).FindStringSubmatch(m.Text)
		if link == nil || m.To[0].Address != "claire@courtier.test" {
			t.Fatalf("reset mail: %+v", m)
		}
		want(t, "reset form", c.Get(link[1]), 200, `name="password"`)
		token, _ := url.QueryUnescape(strings.TrimPrefix(link[1], "/password/reset?token="))
		want(t, "mismatch", c.Post("/password/reset", url.Values{"token": {token}, "password": {"a new passphrase"}, "password_confirm": {"other"}}), 422)
		r := c.Post("/password/reset", url.Values{"token": {token}, "password": {"a new passphrase"}, "password_confirm": {"a new passphrase"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("reset: %d %s", r.Status, r.Body)
		}
		want(t, "reused link", c.Get(link[1]), 404, "plus valable")
		if r := c.Login("claire@courtier.test", "a new passphrase"); r.Status != http.StatusSeeOther {
			t.Errorf("login with the new password: %d", r.Status)
		}
	})
}

func TestPagesAndRoles(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		admin := webtest.New(t, f.app)
		admin.Login("claire@courtier.test", pw)
		for _, p := range []string{"/settings", "/settings/tokens", "/settings/users", "/settings/audit"} {
			want(t, "admin "+p, admin.Get(p), 200)
		}
		want(t, "audit shows the login", admin.Get("/settings/audit"), 200, "login", "claire@courtier.test")
		r := admin.Post("/settings/users", url.Values{"email": {"nadia@courtier.test"}, "name": {"Nadia Benali"}, "role": {"accountant"}, "locale": {"fr"}})
		if r.Status != http.StatusSeeOther {
			t.Errorf("invite: %d %.300s", r.Status, r.Body)
		}
		if m, ok := f.mail.Last(); !ok || m.To[0].Address != "nadia@courtier.test" || !strings.Contains(m.Text, "/password/reset?token=") {
			t.Errorf("invitation mail: %+v", m)
		}
		want(t, "duplicate user", admin.Post("/settings/users", url.Values{"email": {"nadia@courtier.test"}, "name": {"N"}, "role": {"accountant"}}), 422, "déjà cette adresse")

		cons := webtest.New(t, f.app)
		cons.Login("julien@courtier.test", pw)
		want(t, "consultant settings", cons.Get("/settings"), 200)
		want(t, "consultant users", cons.Get("/settings/users"), 403)
		want(t, "consultant audit", cons.Get("/settings/audit"), 403)
		want(t, "unknown page", cons.Get("/no/such/page"), 404)

		en := webtest.New(t, f.app)
		want(t, "english by Accept-Language", en.Get("/login", "Accept-Language: en-GB,en;q=0.9"), 200, "Log in", `lang="en"`)
		en.Post("/lang", url.Values{"lang": {"fr"}, "back": {"/login"}})
		want(t, "french by choice", en.Get("/login", "Accept-Language: en-GB"), 200, "Connexion")
	})
}

func TestAPITokenAuth(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := setup(t, d)
		adminToken, _, _ := f.auth.CreateToken(ctx, f.admin.ID, "test")
		consToken, _, _ := f.auth.CreateToken(ctx, f.cons.ID, "test")
		revoked, tok, _ := f.auth.CreateToken(ctx, f.admin.ID, "old")
		f.auth.RevokeToken(ctx, f.admin.ID, tok.ID)

		call := func(method, path, token string) (int, map[string]any) {
			req := httptest.NewRequest(method, path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			res, err := f.app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			json.NewDecoder(res.Body).Decode(&body)
			return res.StatusCode, body
		}
		for name, token := range map[string]string{"missing": "", "wrong": "ctr_nope", "revoked": revoked} {
			status, body := call("GET", "/api/v1/me", token)
			e, _ := body["error"].(map[string]any)
			if status != 401 || e["code"] != "unauthorized" || e["status"] != float64(401) {
				t.Errorf("%s token: %d %v", name, status, body)
			}
		}
		if status, body := call("GET", "/api/v1/me", adminToken); status != 200 || body["email"] != "claire@courtier.test" {
			t.Errorf("me: %d %v", status, body)
		}
		if status, _ := call("GET", "/api/v1/audit-events", adminToken); status != 200 {
			t.Errorf("audit events as admin: %d", status)
		}
		if status, body := call("GET", "/api/v1/staff-users", consToken); status != 403 || body["error"] == nil {
			t.Errorf("staff users as consultant: %d %v", status, body)
		}
		if status, body := call("GET", "/api/v1/nothing-here", adminToken); status != 404 || body["error"] == nil {
			t.Errorf("unknown endpoint: %d %v", status, body)
		}
		// A session cookie is no API credential.
		c := webtest.New(t, f.app)
		c.Login("claire@courtier.test", pw)
		if r := c.Get("/api/v1/me"); r.Status != 401 {
			t.Errorf("API with a session cookie: %d, want 401", r.Status)
		}
		req := httptest.NewRequest("POST", "/api/v1/staff-users", strings.NewReader(`{"email":"bad","name":"","role":"pirate"}`))
		req.Header.Set("Authorization", "Bearer "+adminToken)
		req.Header.Set("Content-Type", "application/json")
		res, _ := f.app.Test(req, -1)
		var body struct {
			Error struct{ Fields map[string]string }
		}
		json.NewDecoder(res.Body).Decode(&body)
		if res.StatusCode != 422 || body.Error.Fields["email"] == "" || body.Error.Fields["role"] == "" {
			t.Errorf("invalid staff user: %d %+v", res.StatusCode, body)
		}
	})
}
