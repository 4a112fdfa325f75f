package auth

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// User is an account of a realm. ClientID is the client company of an
// extranet user and 0 for staff.
type User struct {
	ID           int64      `db:"id" json:"id"`
	ClientID     int64      `db:"client_id" json:"client_id,omitempty"`
	Email        string     `db:"email" json:"email"`
	Name         string     `db:"name" json:"name"`
	Role         string     `db:"role" json:"role"`
	Locale       string     `db:"locale" json:"locale,omitempty"`
	Active       bool       `db:"active" json:"active"`
	PasswordHash string     `db:"password_hash" json:"-"`
	CreatedAt    time.Time  `db:"created_at" json:"created_at"`
	LastLoginAt  *time.Time `db:"last_login_at" json:"last_login_at,omitempty"`
}

// NewUser is what creating an account needs. Password may be empty for an
// invited user who will set it through a reset link.
type NewUser struct {
	ClientID int64
	Email    string
	Name     string
	Role     string
	Locale   string
	Password string
}

// userFields are the columns both realms' user tables share.
var userFields = []string{"id", "email", "name", "role", "locale", "active", "password_hash", "created_at", "last_login_at"}

// userColumns lists a user's columns, prefixed by alias (e.g. "u.") when the
// query joins; client_id is a column of extranet users and 0 for staff.
func (r Realm) userColumns(alias string) string {
	client := "0"
	if r.Name == Extranet.Name {
		client = alias + "client_id"
	}
	cols := []string{client + " AS client_id"}
	for _, f := range userFields {
		cols = append(cols, alias+f)
	}
	return strings.Join(cols, ", ")
}

// NormalizeEmail lower-cases and trims an address and checks its syntax.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.IndexByte(s, '@')+1:], ".") {
		return "", errs.NewInvalid("email", "error.email_invalid")
	}
	return s, nil
}

// CreateUser adds an account to the realm and audits it.
func (s *Service) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	email, err := NormalizeEmail(nu.Email)
	inv := &errs.Invalid{}
	if err != nil {
		inv.Add("email", "error.email_invalid")
	}
	nu.Name = strings.TrimSpace(nu.Name)
	if nu.Name == "" {
		inv.Add("name", "error.required")
	}
	if !s.realm.HasRole(nu.Role) {
		inv.Add("role", "error.role_invalid")
	}
	if s.realm.Name == Extranet.Name && nu.ClientID == 0 {
		inv.Add("client_id", "error.required")
	}
	hash := ""
	if nu.Password != "" {
		if hash, err = HashPassword(nu.Password); err != nil {
			inv.Add("password", "error.password_short")
		}
	}
	if err := inv.OrNil(); err != nil {
		return User{}, err
	}
	now := s.now()
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		if s.realm.Name == Extranet.Name {
			id, err = db.InsertID(ctx, tx, `INSERT INTO extranet_users (client_id, email, name, role, locale, password_hash, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, nu.ClientID, email, nu.Name, nu.Role, nu.Locale, hash, now, now)
		} else {
			id, err = db.InsertID(ctx, tx, `INSERT INTO staff_users (email, name, role, locale, password_hash, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, email, nu.Name, nu.Role, nu.Locale, hash, now, now)
		}
		if err != nil {
			return fmt.Errorf("auth: create %s user %s: %w", s.realm.Name, email, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: s.realm.Name + "_user.create", Entity: s.realm.users, EntityID: id,
			Details: map[string]any{"email": email, "role": nu.Role}})
	})
	if err != nil {
		return User{}, err
	}
	return s.UserByID(ctx, id)
}

// UserByID loads an account; errs.ErrNotFound when absent.
func (s *Service) UserByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.db.Get(ctx, &u, "SELECT "+s.realm.userColumns("")+" FROM "+s.realm.users+" WHERE id = ?", id)
	if err != nil {
		return User{}, fmt.Errorf("auth: load %s user %d: %w", s.realm.Name, id, err)
	}
	return u, nil
}

// UserByEmail loads an account by address; errs.ErrNotFound when absent.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	email = strings.ToLower(strings.TrimSpace(email))
	err := s.db.Get(ctx, &u, "SELECT "+s.realm.userColumns("")+" FROM "+s.realm.users+" WHERE email = ?", email)
	if err != nil {
		return User{}, fmt.Errorf("auth: load %s user %s: %w", s.realm.Name, email, err)
	}
	return u, nil
}

// ListUsers returns the realm's accounts by name; clientID > 0 narrows the extranet realm to one company.
func (s *Service) ListUsers(ctx context.Context, clientID int64) ([]User, error) {
	q := "SELECT " + s.realm.userColumns("") + " FROM " + s.realm.users + " ORDER BY name, id"
	args := []any{}
	if s.realm.Name == Extranet.Name && clientID > 0 {
		q = "SELECT " + s.realm.userColumns("") + " FROM extranet_users WHERE client_id = ? ORDER BY name, id"
		args = append(args, clientID)
	}
	var out []User
	if err := s.db.Select(ctx, &out, q, args...); err != nil {
		return nil, fmt.Errorf("auth: list %s users: %w", s.realm.Name, err)
	}
	return out, nil
}

// SetPassword replaces a user's password and ends all their sessions.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return errs.NewInvalid("password", "error.password_short")
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		return s.setPassword(ctx, tx, userID, hash)
	})
}

func (s *Service) setPassword(ctx context.Context, q db.Querier, userID int64, hash string) error {
	res, err := q.Exec(ctx, "UPDATE "+s.realm.users+" SET password_hash = ?, updated_at = ? WHERE id = ?", hash, s.now(), userID)
	if err != nil {
		return fmt.Errorf("auth: set password of %s user %d: %w", s.realm.Name, userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("auth: set password of %s user %d: %w", s.realm.Name, userID, errs.ErrNotFound)
	}
	if _, err := q.Exec(ctx, "DELETE FROM "+s.realm.sessions+" WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("auth: end sessions of %s user %d: %w", s.realm.Name, userID, err)
	}
	return audit.Record(ctx, q, audit.Event{Action: s.realm.Name + "_user.password", Entity: s.realm.users, EntityID: userID})
}

// SetLocale stores the user's preferred language ("fr" or "en").
func (s *Service) SetLocale(ctx context.Context, userID int64, locale string) error {
	_, err := s.db.Exec(ctx, "UPDATE "+s.realm.users+" SET locale = ?, updated_at = ? WHERE id = ?", locale, s.now(), userID)
	if err != nil {
		return fmt.Errorf("auth: set locale of %s user %d: %w", s.realm.Name, userID, err)
	}
	return nil
}

// SetActive enables or disables an account; disabling ends its sessions.
func (s *Service) SetActive(ctx context.Context, userID int64, active bool) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE "+s.realm.users+" SET active = ?, updated_at = ? WHERE id = ?", active, s.now(), userID)
		if err != nil {
			return fmt.Errorf("auth: set active of %s user %d: %w", s.realm.Name, userID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("auth: set active of %s user %d: %w", s.realm.Name, userID, errs.ErrNotFound)
		}
		if !active {
			if _, err := tx.Exec(ctx, "DELETE FROM "+s.realm.sessions+" WHERE user_id = ?", userID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: s.realm.Name + "_user.active", Entity: s.realm.users, EntityID: userID,
			Details: map[string]any{"active": active}})
	})
}

// ChangePassword replaces the password of a logged-in user who proves the
// current one; all the user's sessions end (the caller logs in again).
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, next string) error {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if !CheckPassword(u.PasswordHash, current) {
		return errs.NewInvalid("current_password", "error.password_wrong")
	}
	return s.SetPassword(ctx, userID, next)
}
