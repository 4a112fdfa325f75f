package main

import (
	"context"
	"io"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// searchMix is a realistic mix of needs: free text alone, and with the
// filters brokers use most (place and radius, Qualiopi, price, CPF, intra).
var searchMix = []crm.SearchQuery{
	{Text: "excel avancé"},
	{Text: "comptabilité", Near: "69123", RadiusKm: 50},
	{Text: "management d'équipe", Qualiopi: "actions"},
	{Text: "sauveteur secouriste", Intra: true, Near: "33063", RadiusKm: 80},
	{Text: "habilitation électrique"},
	{Text: "anglais professionnel", CPF: true},
	{Text: "paie", MaxPrice: 150000},
	{Text: "cybersécurité", Modality: "remote"},
	{Text: "soudure", Near: "59350", RadiusKm: 100},
	{Text: "caces", Region: "84"},
	{NSF: "31", Near: "75056", RadiusKm: 20, Qualiopi: "actions"},
	{Text: "gestion de projet agile", Inter: true},
}

// BenchmarkSearch measures the matching search on scale × 8,000 providers
// and 80,000 courses (COURTIER_BENCH_SCALE, default 1) on each dialect:
// p50 and p95 over the query mix, and the bare full-text count of the same
// words as the floor. Run: go test -run '^$' -bench Search -benchtime 1x ./cmd/courtier/
func BenchmarkSearch(b *testing.B) {
	scale := 1
	if n, err := strconv.Atoi(os.Getenv("COURTIER_BENCH_SCALE")); err == nil && n > 0 {
		scale = n
	}
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.Open(b, dialect)
			s := &services{db: d, providers: crm.NewProviders(d), courses: crm.NewCourses(d)}
			start := time.Now()
			if err := seedProviders(ctx, s, scale, io.Discard); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded %d providers and %d courses in %v", dialect, scale*providersPerUnit,
				scale*providersPerUnit*coursesPerProvider, time.Since(start).Round(time.Second))
			if dialect == db.Postgres {
				if _, err := d.Exec(ctx, "ANALYZE"); err != nil {
					b.Fatal(err)
				}
			}
			searcher := crm.NewSearcher(d)
			b.ResetTimer()
			for range b.N {
				var full, floor []time.Duration
				for round := 0; round < 3; round++ {
					for _, q := range searchMix {
						t0 := time.Now()
						res, total, err := searcher.Search(ctx, q)
						if err != nil {
							b.Fatal(err)
						}
						full = append(full, time.Since(t0))
						if round == 0 {
							b.Logf("%-28q %-40v %5d providers, first %q", q.Text, filters(q), total, first(res))
						}
						if terms := textsearch.Query(q.Text); len(terms) > 0 {
							cond, arg := d.Dialect().TextMatch("c.id", "courses_fts", "c.search_text", terms)
							var n int
							t0 = time.Now()
							if err := d.Get(ctx, &n, "SELECT COUNT(*) FROM courses c WHERE "+cond, arg); err != nil {
								b.Fatal(err)
							}
							floor = append(floor, time.Since(t0))
						}
					}
				}
				b.ReportMetric(ms(pct(full, 50)), "p50-ms")
				b.ReportMetric(ms(pct(full, 95)), "p95-ms")
				b.ReportMetric(ms(pct(floor, 50)), "fts-p50-ms")
				b.ReportMetric(ms(pct(floor, 95)), "fts-p95-ms")
			}
		})
	}
}

func pct(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func first(res []crm.SearchResult) string {
	if len(res) == 0 {
		return ""
	}
	return res[0].Provider.Name
}

func filters(q crm.SearchQuery) string {
	q.Text = ""
	out := ""
	for k, v := range map[string]string{"near": q.Near, "nsf": q.NSF, "region": q.Region, "qualiopi": q.Qualiopi, "modality": q.Modality} {
		if v != "" {
			out += k + "=" + v + " "
		}
	}
	if q.CPF {
		out += "cpf "
	}
	if q.Intra {
		out += "intra "
	}
	if q.MaxPrice > 0 {
		out += "max-price "
	}
	return out
}
