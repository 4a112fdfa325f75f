package migrations_test

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/migrations"
)

func TestUpTwice(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			ctx := context.Background()
			d := open(t, dbtest.EmptyURL(t, dialect))
			all, err := migrations.Load(string(dialect))
			if err != nil {
				t.Fatal(err)
			}
			ran, err := migrations.Up(ctx, d.Writer(), string(dialect))
			if err != nil {
				t.Fatalf("first up: %v", err)
			}
			if len(ran) != len(all) {
				t.Errorf("first up applied %d, want %d", len(ran), len(all))
			}
			ran, err = migrations.Up(ctx, d.Writer(), string(dialect))
			if err != nil {
				t.Fatalf("second up: %v", err)
			}
			if len(ran) != 0 {
				t.Errorf("second up applied %d, want 0", len(ran))
			}
			states, err := migrations.Status(ctx, d.Writer(), string(dialect))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range states {
				if s.AppliedAt == nil {
					t.Errorf("%s not applied after up", s.Name)
				}
			}
		})
	}
}

// Two processes starting at once: each has its own pools on the same database.
func TestUpConcurrent(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			url := dbtest.EmptyURL(t, dialect)
			var wg sync.WaitGroup
			applied := make([]int, 4)
			errs := make([]error, 4)
			for i := range 4 {
				d := open(t, url)
				wg.Add(1)
				go func() {
					defer wg.Done()
					ran, err := migrations.Up(context.Background(), d.Writer(), string(dialect))
					applied[i], errs[i] = len(ran), err
				}()
			}
			wg.Wait()
			total := 0
			for i, err := range errs {
				if err != nil {
					t.Errorf("runner %d: %v", i, err)
				}
				total += applied[i]
			}
			all, _ := migrations.Load(string(dialect))
			if total != len(all) {
				t.Errorf("migrations applied %d times in all, want %d (each once)", total, len(all))
			}
		})
	}
}

func TestEditedMigrationRefused(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t, db.SQLite)
	if _, err := d.Exec(ctx, "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1"); err != nil {
		t.Fatal(err)
	}
	_, err := migrations.Up(ctx, d.Writer(), "sqlite")
	if err == nil || !strings.Contains(err.Error(), "changed after it was applied") {
		t.Errorf("got %v, want a refusal naming the edited migration", err)
	}
}

// The two dialects' schemas must hold the same tables and columns.
func TestSchemasMatch(t *testing.T) {
	ctx := context.Background()
	cols := map[db.Dialect]map[string][]string{}
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		d := dbtest.Open(t, dialect)
		q := `SELECT m.name AS tbl, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '%_fts%'
			ORDER BY m.name, p.name` // FTS5 tables are SQLite's side of a full-text index (a GIN index on PostgreSQL)
		if dialect == db.Postgres {
			q = `SELECT table_name AS tbl, column_name AS col FROM information_schema.columns
				WHERE table_schema = 'public' ORDER BY table_name, column_name`
		}
		var rows []struct{ Tbl, Col string }
		if err := d.Select(ctx, &rows, q); err != nil {
			t.Fatalf("%s: %v", dialect, err)
		}
		m := map[string][]string{}
		for _, r := range rows {
			m[r.Tbl] = append(m[r.Tbl], r.Col)
		}
		cols[dialect] = m
	}
	if !reflect.DeepEqual(cols[db.SQLite], cols[db.Postgres]) {
		for tbl, c := range cols[db.SQLite] {
			if !reflect.DeepEqual(c, cols[db.Postgres][tbl]) {
				t.Errorf("table %s: sqlite %v, postgres %v", tbl, c, cols[db.Postgres][tbl])
			}
		}
		for tbl := range cols[db.Postgres] {
			if _, ok := cols[db.SQLite][tbl]; !ok {
				t.Errorf("table %s only on postgres", tbl)
			}
		}
	}
}

func open(t *testing.T, url string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
