package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/extranet"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/config"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/fakefr"
	"github.com/courtier-crm/courtier/internal/webtest"
	"github.com/gofiber/fiber/v2"
)

// The benchmark company: one client of 5,000 employees in 20 departments
// with 20,000 requests (SeedRequests: 4% still open, at every stage, the
// others done or cancelled over six years, with their consultations,
// proposals and sessions) and 300 individual requests.
const (
	benchEmployees   = 5000
	benchDepartments = 20
	benchRequests    = 20000
	benchWishes      = 300
	benchPassword    = "bench-password-2026"
)

// benchRoles are the extranet users the benchmarks sign in as.
var benchRoles = []string{auth.RoleHRAdmin, auth.RoleManager, auth.RoleEmployee}

// benchCompany is the seeded company: its app and its users' e-mails by role.
type benchCompany struct {
	app    *fiber.App
	emails map[string]string
}

// BenchmarkExtranetDashboard measures, on each dialect, p50 and p95 of the
// extranet dashboard (GET /, whole app: session, viewer, queries and
// template) over 200 loads (COURTIER_BENCH_LOADS) for each of an HR administrator (whole company),
// a manager (one department of 250 employees) and an employee (themselves),
// of a company of 5,000 employees and 20,000 requests. Setup takes a minute
// or two per dialect.
// Run: go test -run '^$' -bench ExtranetDashboard -benchtime 1x -timeout 30m ./cmd/courtier/
func BenchmarkExtranetDashboard(b *testing.B) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			loads := 200
			if n, err := strconv.Atoi(os.Getenv("COURTIER_BENCH_LOADS")); err == nil && n > 0 {
				loads = n
			}
			co := seedBenchCompany(b, dialect)
			b.ResetTimer()
			for range b.N {
				for _, role := range benchRoles {
					browser := webtest.New(b, co.app)
					if r := browser.Login(co.emails[role], benchPassword); r.Status != http.StatusSeeOther {
						b.Fatalf("login %s: %d", role, r.Status)
					}
					var took []time.Duration
					for i := range loads + 5 {
						t0 := time.Now()
						if r := browser.Get("/"); r.Status != http.StatusOK {
							b.Fatalf("%s: GET /: %d", role, r.Status)
						}
						if i >= 5 { // the first loads warm the caches
							took = append(took, time.Since(t0))
						}
					}
					b.ReportMetric(ms(pct(took, 50)), role+"-p50-ms")
					b.ReportMetric(ms(pct(took, 95)), role+"-p95-ms")
				}
			}
		})
	}
}

// BenchmarkExtranetLoad is the load test (a benchmark, so that test runs
// leave it out): on each dialect, 64 sessions (hr_admin, manager and employee in turn, each
// its own login) load the dashboard of the benchmark company in a loop for
// COURTIER_LOAD_SECONDS (default 15) over a real 127.0.0.1 listener, then
// the same 64 connections hammer a bare Fiber handler for as long in the
// same run; it prints requests/s, p50, p95 and p99 of both. The load
// generator runs in the test process, beside the server.
// Run: scripts/load-extranet.sh, or
// go test -run '^$' -bench ExtranetLoad -benchtime 1x -v -timeout 30m ./cmd/courtier/
func BenchmarkExtranetLoad(b *testing.B) {
	seconds := 15
	if n, err := strconv.Atoi(os.Getenv("COURTIER_LOAD_SECONDS")); err == nil && n > 0 {
		seconds = n
	}
	const sessions = 64
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(t *testing.B) {
			co := seedBenchCompany(t, dialect)
			cookies := make([]string, sessions)
			roles := make([]string, sessions)
			for i := range sessions {
				roles[i] = benchRoles[i%len(benchRoles)]
				browser := webtest.New(t, co.app)
				if r := browser.Login(co.emails[roles[i]], benchPassword); r.Status != http.StatusSeeOther {
					t.Fatalf("login %s: %d", roles[i], r.Status)
				}
				var parts []string
				for k, v := range browser.Cookies {
					parts = append(parts, k+"="+v)
				}
				cookies[i] = strings.Join(parts, "; ")
			}
			bare := fiber.New(fiber.Config{DisableStartupMessage: true})
			bare.Get("/", func(c *fiber.Ctx) error { return c.SendString("ok") })
			for _, target := range []struct {
				name string
				app  *fiber.App
			}{{"extranet dashboard", co.app}, {"bare fiber handler", bare}} {
				res := loadRun(t, target.app, cookies, roles, time.Duration(seconds)*time.Second)
				t.Logf("%s %-18s %d sessions, %ds: %7.0f req/s  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (%d requests, %d errors)",
					dialect, target.name, sessions, seconds, res.rate, ms(pct(res.all, 50)), ms(pct(res.all, 95)), ms(pct(res.all, 99)),
					len(res.all), res.errors)
				if target.app == co.app {
					for _, role := range benchRoles {
						d := res.byRole[role]
						if len(d) == 0 {
							t.Logf("%s %-18s   %-9s no request started in the window ended", dialect, "", role)
							continue
						}
						t.Logf("%s %-18s   %-9s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (%d requests)", dialect, "", role,
							ms(pct(d, 50)), ms(pct(d, 95)), ms(pct(d, 99)), len(d))
					}
				}
				if res.errors > 0 {
					t.Errorf("%s: %d requests failed, first: %v", target.name, res.errors, res.first)
				}
			}
		})
	}
}

