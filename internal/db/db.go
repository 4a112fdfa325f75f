// Package db opens Courtier's database and is the only door to it.
//
// SQLite (modernc.org/sqlite, pure Go) is the embedded default; PostgreSQL (pgx)
// is the scale-out choice. The URL decides. Callers write SQL once with `?`
// placeholders; this package rebinds them for the dialect, maps driver errors to
// the categories of internal/errs, and runs transactions.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// DB is an open database: a writer pool and a reader pool. On PostgreSQL both
// are the same pool; on SQLite the writer has a single connection so that write
// transactions queue in Go instead of failing with SQLITE_BUSY.
type DB struct {
	dialect Dialect
	writer  *sqlx.DB
	reader  *sqlx.DB
}

// Querier is what both *DB and *Tx offer; helpers that may run inside or
// outside a transaction take one.
type Querier interface {
	Get(ctx context.Context, dest any, query string, args ...any) error
	Select(ctx context.Context, dest any, query string, args ...any) error
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	ExecReturning(ctx context.Context, dest any, query string, args ...any) error
	Query(ctx context.Context, query string, args ...any) (*sqlx.Rows, error)
	Dialect() Dialect
}

// Open connects to the database named by url: "postgres://…" or
// "postgresql://…" for PostgreSQL, "sqlite:PATH", "sqlite://PATH" or a bare
// file path for SQLite. It checks the connection before returning.
func Open(ctx context.Context, url string) (*DB, error) {
	dialect, dsn, err := parseURL(url)
	if err != nil {
		return nil, err
	}
	var d *DB
	switch dialect {
	case SQLite:
		d, err = openSQLite(dsn)
	case Postgres:
		d, err = openPostgres(dsn)
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.writer.PingContext(pingCtx); err != nil {
		d.Close()
		return nil, fmt.Errorf("db: connect to %s: %w", dialect, err)
	}
	return d, nil
}

// Dialect tells which database this is.
func (d *DB) Dialect() Dialect { return d.dialect }

// Writer is the raw write pool, for the migration runner and for tools that
// need database/sql directly. Application code uses the methods of DB.
func (d *DB) Writer() *sql.DB { return d.writer.DB }

// Close closes both pools.
func (d *DB) Close() error {
	err := d.writer.Close()
	if d.reader != d.writer {
		err = errors.Join(err, d.reader.Close())
	}
	return err
}

// Ping checks that the database answers (used by /healthz).
func (d *DB) Ping(ctx context.Context) error {
	return d.reader.PingContext(ctx)
}

// Get runs a query that returns one row into dest; no row is errs.ErrNotFound.
func (d *DB) Get(ctx context.Context, dest any, query string, args ...any) error {
	return mapErr(d.reader.GetContext(ctx, dest, d.dialect.rebind(query), args...))
}

// Select runs a query into a slice.
func (d *DB) Select(ctx context.Context, dest any, query string, args ...any) error {
	return mapErr(d.reader.SelectContext(ctx, dest, d.dialect.rebind(query), args...))
}

// Exec runs a statement on the writer pool.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := d.writer.ExecContext(ctx, d.dialect.rebind(query), args...)
	return res, mapErr(err)
}

// ExecReturning runs a writing statement with a RETURNING clause on the
// writer pool and scans its one row into dest.
func (d *DB) ExecReturning(ctx context.Context, dest any, query string, args ...any) error {
	return mapErr(d.writer.GetContext(ctx, dest, d.dialect.rebind(query), args...))
}

// Query returns rows for streaming; the caller closes them.
func (d *DB) Query(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	rows, err := d.reader.QueryxContext(ctx, d.dialect.rebind(query), args...)
	return rows, mapErr(err)
}

// Tx is a transaction; it offers the Querier methods.
type Tx struct {
	dialect Dialect
	tx      *sqlx.Tx
}

// Dialect tells which database this is.
func (t *Tx) Dialect() Dialect { return t.dialect }

// Get runs a query that returns one row into dest; no row is errs.ErrNotFound.
func (t *Tx) Get(ctx context.Context, dest any, query string, args ...any) error {
	return mapErr(t.tx.GetContext(ctx, dest, t.dialect.rebind(query), args...))
}

// Select runs a query into a slice.
func (t *Tx) Select(ctx context.Context, dest any, query string, args ...any) error {
	return mapErr(t.tx.SelectContext(ctx, dest, t.dialect.rebind(query), args...))
}

// Exec runs a statement.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, t.dialect.rebind(query), args...)
	return res, mapErr(err)
}

// ExecReturning runs a writing statement with a RETURNING clause and scans its one row into dest.
func (t *Tx) ExecReturning(ctx context.Context, dest any, query string, args ...any) error {
	return mapErr(t.tx.GetContext(ctx, dest, t.dialect.rebind(query), args...))
}

// Query returns rows for streaming; the caller closes them before the next statement.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	rows, err := t.tx.QueryxContext(ctx, t.dialect.rebind(query), args...)
	return rows, mapErr(err)
}

// WithTx runs fn in a write transaction: commit when fn returns nil, rollback
// otherwise (and on panic, which is re-raised). On SQLite the transaction
// begins IMMEDIATE on the single writer connection, so it holds the write lock
// from the start and cannot fail half-way on a lock upgrade.
func (d *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	sqlTx, err := d.writer.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", mapErr(err))
	}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&Tx{dialect: d.dialect, tx: sqlTx}); err != nil {
		if rbErr := sqlTx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("db: rollback: %w", rbErr))
		}
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", mapErr(err))
	}
	return nil
}

// InsertID runs an INSERT … RETURNING id and returns the new id; both
// dialects support RETURNING, unlike LastInsertId which pgx lacks.
func InsertID(ctx context.Context, q Querier, query string, args ...any) (int64, error) {
	var id int64
	err := q.ExecReturning(ctx, &id, query, args...)
	return id, err
}

// Optimize refreshes the query planner's statistics after a bulk load.
// SQLite keeps none until told, and without them picks the wrong index of
// a correlated subquery; PRAGMA optimize analyses the tables that need it,
// bounded by analysis_limit so that it stays quick on a big file.
// PostgreSQL's autovacuum gets there in time: ANALYZE gets there now.
func (d *DB) Optimize(ctx context.Context) error {
	if d.dialect == Postgres {
		_, err := d.writer.ExecContext(ctx, "ANALYZE")
		return err
	}
	conn, err := d.writer.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA analysis_limit = 1000"); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, "PRAGMA optimize = 0x10002")
	return err
}
