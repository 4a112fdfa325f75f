// Package migrations holds Courtier's schema as plain SQL, one folder per
// dialect, embedded in the binary, and applies it.
//
// The flow: Up opens one transaction, takes a lock (SQLite: BEGIN IMMEDIATE,
// the writer lock; PostgreSQL: pg_advisory_xact_lock), reads which versions are
// recorded in schema_migrations, runs the missing files in order and records
// them, then commits. Two processes starting at once therefore serialise: the
// second finds everything applied. Both dialects have transactional DDL, so a
// failing migration leaves the schema as it was. Files are never edited once
// landed: a recorded checksum that no longer matches stops the run.
package migrations

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// lockKey is the PostgreSQL advisory lock id of the migration run ("courtier" in ASCII).
const lockKey = 0x636f7572746965

// Migration is one numbered SQL file.
type Migration struct {
	Version  int
	Name     string
	SQL      string
	Checksum string
}

// State is a migration and whether (and when) it is applied.
type State struct {
	Migration
	AppliedAt *time.Time
}

// Load returns the embedded migrations of a dialect ("sqlite" or "postgres"), in order.
func Load(dialect string) ([]Migration, error) {
	names, err := fs.Glob(files, dialect+"/*.sql")
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("migrations: no migrations for dialect %q", dialect)
	}
	var out []Migration
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migrations: file %s does not start with a number and '_'", name)
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		out = append(out, Migration{Version: version, Name: strings.TrimSuffix(base, ".sql"), SQL: string(body), Checksum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations: two files with version %d", out[i].Version)
		}
	}
	return out, nil
}

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	checksum TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

type applied struct {
	name, checksum, at string
}

// Up applies the pending migrations and returns the ones it applied. conn
// must be the writer pool (on SQLite, opened with _txlock=immediate).
func Up(ctx context.Context, conn *sql.DB, dialect string) ([]Migration, error) {
	all, err := Load(dialect)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("migrations: begin: %w", err)
	}
	defer tx.Rollback()
	if dialect == "postgres" {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", lockKey); err != nil {
			return nil, fmt.Errorf("migrations: take lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, createTable); err != nil {
		return nil, fmt.Errorf("migrations: create schema_migrations: %w", err)
	}
	done, err := readApplied(ctx, tx)
	if err != nil {
		return nil, err
	}
	if err := checkHistory(all, done); err != nil {
		return nil, err
	}
	insert := "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)"
	if dialect == "postgres" {
		insert = "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)"
	}
	var ran []Migration
	for _, m := range all {
		if _, ok := done[m.Version]; ok {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return nil, fmt.Errorf("migrations: apply %s: %w", m.Name, err)
		}
		now := time.Now().UTC().Format(time.RFC3339)
		if _, err := tx.ExecContext(ctx, insert, m.Version, m.Name, m.Checksum, now); err != nil {
			return nil, fmt.Errorf("migrations: record %s: %w", m.Name, err)
		}
		ran = append(ran, m)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("migrations: commit: %w", err)
	}
	return ran, nil
}

// Status lists every known migration with its applied time, or nil when pending.
func Status(ctx context.Context, conn *sql.DB, dialect string) ([]State, error) {
	all, err := Load(dialect)
	if err != nil {
		return nil, err
	}
	done := map[int]applied{}
	var exists bool
	q := "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	if dialect == "postgres" {
		q = "SELECT to_regclass('schema_migrations') IS NOT NULL"
	}
	if err := conn.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return nil, fmt.Errorf("migrations: look for schema_migrations: %w", err)
	}
	if exists {
		if done, err = readApplied(ctx, conn); err != nil {
			return nil, err
		}
	}
	if err := checkHistory(all, done); err != nil {
		return nil, err
	}
	out := make([]State, 0, len(all))
	for _, m := range all {
		s := State{Migration: m}
		if a, ok := done[m.Version]; ok {
			t, err := time.Parse(time.RFC3339, a.at)
			if err == nil {
				s.AppliedAt = &t
			}
		}
		out = append(out, s)
	}
	return out, nil
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func readApplied(ctx context.Context, q queryer) (map[int]applied, error) {
	rows, err := q.QueryContext(ctx, "SELECT version, name, checksum, applied_at FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("migrations: read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[int]applied{}
	for rows.Next() {
		var v int
		var a applied
		if err := rows.Scan(&v, &a.name, &a.checksum, &a.at); err != nil {
			return nil, fmt.Errorf("migrations: read schema_migrations: %w", err)
		}
		done[v] = a
	}
	return done, rows.Err()
}

// checkHistory refuses a database that a newer binary migrated, or whose
// applied files were edited since: both mean this binary's schema is not the
// one in the database.
func checkHistory(all []Migration, done map[int]applied) error {
	known := map[int]Migration{}
	for _, m := range all {
		known[m.Version] = m
	}
	for v, a := range done {
		m, ok := known[v]
		if !ok {
			return fmt.Errorf("migrations: the database has migration %d (%s) that this binary does not know: it was migrated by a newer version of Courtier", v, a.name)
		}
		if m.Checksum != a.checksum {
			return fmt.Errorf("migrations: %s was changed after it was applied (checksum differs); landed migrations must never be edited", m.Name)
		}
	}
	return nil
}