// loadResult is what a load run measured.
type loadResult struct {
	rate   float64
	all    []time.Duration
	byRole map[string][]time.Duration
	errors int
	first  error
}

// loadRun serves app on a 127.0.0.1 listener and has one goroutine per
// cookie GET / in a loop for d (after a second of warm-up), each over its
// own kept-alive connection.
func loadRun(t testing.TB, app *fiber.App, cookies, roles []string, d time.Duration) loadResult {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln) //nolint:errcheck // ends with Shutdown below
	defer app.Shutdown()
	url := "http://" + ln.Addr().String() + "/"
	tr := &http.Transport{MaxIdleConns: len(cookies), MaxIdleConnsPerHost: len(cookies), MaxConnsPerHost: len(cookies)}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(cookie string) error {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Cookie", cookie)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if _, err := io.Copy(io.Discard, res.Body); err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("GET /: %d", res.StatusCode)
		}
		return nil
	}
	start := time.Now().Add(time.Second) // after a second of warm-up
	stop := start.Add(d)
	var mu sync.Mutex
	res := loadResult{byRole: map[string][]time.Duration{}}
	var wg sync.WaitGroup
	for i, cookie := range cookies {
		wg.Go(func() {
			var took []time.Duration
			var errors int
			var first error
			for {
				t0 := time.Now()
				if !t0.Before(stop) {
					break
				}
				err := get(cookie)
				if t0.Before(start) {
					continue
				}
				took = append(took, time.Since(t0))
				if err != nil {
					if first == nil {
						first = err
					}
					errors++
				}
			}
			mu.Lock()
			defer mu.Unlock()
			res.all = append(res.all, took...)
			res.byRole[roles[i]] = append(res.byRole[roles[i]], took...)
			res.errors += errors
			if res.first == nil {
				res.first = first
			}
		})
	}
	wg.Wait()
	// Requests started within the window, over the time until the last ended.
	res.rate = float64(len(res.all)) / max(time.Since(start), d).Seconds()
	if len(res.all) == 0 {
		t.Fatal("no request completed")
	}
	return res
}

