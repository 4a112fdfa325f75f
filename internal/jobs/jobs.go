// Package jobs runs background work (mail sync, reminders) so that only one
// server process runs each job at a time, even with several `courtier serve`
// processes on one PostgreSQL: a job first takes a lease in job_locks.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
)

// Holder names this process in job_locks: host, PID and a random suffix.
func Holder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Acquire takes or renews the lease on name for ttl. It returns false when
// another holder has a lease that has not expired. The single UPSERT is
// atomic on both databases, so two processes never both get it.
func Acquire(ctx context.Context, d *db.DB, name, holder string, ttl time.Duration) (bool, error) {
	now := time.Now().UTC()
	res, err := d.Exec(ctx, `INSERT INTO job_locks (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE job_locks.holder = excluded.holder OR job_locks.expires_at < ?`, name, holder, now.Add(ttl), now)
	if err != nil {
		return false, fmt.Errorf("jobs: lease %s: %w", name, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Release gives the lease back early, if this holder has it.
func Release(ctx context.Context, d *db.DB, name, holder string) error {
	_, err := d.Exec(ctx, "DELETE FROM job_locks WHERE name = ? AND holder = ?", name, holder)
	return err
}

// Every runs fn now and then every interval until ctx ends, each time only
// if this process gets the lease on name. The lease lasts ttl (longer than a
// run should take) and is released after each run.
func Every(ctx context.Context, d *db.DB, log *slog.Logger, name string, interval, ttl time.Duration, fn func(context.Context) error) {
	holder := Holder()
	for {
		ok, err := Acquire(ctx, d, name, holder, ttl)
		switch {
		case err != nil:
			log.Error("job lease", "job", name, "err", err)
		case ok:
			runCtx, cancel := context.WithTimeout(ctx, ttl)
			start := time.Now()
			if err := fn(runCtx); err != nil {
				log.Error("job failed", "job", name, "err", err, "took", time.Since(start).Round(time.Millisecond))
			} else {
				log.Debug("job done", "job", name, "took", time.Since(start).Round(time.Millisecond))
			}
			cancel()
			if err := Release(context.WithoutCancel(ctx), d, name, holder); err != nil {
				log.Error("job release", "job", name, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}
