package importer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/fakefr"
)

func TestProvidersIntoCRM(t *testing.T) {
	sample, err := os.ReadFile("../../../shared/data/liste_publique_of.SAMPLE-FICTIF.csv")
	if err != nil {
		t.Fatalf("the shared sample of the DGEFP list: %v", err)
	}
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		providers := crm.NewProviders(d)
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		lines := strings.Count(strings.TrimSpace(string(sample)), "\n") // data rows
		rep, err := Providers(ctx, strings.NewReader(string(sample)), providers, at)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Inserted+rep.Rejected != lines || rep.Inserted == 0 {
			t.Fatalf("first import of %d rows: %s %+v", lines, rep.String(), rep.Errors)
		}
		again, err := Providers(ctx, strings.NewReader(string(sample)), providers, at)
		if err != nil || again.Unchanged != rep.Inserted || again.Inserted+again.Updated != 0 {
			t.Errorf("second import: %s %v", again.String(), err)
		}
		// A staff edit survives the next import and is reported.
		list, _, _ := providers.List(ctx, crm.ProviderFilter{Query: "11751459275"})
		if len(list) != 1 {
			t.Fatalf("by NDA: %+v", list)
		}
		in := list[0].ProviderInput
		in.Name = "Fictif Formation Conseil (renommé)"
		if _, err := providers.Update(ctx, list[0].ID, in); err != nil {
			t.Fatal(err)
		}
		changed := strings.Replace(string(sample), "FICTIF FORMATION CONSEIL;", "FICTIF FORMATION CONSEIL SARL;", 1)
		changed = strings.Replace(changed, ";412;0;6", ";450;0;7", 1)
		third, err := Providers(ctx, strings.NewReader(changed), providers, at)
		if err != nil || third.Updated != 1 || len(third.Conflicts) != 1 || !strings.Contains(third.Conflicts[0].Reason, "name") {
			t.Errorf("import over a staff edit: %s %+v %v", third.String(), third.Conflicts, err)
		}
		got, _ := providers.Get(ctx, list[0].ID)
		if got.Name != "Fictif Formation Conseil (renommé)" || got.Trainers == nil || *got.Trainers != 7 {
			t.Errorf("after import: %q trainers %v", got.Name, got.Trainers)
		}
		// Courses of the imported providers; an unknown provider is a rejected line.
		courses := "NDA;Référence;Intitulé;Modalité;Inter;Villes;Prix par stagiaire HT;NSF\n" +
			"11751459275;XL1;Excel : niveau avancé;présentiel;oui;75056;1 200,50;326\n" +
			"00000000000;XL2;Excel débutant;présentiel;oui;75056;900;326\n"
		crep, err := Courses(ctx, strings.NewReader(courses), crm.NewCourses(d))
		if err != nil || crep.Inserted != 1 || crep.Rejected != 1 || crep.Errors[0].Line != 3 {
			t.Errorf("courses: %s %+v %v", crep.String(), crep.Errors, err)
		}
	})
}

// BenchmarkImportProviders imports a generated public list of 150,000
// providers (the real list's size) into an empty database, then again
// (everything unchanged). Run: go test -run '^$' -bench ImportProviders -benchtime 1x ./crm/importer/
func BenchmarkImportProviders(b *testing.B) {
	n := 150_000
	if v, err := strconv.Atoi(os.Getenv("COURTIER_BENCH_PROVIDERS")); err == nil && v > 0 {
		n = v
	}
	path := filepath.Join(b.TempDir(), "liste_publique_of.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := fakefr.WriteDGEFP(f, fakefr.New(150).UniqueProviders(n)); err != nil {
		b.Fatal(err)
	}
	f.Close()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				d := dbtest.Open(b, dialect)
				providers := crm.NewProviders(d)
				b.StartTimer()
				for pass, want := range []string{"inserted", "unchanged"} {
					f, _ := os.Open(path)
					start := time.Now()
					rep, err := Providers(context.Background(), f, providers, time.Now())
					f.Close()
					if err != nil {
						b.Fatal(err)
					}
					took := time.Since(start)
					b.Logf("%s pass %d: %s in %v (%.0f rows/s)", dialect, pass+1, rep.String(), took.Round(10*time.Millisecond), float64(n)/took.Seconds())
					if (want == "inserted" && rep.Inserted != n) || (want == "unchanged" && rep.Unchanged != n) {
						b.Errorf("pass %d: %s", pass+1, rep.String())
					}
					b.ReportMetric(took.Seconds(), fmt.Sprintf("pass%d-s", pass+1))
				}
			}
		})
	}
}
