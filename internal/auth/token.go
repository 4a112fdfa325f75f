package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// tokenPrefix marks Courtier API tokens, so that secret scanners and people recognise them.
const tokenPrefix = "ctr_"

// Token is a staff API token as stored: never the secret itself.
type Token struct {
	ID         int64      `db:"id" json:"id"`
	UserID     int64      `db:"staff_user_id" json:"user_id"`
	Name       string     `db:"name" json:"name"`
	Prefix     string     `db:"prefix" json:"prefix"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `db:"revoked_at" json:"revoked_at,omitempty"`
}

const tokenColumns = "id, staff_user_id, name, prefix, created_at, last_used_at, revoked_at"

// CreateToken issues an API token for a staff user and returns its secret,
// shown once; only its SHA-256 is stored.
func (s *Service) CreateToken(ctx context.Context, userID int64, name string) (string, Token, error) {
	if s.realm.Name != Staff.Name {
		return "", Token{}, fmt.Errorf("auth: API tokens are for staff users: %w", errs.ErrForbidden)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API"
	}
	secret, _ := newSecret()
	plain := tokenPrefix + secret
	var t Token
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		err := tx.ExecReturning(ctx, &t, `INSERT INTO api_tokens (staff_user_id, name, prefix, token_hash, created_at)
			VALUES (?, ?, ?, ?, ?) RETURNING `+tokenColumns, userID, name, plain[:12], hashSecret(plain), s.now())
		if err != nil {
			return fmt.Errorf("auth: create token: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "api_token.create", Entity: "api_tokens", EntityID: t.ID,
			Details: map[string]any{"user_id": userID, "name": name}})
	})
	return plain, t, err
}

// AuthenticateToken returns the active staff user owning a live token; a
// missing, unknown or revoked token, or a disabled user, is errs.ErrNotFound.
func (s *Service) AuthenticateToken(ctx context.Context, plain string) (User, Token, error) {
	if !strings.HasPrefix(plain, tokenPrefix) {
		return User{}, Token{}, fmt.Errorf("auth: malformed token: %w", errs.ErrNotFound)
	}
	var t Token
	if err := s.db.Get(ctx, &t, "SELECT "+tokenColumns+" FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", hashSecret(plain)); err != nil {
		return User{}, Token{}, fmt.Errorf("auth: token: %w", err)
	}
	u, err := s.UserByID(ctx, t.UserID)
	if err != nil {
		return User{}, Token{}, err
	}
	if !u.Active {
		return User{}, Token{}, fmt.Errorf("auth: token of disabled user: %w", errs.ErrNotFound)
	}
	now := s.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchEvery {
		s.db.Exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, t.ID)
	}
	return u, t, nil
}

// ListTokens returns a staff user's tokens, newest first.
func (s *Service) ListTokens(ctx context.Context, userID int64) ([]Token, error) {
	var out []Token
	err := s.db.Select(ctx, &out, "SELECT "+tokenColumns+" FROM api_tokens WHERE staff_user_id = ? ORDER BY id DESC", userID)
	return out, err
}

// RevokeToken revokes one of the user's tokens; another user's token is errs.ErrNotFound.
func (s *Service) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND staff_user_id = ? AND revoked_at IS NULL", s.now(), tokenID, userID)
		if err != nil {
			return fmt.Errorf("auth: revoke token: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("auth: revoke token %d: %w", tokenID, errs.ErrNotFound)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "api_token.revoke", Entity: "api_tokens", EntityID: tokenID})
	})
}
