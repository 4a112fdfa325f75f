// Package dbtest gives tests fresh, migrated databases on both dialects, so
// that every store test is written once and runs on SQLite and PostgreSQL.
//
// SQLite databases live in t.TempDir(). PostgreSQL databases are cloned from a
// migrated template on the server named by COURTIER_TEST_POSTGRES_URL (the
// test command starts a throwaway server and sets it). When that variable is
// empty the PostgreSQL half fails under CI=true and is skipped otherwise.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/migrations"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for the admin connection
)

// PostgresEnv is the variable naming the test PostgreSQL server (any database on it).
const PostgresEnv = "COURTIER_TEST_POSTGRES_URL"

// ForEachDialect runs fn as two subtests, "sqlite" and "postgres", each with its own fresh database.
func ForEachDialect(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			fn(t, Open(t, dialect))
		})
	}
}

// Open returns a fresh migrated database of the dialect, closed (and dropped) at the end of the test.
func Open(t testing.TB, dialect db.Dialect) *db.DB {
	t.Helper()
	var raw string
	if dialect == db.SQLite {
		raw = EmptyURL(t, dialect)
	} else {
		admin := RequirePostgres(t)
		tpl, err := template(admin)
		if err != nil {
			t.Fatalf("dbtest: %v", err)
		}
		raw = createDatabase(t, admin, tpl)
	}
	d, err := db.Open(context.Background(), raw)
	if err != nil {
		t.Fatalf("dbtest: open %s: %v", dialect, err)
	}
	t.Cleanup(func() { d.Close() })
	if dialect == db.SQLite {
		if _, err := migrations.Up(context.Background(), d.Writer(), string(dialect)); err != nil {
			t.Fatalf("dbtest: migrate sqlite: %v", err)
		}
	}
	return d
}

// EmptyURL returns the URL of a new, empty, unmigrated database of the
// dialect: a file in a temp dir for SQLite, a new database on the test server
// for PostgreSQL (dropped at the end of the test).
func EmptyURL(t testing.TB, dialect db.Dialect) string {
	t.Helper()
	if dialect == db.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "courtier.db")
	}
	return createDatabase(t, RequirePostgres(t), "template0")
}

func createDatabase(t testing.TB, admin *sql.DB, template string) string {
	t.Helper()
	name := "courtier_t_" + randomHex(6)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, template)); err != nil {
		t.Fatalf("dbtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name)); err != nil {
			t.Logf("dbtest: drop %s: %v", name, err)
		}
	})
	return withDatabase(os.Getenv(PostgresEnv), name)
}

// RequirePostgres returns the admin connection to the test server, or ends
// the test: a failure under CI=true, a skip with the reason otherwise.
func RequirePostgres(t testing.TB) *sql.DB {
	t.Helper()
	raw := os.Getenv(PostgresEnv)
	if raw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("dbtest: %s is not set under CI=true: run the tests with `make test`, which starts a throwaway PostgreSQL", PostgresEnv)
		}
		t.Skipf("dbtest: PostgreSQL half skipped outside CI: %s is not set (`make test` starts a server)", PostgresEnv)
	}
	admin, err := adminConn(raw)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	return admin
}

var (
	adminOnce sync.Once
	adminDB   *sql.DB
	adminErr  error
	tplOnce   sync.Once
	tplName   string
	tplErr    error
)

func adminConn(raw string) (*sql.DB, error) {
	adminOnce.Do(func() {
		adminDB, adminErr = sql.Open("pgx", raw)
		if adminErr == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if adminErr = adminDB.PingContext(ctx); adminErr != nil {
				adminErr = fmt.Errorf("cannot reach the test PostgreSQL at %s: %w", db.Redact(raw), adminErr)
			}
		}
	})
	return adminDB, adminErr
}

// template returns the name of a migrated template database for the current
// migrations, creating it once per server. Its name carries a hash of the
// migrations, so a changed schema gets a new template; an advisory lock keeps
// concurrent test binaries from building it twice.
func template(admin *sql.DB) (string, error) {
	tplOnce.Do(func() {
		all, err := migrations.Load("postgres")
		if err != nil {
			tplErr = err
			return
		}
		var sums strings.Builder
		for _, m := range all {
			sums.WriteString(m.Checksum)
		}
		name := "courtier_tpl_" + hashHex(sums.String())[:12]
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		conn, err := admin.Conn(ctx)
		if err != nil {
			tplErr = err
			return
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(4242)"); err != nil {
			tplErr = err
			return
		}
		defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(4242)")
		var exists bool
		if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
			tplErr = err
			return
		}
		if !exists {
			if tplErr = buildTemplate(ctx, conn, name); tplErr != nil {
				return
			}
		}
		tplName = name
	})
	return tplName, tplErr
}

func buildTemplate(ctx context.Context, conn *sql.Conn, name string) error {
	building := name + "_build"
	conn.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", building))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s", building)); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	d, err := db.Open(ctx, withDatabase(os.Getenv(PostgresEnv), building))
	if err != nil {
		return err
	}
	_, err = migrations.Up(ctx, d.Writer(), "postgres")
	d.Close()
	if err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	// Renamed only once complete, so a crash never leaves a half-built template under the real name.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
		return fmt.Errorf("rename template: %w", err)
	}
	return nil
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	return u.String()
}

func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
