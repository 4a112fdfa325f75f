package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Options tunes a realm's sessions, resets and throttling; zero values take the defaults.
type Options struct {
	IdleTimeout        time.Duration // a session unused this long ends (default 2 h)
	MaxAge             time.Duration // a session ends this long after login whatever its use (default 12 h)
	ResetTTL           time.Duration // a password-reset link lives this long (default 1 h)
	MaxFailuresAccount int           // failed logins per account within ThrottleWindow (default 5)
	MaxFailuresIP      int           // failed logins per IP within ThrottleWindow (default 30)
	ThrottleWindow     time.Duration // default 15 min
	Now                func() time.Time
}

// Service is the identity service of one realm.
type Service struct {
	db    *db.DB
	realm Realm
	opt   Options
}

// New returns the service of a realm.
func New(d *db.DB, realm Realm, opt Options) *Service {
	if opt.IdleTimeout <= 0 {
		opt.IdleTimeout = 2 * time.Hour
	}
	if opt.MaxAge <= 0 {
		opt.MaxAge = 12 * time.Hour
	}
	if opt.ResetTTL <= 0 {
		opt.ResetTTL = time.Hour
	}
	if opt.MaxFailuresAccount <= 0 {
		opt.MaxFailuresAccount = 5
	}
	if opt.MaxFailuresIP <= 0 {
		opt.MaxFailuresIP = 30
	}
	if opt.ThrottleWindow <= 0 {
		opt.ThrottleWindow = 15 * time.Minute
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Service{db: d, realm: realm, opt: opt}
}

// Realm returns the service's realm.
func (s *Service) Realm() Realm { return s.realm }

// ResetTTL is how long a password-reset link lives.
func (s *Service) ResetTTL() time.Duration { return s.opt.ResetTTL }

// IdleTimeout is how long an unused session lives.
func (s *Service) IdleTimeout() time.Duration { return s.opt.IdleTimeout }

func (s *Service) now() time.Time { return s.opt.Now().UTC() }

// Login errors.
var (
	ErrBadCredentials = errors.New("auth: wrong e-mail or password")
	ErrThrottled      = errors.New("auth: too many failed logins, try again later")
)

// Login checks the credentials (after the throttling rules) and opens a
// session. It returns the session and the cookie value, which is stored only
// as a hash. Every attempt is recorded and audited.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (Session, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	ctx = audit.WithActor(ctx, audit.Actor{Kind: s.realm.Name, Label: email, IP: ip})
	if err := s.checkThrottle(ctx, email, ip); err != nil {
		if errors.Is(err, ErrThrottled) {
			err = errors.Join(err, s.recordAttempt(ctx, email, ip, "login.throttled"))
		}
		return Session{}, "", err
	}
	u, err := s.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, errs.ErrNotFound) {
		return Session{}, "", err
	}
	if err != nil || !u.Active || !CheckPassword(u.PasswordHash, password) {
		if err != nil {
			CheckPassword(dummyHash(), password)
		}
		// A failure that cannot be recorded would escape throttling: refuse with the error instead.
		if err := s.recordAttempt(ctx, email, ip, "login.failed"); err != nil {
			return Session{}, "", err
		}
		return Session{}, "", ErrBadCredentials
	}
	ctx = audit.WithActor(ctx, audit.Actor{Kind: s.realm.Name, ID: u.ID, Label: u.Email, IP: ip})
	token, hash := newSecret()
	now := s.now()
	sess := Session{ID: hash, User: u, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.opt.MaxAge)}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.insertAttempt(ctx, tx, email, ip, true, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO "+s.realm.sessions+" (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)",
			hash, u.ID, now, now, sess.ExpiresAt, ip, truncate(userAgent, 300)); err != nil {
			return fmt.Errorf("auth: create session: %w", err)
		}
		if _, err := tx.Exec(ctx, "UPDATE "+s.realm.users+" SET last_login_at = ? WHERE id = ?", now, u.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "login", Entity: s.realm.users, EntityID: u.ID})
	})
	if err != nil {
		return Session{}, "", err
	}
	return sess, token, nil
}

// Logout ends the session whose cookie value is token.
func (s *Service) Logout(ctx context.Context, token string) error {
	sess, err := s.Authenticate(ctx, token)
	if err != nil {
		return nil // already gone: nothing to do
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM "+s.realm.sessions+" WHERE id = ?", sess.ID); err != nil {
			return fmt.Errorf("auth: delete session: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "logout", Entity: s.realm.users, EntityID: sess.User.ID})
	})
}

// checkThrottle refuses a login when the account has too many failures
// since its last success within the window, or the IP too many in the window.
func (s *Service) checkThrottle(ctx context.Context, email, ip string) error {
	since := s.now().Add(-s.opt.ThrottleWindow)
	var n int
	err := s.db.Get(ctx, &n, `SELECT COUNT(*) FROM login_attempts WHERE realm = ? AND email = ? AND at > ? AND NOT succeeded
		AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE realm = ? AND email = ? AND succeeded), ?)`,
		s.realm.Name, email, since, s.realm.Name, email, since)
	if err != nil {
		return fmt.Errorf("auth: count failed logins: %w", err)
	}
	if n >= s.opt.MaxFailuresAccount {
		return ErrThrottled
	}
	if ip == "" {
		return nil
	}
	err = s.db.Get(ctx, &n, "SELECT COUNT(*) FROM login_attempts WHERE realm = ? AND ip = ? AND at > ? AND NOT succeeded", s.realm.Name, ip, since)
	if err != nil {
		return fmt.Errorf("auth: count failed logins: %w", err)
	}
	if n >= s.opt.MaxFailuresIP {
		return ErrThrottled
	}
	return nil
}

// recordAttempt stores a failed or refused attempt and its audit event.
func (s *Service) recordAttempt(ctx context.Context, email, ip, action string) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.insertAttempt(ctx, tx, email, ip, false, s.now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: action, Entity: s.realm.users, Details: map[string]any{"email": email}})
	})
}

func (s *Service) insertAttempt(ctx context.Context, q db.Querier, email, ip string, ok bool, at time.Time) error {
	_, err := q.Exec(ctx, "INSERT INTO login_attempts (realm, email, ip, succeeded, at) VALUES (?, ?, ?, ?, ?)", s.realm.Name, truncate(email, 320), ip, ok, at)
	if err != nil {
		return fmt.Errorf("auth: record login attempt: %w", err)
	}
	return nil
}

// PurgeExpired deletes ended sessions, spent reset links and login attempts older than 30 days.
func (s *Service) PurgeExpired(ctx context.Context) error {
	now := s.now()
	_, err1 := s.db.Exec(ctx, "DELETE FROM "+s.realm.sessions+" WHERE expires_at < ? OR last_seen_at < ?", now, now.Add(-s.opt.IdleTimeout))
	_, err2 := s.db.Exec(ctx, "DELETE FROM "+s.realm.resets+" WHERE expires_at < ?", now.Add(-24*time.Hour))
	_, err3 := s.db.Exec(ctx, "DELETE FROM login_attempts WHERE realm = ? AND at < ?", s.realm.Name, now.Add(-30*24*time.Hour))
	if err := errors.Join(err1, err2, err3); err != nil {
		return fmt.Errorf("auth: purge %s: %w", s.realm.Name, err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
