package db_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

func TestErrorMapping(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		var id int64
		err := d.Get(ctx, &id, "SELECT id FROM clients WHERE id = ?", 999)
		if !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("missing row: got %v, want ErrNotFound", err)
		}
		ins := "INSERT INTO staff_users (email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
		if _, err := d.Exec(ctx, ins, "a@b.fr", "A", "admin", now, now); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, ins, "a@b.fr", "A", "admin", now, now); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("duplicate email: got %v, want ErrConflict", err)
		}
		if _, err := d.Exec(ctx, ins, "c@b.fr", "C", "pirate", now, now); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("bad role: got %v, want ErrInvalid (check constraint)", err)
		}
		_, err = d.Exec(ctx, "INSERT INTO extranet_users (client_id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			12345, "x@y.fr", "X", "employee", now, now)
		if !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("dangling foreign key: got %v, want ErrInvalid", err)
		}
	})
}

func TestTimesRoundTripInUTC(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 29, 1, 30, 15, 123456000, time.UTC)
		id, err := db.InsertID(ctx, d, "INSERT INTO clients (legal_name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id", "Société Générale d'Essais", at, at)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Name string    `db:"legal_name"`
			At   time.Time `db:"created_at"`
		}
		if err := d.Get(ctx, &got, "SELECT legal_name, created_at FROM clients WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
		if !got.At.Equal(at) || got.Name != "Société Générale d'Essais" {
			t.Errorf("got %v %q, want %v", got.At, got.Name, at)
		}
		var n int
		if err := d.Get(ctx, &n, "SELECT COUNT(*) FROM clients WHERE created_at > ? AND created_at < ?", at.Add(-time.Millisecond), at.Add(time.Millisecond)); err != nil || n != 1 {
			t.Errorf("range query on times: got %d (%v), want 1", n, err)
		}
	})
}

func TestWithTxRollsBack(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		boom := errors.New("boom")
		err := d.WithTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, "INSERT INTO clients (legal_name, created_at, updated_at) VALUES (?, ?, ?)", "Rolled back", now, now); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("got %v, want boom", err)
		}
		var n int
		d.Get(ctx, &n, "SELECT COUNT(*) FROM clients")
		if n != 0 {
			t.Errorf("rows after rollback: got %d, want 0", n)
		}
		func() {
			defer func() { recover() }()
			d.WithTx(ctx, func(tx *db.Tx) error {
				tx.Exec(ctx, "INSERT INTO clients (legal_name, created_at, updated_at) VALUES (?, ?, ?)", "Panicked", now, now)
				panic("boom")
			})
		}()
		d.Get(ctx, &n, "SELECT COUNT(*) FROM clients")
		if n != 0 {
			t.Errorf("rows after panic: got %d, want 0", n)
		}
	})
}

// Concurrent write transactions must all succeed (SQLite: queued on the single writer).
func TestConcurrentWrites(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errc := make(chan error, 40)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errc <- d.WithTx(ctx, func(tx *db.Tx) error {
					var n int
					if err := tx.Get(ctx, &n, "SELECT COUNT(*) FROM clients"); err != nil {
						return err
					}
					now := time.Now().UTC()
					_, err := tx.Exec(ctx, "INSERT INTO clients (legal_name, created_at, updated_at) VALUES (?, ?, ?)", fmt.Sprintf("Client %d", i), now, now)
					return err
				})
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Error(err)
			}
		}
		var n int
		d.Get(ctx, &n, "SELECT COUNT(*) FROM clients")
		if n != 40 {
			t.Errorf("got %d rows, want 40", n)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, "INSERT INTO audit_events (at, actor_kind, action) VALUES (?, ?, ?)", time.Now().UTC(), "system", "test"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(ctx, "UPDATE audit_events SET action = 'forged'"); err == nil {
			t.Error("update of audit_events succeeded, want refusal")
		}
		if _, err := d.Exec(ctx, "DELETE FROM audit_events"); err == nil {
			t.Error("delete from audit_events succeeded, want refusal")
		}
	})
}

func TestOpenRejectsUnknownScheme(t *testing.T) {
	if _, err := db.Open(context.Background(), "mysql://u:secret@h/db"); err == nil {
		t.Error("mysql URL accepted")
	} else if got := err.Error(); strings.Contains(got, "secret") {
		t.Errorf("error leaks the password: %s", got)
	}
}

// Optimize leaves the planner statistics SQLite lacks by default.
func TestOptimize(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, "INSERT INTO clients (legal_name, created_at, updated_at) VALUES ('Acme', ?, ?)", time.Now(), time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := d.Optimize(ctx); err != nil {
			t.Fatal(err)
		}
		if d.Dialect() == db.SQLite {
			var n int
			if err := d.Get(ctx, &n, "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'clients'"); err != nil || n == 0 {
				t.Errorf("statistics of clients: %d, %v", n, err)
			}
		}
	})
}