// seedBenchCompany seeds the benchmark company into a fresh database of
// the dialect (skipped for PostgreSQL without COURTIER_TEST_POSTGRES_URL)
// and returns its extranet app.
func seedBenchCompany(tb testing.TB, dialect db.Dialect) benchCompany {
	ctx := context.Background()
	d := dbtest.Open(tb, dialect)
	e, s := benchServicesTB(tb, d)
	start := time.Now()
	staff := auth.New(d, auth.Staff, auth.Options{})
	ext := auth.New(d, auth.Extranet, auth.Options{})
	consultant, err := staff.CreateUser(ctx, auth.NewUser{Email: "conseil@bench.test", Name: "Julien Lefèvre",
		Role: auth.RoleConsultant, Locale: "fr"})
	if err != nil {
		tb.Fatal(err)
	}
	if err := seedProviderCount(ctx, s, 100, 7, io.Discard); err != nil {
		tb.Fatal(err)
	}
	g := fakefr.New(77)
	cop := g.UniqueCompanies(1)[0]
	c, err := s.clients.Create(ctx, crm.ClientInput{LegalName: cop.Name, SIREN: cop.SIREN, Status: crm.ClientActive,
		AccountManagerID: &consultant.ID})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := seedCompany(ctx, s, g, c, cop, 3, 0); err != nil {
		tb.Fatal(err)
	}
	// 20 departments of unequal size (the largest about 3 times the smallest).
	var depts []string
	for len(depts) < benchDepartments {
		if n := g.Department(); !slices.Contains(depts, n) {
			depts = append(depts, n)
		}
	}
	domain := testDomain(cop.Domain)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range benchEmployees {
		p := g.Person()
		hired := time.Date(2000+i%25, time.Month(1+i%12), 1+i%27, 0, 0, 0, 0, time.UTC)
		dept := depts[min(rng.IntN(benchDepartments)+rng.IntN(benchDepartments/2), benchDepartments-1)]
		if _, _, err := s.employees.Upsert(ctx, c.ID, crm.EmployeeInput{ExternalID: fmt.Sprintf("M%05d", i+1),
			FirstName: p.FirstName, LastName: p.LastName, Email: fmt.Sprintf("m%05d.%s", i+1, fakefr.Email(p, domain)),
			JobTitle: g.JobTitleFor(p.Gender), DepartmentName: dept, HireDate: &hired, Establishment: cop.SIRET}); err != nil {
			tb.Fatal(err)
		}
	}
	seeded := time.Now()
	topics := fakefr.TrainingTopics()
	if err := crm.SeedRequests(ctx, d, benchRequests, 2026, time.Now().UTC(),
		func(r *rand.Rand) string { return topics[r.IntN(len(topics))].Title }, nil); err != nil {
		tb.Fatal(err)
	}
	requestsDone := time.Now()

	// The users: the manager answers for the department of the employee
	// named in the most open requests, who is the employee user.
	emails := map[string]string{}
	ids := map[string]int64{}
	for _, role := range benchRoles {
		p := g.Person()
		u, err := ext.CreateUser(ctx, auth.NewUser{ClientID: c.ID, Email: role + "@" + domain, Name: p.FirstName + " " + p.LastName,
			Role: role, Locale: "fr", Password: benchPassword})
		if err != nil {
			tb.Fatal(err)
		}
		emails[role], ids[role] = u.Email, u.ID
	}
	var busy struct {
		Employee   int64 `db:"employee_id"`
		Department int64 `db:"department_id"`
	}
	if err := d.Get(ctx, &busy, `SELECT re.employee_id, e.department_id FROM request_employees re
		JOIN requests r ON r.id = re.request_id JOIN employees e ON e.id = re.employee_id
		WHERE r.status = 'open' GROUP BY re.employee_id, e.department_id ORDER BY COUNT(*) DESC, re.employee_id LIMIT 1`); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.viewers.Assign(ctx, c.ID, ids[auth.RoleManager], crm.Assignment{DepartmentIDs: []int64{busy.Department}}); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.viewers.Assign(ctx, c.ID, ids[auth.RoleEmployee], crm.Assignment{EmployeeID: &busy.Employee}); err != nil {
		tb.Fatal(err)
	}
	// Individual requests submitted by HR for employees across the company,
	// a third of them in the manager's department, most awaiting a decision.
	hr, err := s.viewers.Load(ctx, ids[auth.RoleHRAdmin])
	if err != nil {
		tb.Fatal(err)
	}
	var all, theirs []int64
	if err := d.Select(ctx, &all, "SELECT id FROM employees WHERE client_id = ? ORDER BY id", c.ID); err != nil {
		tb.Fatal(err)
	}
	if err := d.Select(ctx, &theirs, "SELECT id FROM employees WHERE department_id = ? ORDER BY id", busy.Department); err != nil {
		tb.Fatal(err)
	}
	for i := range benchWishes {
		emp := all[rng.IntN(len(all))]
		if i%3 == 0 {
			emp = theirs[rng.IntN(len(theirs))]
		}
		cost := int64(50000 + rng.IntN(300000))
		w, err := s.wishes.Submit(ctx, hr, crm.WishInput{EmployeeID: emp, Topic: topics[rng.IntN(len(topics))].Title,
			Justification: "Entretien professionnel", EstimatedCostCents: &cost})
		if err != nil {
			tb.Fatal(err)
		}
		if i%5 == 0 {
			if _, err := s.wishes.HRArbitrate(ctx, hr, w.ID, false, "Reporté à l'an prochain"); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := d.Optimize(ctx); err != nil {
		tb.Fatal(err)
	}
	var stats struct {
		Open      int `db:"open"`
		Proposals int `db:"proposals"`
		Bookings  int `db:"bookings"`
	}
	if err := d.Get(ctx, &stats, `SELECT (SELECT COUNT(*) FROM requests WHERE status = 'open') AS open,
		(SELECT COUNT(*) FROM proposals) AS proposals, (SELECT COUNT(*) FROM bookings) AS bookings`); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("%s: seeded %d employees in %v, %d requests (%d with status open, %d proposals, %d sessions) in %v, users and %d wishes in %v",
		dialect, benchEmployees, seeded.Sub(start).Round(time.Second), benchRequests, stats.Open, stats.Proposals, stats.Bookings,
		requestsDone.Sub(seeded).Round(time.Second), benchWishes, time.Since(requestsDone).Round(time.Second))
	app, err := extranet.New(e.extranetDeps(s, ext))
	if err != nil {
		tb.Fatal(err)
	}
	return benchCompany{app: app, emails: emails}
}

// benchServicesTB is benchServices for a test or a benchmark.
func benchServicesTB(tb testing.TB, d *db.DB) (*env, *services) {
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "COURTIER_DATA_DIR":
			return tb.TempDir()
		case "COURTIER_SECRET_KEY":
			return strings.Repeat("ab", 32)
		}
		return ""
	})
	if err != nil {
		tb.Fatal(err)
	}
	e := &env{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	s, err := e.buildServices(d)
	if err != nil {
		tb.Fatal(err)
	}
	return e, s
}
