package browsertest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/extranet"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/mailer"
)

const pw = "correct horse battery"

// chromiumPath finds the browser: $COURTIER_CHROMIUM, Debian's binary (the
// /usr/bin/chromium wrapper prints shell noise, so the real one first),
// then the usual names on $PATH. Without one the test skips, or fails in
// CI (CI=true), where the test script installs Debian's chromium.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("COURTIER_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/lib/chromium/chromium"); err == nil {
		return "/usr/lib/chromium/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "Chromium not found: install it (apt-get install -y --no-install-recommends chromium) or set COURTIER_CHROMIUM"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg + " (skipped outside CI)")
	return ""
}

// newBrowser starts a headless Chromium for the test and returns the
// context of its tab. As root, Chromium needs --no-sandbox. The whole test
// gets at most a minute.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("lang", "fr-FR"),
		chromedp.WindowSize(1200, 800),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 60*time.Second)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// fixture is one client company as its broker follows it: Transports
// Morel, departments Ventes and Atelier, an HR admin (Hélène), the Ventes
// manager Paul, the Atelier manager Marc and Léa, an employee of Ventes;
// the staff member Claire follows the company. The extranet is served on a
// real loopback port.
type fixture struct {
	d        *db.DB
	base     string // http://127.0.0.1:port
	staff    context.Context
	morel    crm.Client
	lea, tom crm.Employee
	dept     map[string]int64
	provider crm.Provider

	requests      *crm.Requests
	consultations *crm.Consultations
	proposals     *crm.Proposals
	wishes        *crm.Wishes
	budgets       *crm.Budgets
	viewers       *crm.Viewers
	users         map[string]int64 // extranet users by first name, lower case
}

// newFixture builds the company on SQLite only: the browser exercises the
// web layer (templates, forms, cookies, CSRF, redirects); the storage
// behind it is covered on both dialects by the crm and extranet suites.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	d := dbtest.Open(t, db.SQLite)
	f := &fixture{d: d, dept: map[string]int64{}, users: map[string]int64{}}
	staffAuth := auth.New(d, auth.Staff, auth.Options{})
	claire, err := staffAuth.CreateUser(ctx, auth.NewUser{Email: "claire@courtier.test", Name: "Claire Courtier", Role: auth.RoleConsultant, Password: pw})
	must(err)
	f.staff = audit.WithActor(ctx, audit.Actor{Kind: audit.ActorStaff, ID: claire.ID, Label: claire.Name})

	clients := crm.NewClients(d)
	f.morel, err = clients.Create(f.staff, crm.ClientInput{LegalName: "Transports Morel", AccountManagerID: &claire.ID})
	must(err)
	est, emps := crm.NewEstablishments(d), crm.NewEmployees(d)
	for _, name := range []string{"Ventes", "Atelier"} {
		dep, err := est.AddDepartment(ctx, f.morel.ID, name)
		must(err)
		f.dept[name] = dep.ID
	}
	emp := func(ext, first, dept string) crm.Employee {
		e, _, err := emps.Upsert(ctx, f.morel.ID, crm.EmployeeInput{ExternalID: ext, FirstName: first, LastName: "Martin", DepartmentName: dept})
		must(err)
		return e
	}
	f.lea, f.tom = emp("M1", "Léa", "Ventes"), emp("M2", "Tom", "Atelier")
	paul, marc := emp("M3", "Paul", "Ventes"), emp("M4", "Marc", "Atelier")

	ext := auth.New(d, auth.Extranet, auth.Options{})
	f.viewers = crm.NewViewers(d)
	for _, u := range []struct {
		name, full, role string
		a                crm.Assignment
	}{
		{"helene", "Hélène Rousseau", auth.RoleHRAdmin, crm.Assignment{}},
		{"paul", "Paul Martin", auth.RoleManager, crm.Assignment{DepartmentIDs: []int64{f.dept["Ventes"]}, EmployeeID: &paul.ID}},
		{"marc", "Marc Martin", auth.RoleManager, crm.Assignment{DepartmentIDs: []int64{f.dept["Atelier"]}, EmployeeID: &marc.ID}},
		{"lea", "Léa Martin", auth.RoleEmployee, crm.Assignment{EmployeeID: &f.lea.ID}},
	} {
		user, err := ext.CreateUser(ctx, auth.NewUser{ClientID: f.morel.ID, Email: u.name + "@morel.test", Name: u.full, Role: u.role,
			Locale: "fr", Password: pw})
		must(err)
		_, err = f.viewers.Assign(ctx, f.morel.ID, user.ID, u.a)
		must(err)
		f.users[u.name] = user.ID
	}

	rec := &mailer.Recorder{}
	blobs, err := documents.NewLocalBlobs(t.TempDir())
	must(err)
	mail := crm.NewMail(d, crm.MailConfig{Sender: rec, From: mailer.Address{Name: "Courtier", Address: "crm@courtier.test"}})
	f.consultations, err = crm.NewConsultations(d, crm.ConsultationConfig{Mail: mail, Blobs: blobs, Secret: bytes.Repeat([]byte{7}, 32),
		FormURL: "https://extranet.test/reponse/"})
	must(err)
	f.provider, err = crm.NewProviders(d).Create(ctx, crm.ProviderInput{Name: "Forma Plus", Email: "devis@formaplus.test"})
	must(err)
	f.requests, f.proposals, f.wishes, f.budgets = crm.NewRequests(d), crm.NewProposals(d, mail), crm.NewWishes(d, nil), crm.NewBudgets(d)

	// Listen first: the app's public URL is the listener's (cookies are not
	// Secure on plain http).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(err)
	f.base = "http://" + ln.Addr().String()
	app, err := extranet.New(extranet.Deps{Auth: ext, Clients: clients, Consultations: f.consultations, Mailer: rec, Ping: d.Ping,
		Secret: []byte("0123456789abcdef0123456789abcdef"), PublicURL: f.base, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Viewers: f.viewers, Requests: f.requests, Proposals: f.proposals, Bookings: crm.NewBookings(d), Wishes: f.wishes,
		Employees: emps, Establishments: est, Plans: crm.NewPlans(d), Budgets: f.budgets, CalendarFeeds: crm.NewCalendarFeeds(d)})
	must(err)
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return f
}

