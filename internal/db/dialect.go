package db

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect names a supported database.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

func init() {
	// sqlx knows "sqlite3" but not modernc's driver name.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

func (d Dialect) rebind(query string) string {
	if d == Postgres {
		return sqlx.Rebind(sqlx.DOLLAR, query)
	}
	return query
}

func parseURL(raw string) (Dialect, string, error) {
	switch {
	case raw == "":
		return "", "", fmt.Errorf("db: empty database URL")
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		return Postgres, raw, nil
	case strings.HasPrefix(raw, "sqlite://"):
		return SQLite, strings.TrimPrefix(raw, "sqlite://"), nil
	case strings.HasPrefix(raw, "sqlite:"):
		return SQLite, strings.TrimPrefix(raw, "sqlite:"), nil
	case strings.Contains(raw, "://"):
		return "", "", fmt.Errorf("db: unsupported database URL scheme in %q (use postgres:// or sqlite:PATH)", Redact(raw))
	default:
		return SQLite, raw, nil
	}
}

// sqliteDSN builds the modernc DSN. busy_timeout comes first so that the
// pragmas after it wait for a lock instead of failing; WAL lets readers run
// beside the writer; _txlock=immediate makes every write transaction take the
// write lock at BEGIN; _time_format=sqlite stores UTC times as sortable text.
func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	q.Set("_time_format", "sqlite")
	q.Add("_pragma", "cache_size(-32768)")
	q.Add("_pragma", "mmap_size(1073741824)")
	if readOnly {
		q.Set("_query_only", "true")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("db: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("db: create folder for %s: %w", path, err)
		}
	}
	writer, err := sqlx.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("db: open sqlite writer: %w", err)
	}
	// One writer connection: SQLite allows one writer at a time anyway.
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	// The writer creates the file and switches it to WAL before any reader opens it.
	if err := writer.Ping(); err != nil {
		writer.Close()
		return nil, fmt.Errorf("db: open sqlite %s: %w", path, err)
	}
	reader, err := sqlx.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("db: open sqlite reader: %w", err)
	}
	n := max(4, runtime.NumCPU()*2)
	reader.SetMaxOpenConns(n)
	reader.SetMaxIdleConns(n)
	reader.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: SQLite, writer: writer, reader: reader}, nil
}

func openPostgres(dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("db: parse PostgreSQL URL %s: %w", Redact(dsn), err)
	}
	// Times are stored as timestamptz and always handled in UTC.
	cfg.RuntimeParams["timezone"] = "UTC"
	pool := sqlx.NewDb(stdlib.OpenDB(*cfg), "pgx")
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: Postgres, writer: pool, reader: pool}, nil
}

// Redact hides the password of a database URL, for logs and messages.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
