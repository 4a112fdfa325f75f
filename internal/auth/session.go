package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
)

// Session is an open login of a user; ID is the hash of the cookie value.
type Session struct {
	ID         string
	User       User
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// touchEvery bounds how often a session's last-seen time is written.
const touchEvery = time.Minute

// Authenticate returns the live session of a cookie value, extending its idle
// deadline; an unknown, idle, expired or disabled-user session is
// errs.ErrNotFound (and deleted when it exists).
func (s *Service) Authenticate(ctx context.Context, token string) (Session, error) {
	if token == "" {
		return Session{}, errs.ErrNotFound
	}
	var row struct {
		User
		SessionID  string    `db:"session_id"`
		Created    time.Time `db:"session_created_at"`
		LastSeenAt time.Time `db:"last_seen_at"`
		ExpiresAt  time.Time `db:"expires_at"`
	}
	q := `SELECT s.id AS session_id, s.created_at AS session_created_at, s.last_seen_at, s.expires_at, ` + s.realm.userColumns("u.") + `
		FROM ` + s.realm.sessions + ` s JOIN ` + s.realm.users + ` u ON u.id = s.user_id WHERE s.id = ?`
	if err := s.db.Get(ctx, &row, q, hashSecret(token)); err != nil {
		return Session{}, fmt.Errorf("auth: session: %w", err)
	}
	now := s.now()
	if !row.Active || now.After(row.ExpiresAt) || now.Sub(row.LastSeenAt) > s.opt.IdleTimeout {
		s.db.Exec(ctx, "DELETE FROM "+s.realm.sessions+" WHERE id = ?", row.SessionID)
		return Session{}, fmt.Errorf("auth: session ended: %w", errs.ErrNotFound)
	}
	if now.Sub(row.LastSeenAt) > touchEvery {
		if _, err := s.db.Exec(ctx, "UPDATE "+s.realm.sessions+" SET last_seen_at = ? WHERE id = ?", now, row.SessionID); err != nil {
			return Session{}, fmt.Errorf("auth: touch session: %w", err)
		}
		row.LastSeenAt = now
	}
	return Session{ID: row.SessionID, User: row.User, CreatedAt: row.Created, LastSeenAt: row.LastSeenAt, ExpiresAt: row.ExpiresAt}, nil
}
