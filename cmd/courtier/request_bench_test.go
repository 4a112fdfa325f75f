package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/backoffice"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/config"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/webtest"
)

// BenchmarkRequestPages measures, on each dialect, the request pages once
// scale × 30,000 requests with their history are seeded
// (COURTIER_BENCH_SCALE, default 1; 20 is the 600,000 projects of a large
// platform): p50 and p95 of the back office's request page (whole handler
// and template, signed in) for 300 random requests and of its pipeline page
// (whole team and per consultant), and of the reads behind them: the
// request's data, the pipeline, "waiting on me" and the first page of the
// request list.
// Run: go test -run '^$' -bench RequestPages -benchtime 1x -timeout 120m ./cmd/courtier/
//
// Seeding scale 20 takes most of an hour: COURTIER_BENCH_DATABASE_URL names
// a database `courtier seed --scale N` already filled (sqlite:PATH or
// postgres://…), and only its dialect is measured. The benchmark adds one
// staff user to it.
func BenchmarkRequestPages(b *testing.B) {
	scale := 1
	if n, err := strconv.Atoi(os.Getenv("COURTIER_BENCH_SCALE")); err == nil && n > 0 {
		scale = n
	}
	seeded := os.Getenv("COURTIER_BENCH_DATABASE_URL")
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			ctx := context.Background()
			var d *db.DB
			if seeded != "" {
				var err error
				if d, err = db.Open(ctx, seeded); err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { d.Close() })
				if d.Dialect() != dialect {
					b.Skipf("COURTIER_BENCH_DATABASE_URL is a %s database", d.Dialect())
				}
			} else {
				d = dbtest.Open(b, dialect)
			}
			e, s := benchServices(b, d)
			if seeded == "" {
				start := time.Now()
				for _, step := range []func(context.Context, *services, int, io.Writer) error{seedScale, seedProviders, seedRequests} {
					if err := step(ctx, s, scale, io.Discard); err != nil {
						b.Fatal(err)
					}
				}
				b.Logf("%s: seeded %d clients, %d providers, %d requests in %v", dialect, scale*400, scale*providersPerUnit,
					scale*requestsPerUnit, time.Since(start).Round(time.Second))
			}
			if err := d.Optimize(ctx); err != nil { // as the seed command and serve do
				b.Fatal(err)
			}
			var ids, owners []int64
			if err := d.Select(ctx, &ids, "SELECT id FROM requests ORDER BY id"); err != nil {
				b.Fatal(err)
			}
			if err := d.Select(ctx, &owners, "SELECT DISTINCT owner_id FROM requests ORDER BY owner_id"); err != nil {
				b.Fatal(err)
			}
			staff := auth.New(d, auth.Staff, auth.Options{})
			benchEmail := fmt.Sprintf("bench-%d@courtier.test", time.Now().UnixNano())
			if _, err := staff.CreateUser(ctx, auth.NewUser{Email: benchEmail, Name: "Banc d'essai",
				Role: auth.RoleConsultant, Password: "bench-password-2026", Locale: "fr"}); err != nil {
				b.Fatal(err)
			}
			app, err := backoffice.New(e.backofficeDeps(s, staff))
			if err != nil {
				b.Fatal(err)
			}
			browser := webtest.New(b, app)
			if r := browser.Login(benchEmail, "bench-password-2026"); r.Status != http.StatusSeeOther {
				b.Fatalf("login: %d", r.Status)
			}
			get := func(path string) time.Duration {
				t0 := time.Now()
				if r := browser.Get(path); r.Status != http.StatusOK {
					b.Fatalf("%s: %d", path, r.Status)
				}
				return time.Since(t0)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			now := time.Now()
			b.ResetTimer()
			for range b.N {
				var page, pipeline, mine, waiting, list, htmlPage, htmlPipeline, htmlMine []time.Duration
				for range 300 {
					id := ids[rng.IntN(len(ids))]
					t0 := time.Now()
					requestPage(b, s, id)
					page = append(page, time.Since(t0))
					htmlPage = append(htmlPage, get(fmt.Sprintf("/requests/%d", id)))
				}
				for i := range 30 {
					owner := owners[rng.IntN(len(owners))]
					t0 := time.Now()
					if _, err := s.requests.Pipeline(ctx, crm.PipelineFilter{OwnerID: owner}, now); err != nil {
						b.Fatal(err)
					}
					mine = append(mine, time.Since(t0))
					htmlMine = append(htmlMine, get(fmt.Sprintf("/requests/pipeline?owner=%d", owner)))
					t0 = time.Now()
					if _, err := s.requests.WaitingOn(ctx, owner, now); err != nil {
						b.Fatal(err)
					}
					waiting = append(waiting, time.Since(t0))
					if i < 10 {
						t0 = time.Now()
						if _, err := s.requests.Pipeline(ctx, crm.PipelineFilter{}, now); err != nil {
							b.Fatal(err)
						}
						pipeline = append(pipeline, time.Since(t0))
						htmlPipeline = append(htmlPipeline, get("/requests/pipeline"))
						t0 = time.Now()
						if _, _, err := s.requests.List(ctx, crm.RequestFilter{}); err != nil {
							b.Fatal(err)
						}
						list = append(list, time.Since(t0))
					}
				}
				for _, m := range []struct {
					name string
					d    []time.Duration
				}{{"http-page", htmlPage}, {"http-pipeline-all", htmlPipeline}, {"http-pipeline-mine", htmlMine},
					{"page", page}, {"pipeline-all", pipeline}, {"pipeline-mine", mine}, {"waiting", waiting}, {"list", list}} {
					b.ReportMetric(ms(pct(m.d, 50)), m.name+"-p50-ms")
					b.ReportMetric(ms(pct(m.d, 95)), m.name+"-p95-ms")
				}
			}
		})
	}
}

// benchServices builds every service over d, as serve does, with a
// throwaway secret and blob folder and a mail sender that only logs.
func benchServices(b *testing.B, d *db.DB) (*env, *services) {
	cfg, err := config.Load(func(k string) string {
		switch k {
		case "COURTIER_DATA_DIR":
			return b.TempDir()
		case "COURTIER_SECRET_KEY":
			return strings.Repeat("ab", 32)
		}
		return ""
	})
	if err != nil {
		b.Fatal(err)
	}
	e := &env{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	s, err := e.buildServices(d)
	if err != nil {
		b.Fatal(err)
	}
	return e, s
}

// requestPage reads what the back office's request page shows.
func requestPage(b *testing.B, s *services, id int64) {
	ctx := context.Background()
	if _, err := s.requests.Get(ctx, id); err != nil {
		b.Fatal(err)
	}
	if _, err := s.requests.History(ctx, id); err != nil {
		b.Fatal(err)
	}
	if _, err := s.consultations.List(ctx, id); err != nil {
		b.Fatal(err)
	}
	if _, err := s.consultations.Compare(ctx, id); err != nil {
		b.Fatal(err)
	}
	if _, err := s.proposals.List(ctx, id); err != nil {
		b.Fatal(err)
	}
	if _, _, err := s.bookings.List(ctx, crm.BookingFilter{RequestID: id}); err != nil {
		b.Fatal(err)
	}
	if _, _, err := s.timeline.List(ctx, crm.TimelineFilter{Record: &crm.Ref{Type: crm.RecordRequest, ID: id}, Limit: 50}); err != nil {
		b.Fatal(err)
	}
}