// do runs browser steps and fails the test on the first error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// text returns the visible text of the first element sel matches, with
// every kind of space (the French money format has narrow no-break ones)
// made a plain one.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return spaces(s)
}

func spaces(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
}

// waitPath waits until the page's path matches re (after a click that
// submits a form) and returns the submatches.
func waitPath(t *testing.T, ctx context.Context, re string) []string {
	t.Helper()
	rx := regexp.MustCompile("^" + re + "$")
	var loc string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		p, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.readyState === "complete" ? location.pathname : ""`))
		if err != nil {
			continue // the document is being replaced
		}
		loc = p
		if m := rx.FindStringSubmatch(p); m != nil {
			return m
		}
	}
	t.Fatalf("path %q never matched %s", loc, re)
	return nil
}

// login types the user's e-mail and password into /login, clicks the
// button and waits for the dashboard.
func login(t *testing.T, ctx context.Context, f *fixture, name string) {
	t.Helper()
	do(t, ctx, "login "+name,
		chromedp.Navigate(f.base+"/login"),
		chromedp.SendKeys(chromedp.ID("email"), name+"@morel.test"),
		chromedp.SendKeys(chromedp.ID("password"), pw),
		chromedp.Click(chromedp.ID("login")))
	waitPath(t, ctx, "/")
	do(t, ctx, "dashboard of "+name, chromedp.WaitVisible(chromedp.ID("logout")))
}

// logout clicks the logout button of the header.
func logout(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "logout", chromedp.Click(chromedp.ID("logout")))
	waitPath(t, ctx, "/login")
}

// screenshot saves a PNG of the whole page under name: into
// testdata/screenshots with COURTIER_SCREENSHOTS=1 (the committed ones, to
// look at), else into the test's temporary directory. It also fails on an
// untranslated key ("ex.something") shown on the page.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	body := text(t, ctx, "body")
	if m := untranslated.FindString(body); m != "" {
		t.Errorf("%s: untranslated key %q on the page", name, m)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := t.TempDir()
	if os.Getenv("COURTIER_SCREENSHOTS") == "1" {
		dir = filepath.Join("testdata", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d KB)", path, len(png)/1024)
}

// untranslated matches a message key shown as is: the prefixes of the
// extranet's keys followed by a dotted name.
var untranslated = regexp.MustCompile(`\b(?:ex|error|field|nav|wish|plan|budget|requests|bookings|login|app)\.[a-z_]+(?:\.[a-z_]+)*\b`)

func id(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("id %q: %v", s, err))
	}
	return n
}
