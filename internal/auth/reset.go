package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// StartReset creates a single-use password-reset link secret for the active
// account of email and returns it with the user, for the caller to e-mail.
// An unknown or disabled account is errs.ErrNotFound: callers show the same
// neutral message either way, so the form reveals no accounts.
func (s *Service) StartReset(ctx context.Context, email string, ttl time.Duration) (User, string, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return User{}, "", err
	}
	if !u.Active {
		return User{}, "", fmt.Errorf("auth: reset for disabled user: %w", errs.ErrNotFound)
	}
	if ttl <= 0 {
		ttl = s.opt.ResetTTL
	}
	token, hash := newSecret()
	now := s.now()
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO "+s.realm.resets+" (user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
			u.ID, hash, now, now.Add(ttl)); err != nil {
			return fmt.Errorf("auth: create reset link: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "password_reset.request", Entity: s.realm.users, EntityID: u.ID})
	})
	if err != nil {
		return User{}, "", err
	}
	return u, token, nil
}

// CheckReset returns the user of a reset link that is still usable; errs.ErrNotFound otherwise.
func (s *Service) CheckReset(ctx context.Context, token string) (User, error) {
	var userID int64
	err := s.db.Get(ctx, &userID, "SELECT user_id FROM "+s.realm.resets+" WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
		hashSecret(token), s.now())
	if err != nil {
		return User{}, fmt.Errorf("auth: reset link: %w", err)
	}
	return s.UserByID(ctx, userID)
}

// CompleteReset sets the new password through a reset link and spends the
// link (and any other open link of the user); it ends the user's sessions.
// The link is claimed by one conditional UPDATE, so two concurrent uses
// cannot both succeed.
func (s *Service) CompleteReset(ctx context.Context, token, password string) (User, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, errs.NewInvalid("password", "error.password_short")
	}
	var userID int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		now := s.now()
		err := tx.ExecReturning(ctx, &userID, "UPDATE "+s.realm.resets+" SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id",
			now, hashSecret(token), now)
		if err != nil {
			return fmt.Errorf("auth: reset link: %w", err)
		}
		if _, err := tx.Exec(ctx, "UPDATE "+s.realm.resets+" SET used_at = ? WHERE user_id = ? AND used_at IS NULL", now, userID); err != nil {
			return err
		}
		return s.setPassword(ctx, tx, userID, hash)
	})
	if err != nil {
		return User{}, err
	}
	return s.UserByID(ctx, userID)
}
