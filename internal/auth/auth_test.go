package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newStaff(t *testing.T, d *db.DB) (*auth.Service, *clock, auth.User) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	s := auth.New(d, auth.Staff, auth.Options{Now: c.Now})
	u, err := s.CreateUser(context.Background(), auth.NewUser{Email: " Claire.Moreau@Courtier.test ", Name: "Claire Moreau", Role: auth.RoleAdmin, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return s, c, u
}

func TestPasswordHash(t *testing.T) {
	h, err := auth.HashPassword("un mot de passe à rallonge")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Errorf("hash %q is not argon2id", h)
	}
	if !auth.CheckPassword(h, "un mot de passe à rallonge") || auth.CheckPassword(h, "un mot de passe a rallonge") {
		t.Error("password check wrong")
	}
	if auth.CheckPassword("", "") {
		t.Error("empty hash matched")
	}
	if _, err := auth.HashPassword("court"); !errors.Is(err, auth.ErrWeakPassword) {
		t.Errorf("short password: got %v", err)
	}
}

func TestLoginLogout(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _, u := newStaff(t, d)
		if u.Email != "claire.moreau@courtier.test" {
			t.Errorf("email not normalised: %q", u.Email)
		}
		if _, _, err := s.Login(ctx, u.Email, "wrong password!", "10.0.0.1", "test"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("wrong password: got %v", err)
		}
		if _, _, err := s.Login(ctx, "nobody@courtier.test", "correct horse battery", "10.0.0.1", "test"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("unknown user: got %v", err)
		}
		sess, token, err := s.Login(ctx, "CLAIRE.MOREAU@courtier.test", "correct horse battery", "10.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Authenticate(ctx, token)
		if err != nil || got.User.ID != u.ID || got.ID != sess.ID {
			t.Fatalf("authenticate: %v %+v", err, got)
		}
		var stored int
		d.Get(ctx, &stored, "SELECT COUNT(*) FROM staff_sessions WHERE id = ?", token)
		if stored != 0 {
			t.Error("the session table holds the cookie value itself, want only its hash")
		}
		if err := s.Logout(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, token); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("after logout: got %v, want ErrNotFound", err)
		}
		var actions []string
		d.Select(ctx, &actions, "SELECT action FROM audit_events ORDER BY id")
		want := "staff_user.create login.failed login.failed login logout"
		if strings.Join(actions, " ") != want {
			t.Errorf("audit: got %v, want %s", actions, want)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, c, u := newStaff(t, d)
		_, token, err := s.Login(ctx, u.Email, "correct horse battery", "", "")
		if err != nil {
			t.Fatal(err)
		}
		// Used every hour: the idle deadline moves, the absolute one does not.
		for range 11 {
			c.Add(time.Hour)
			if _, err := s.Authenticate(ctx, token); err != nil {
				t.Fatalf("at %v: %v", c.Now(), err)
			}
		}
		c.Add(61 * time.Minute)
		if _, err := s.Authenticate(ctx, token); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("after max age: got %v, want ErrNotFound", err)
		}
		_, token, _ = s.Login(ctx, u.Email, "correct horse battery", "", "")
		c.Add(2*time.Hour + time.Second)
		if _, err := s.Authenticate(ctx, token); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("after idle timeout: got %v, want ErrNotFound", err)
		}
		_, token, _ = s.Login(ctx, u.Email, "correct horse battery", "", "")
		if err := s.SetActive(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, token); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("disabled user: got %v, want ErrNotFound", err)
		}
		if _, _, err := s.Login(ctx, u.Email, "correct horse battery", "", ""); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("disabled user login: got %v", err)
		}
	})
}

func TestThrottling(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, c, u := newStaff(t, d)
		for i := range 5 {
			if _, _, err := s.Login(ctx, u.Email, "guess number "+string(rune('a'+i)), "192.0.2.7", ""); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		// Locked now, even with the right password, from any IP.
		if _, _, err := s.Login(ctx, u.Email, "correct horse battery", "198.51.100.1", ""); !errors.Is(err, auth.ErrThrottled) {
			t.Errorf("6th attempt: got %v, want ErrThrottled", err)
		}
		c.Add(16 * time.Minute)
		if _, _, err := s.Login(ctx, u.Email, "correct horse battery", "198.51.100.1", ""); err != nil {
			t.Errorf("after the window: %v", err)
		}
		// Per IP: 30 failures over many accounts lock the IP, not other IPs.
		for i := range 30 {
			s.Login(ctx, "spray"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@x.test", "whatever pass", "203.0.113.9", "")
		}
		if _, _, err := s.Login(ctx, u.Email, "correct horse battery", "203.0.113.9", ""); !errors.Is(err, auth.ErrThrottled) {
			t.Errorf("sprayed IP: got %v, want ErrThrottled", err)
		}
		if _, _, err := s.Login(ctx, u.Email, "correct horse battery", "198.51.100.2", ""); err != nil {
			t.Errorf("other IP: %v", err)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, c, u := newStaff(t, d)
		_, oldSession, _ := s.Login(ctx, u.Email, "correct horse battery", "", "")
		if _, _, err := s.StartReset(ctx, "unknown@courtier.test", 0); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("unknown e-mail: got %v", err)
		}
		_, token, err := s.StartReset(ctx, u.Email, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CheckReset(ctx, token+"x"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("tampered link: got %v", err)
		}
		if _, err := s.CompleteReset(ctx, token, "short"); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("short password: got %v", err)
		}
		if _, err := s.CompleteReset(ctx, token, "a brand new passphrase"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CompleteReset(ctx, token, "yet another passphrase"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("reused link: got %v, want ErrNotFound", err)
		}
		if _, err := s.Authenticate(ctx, oldSession); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("old session survived the reset: %v", err)
		}
		if _, _, err := s.Login(ctx, u.Email, "a brand new passphrase", "", ""); err != nil {
			t.Errorf("login with new password: %v", err)
		}
		_, token, _ = s.StartReset(ctx, u.Email, 0)
		c.Add(61 * time.Minute)
		if _, err := s.CompleteReset(ctx, token, "too late passphrase"); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("expired link: got %v, want ErrNotFound", err)
		}
	})
}

func TestAPITokens(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, _, u := newStaff(t, d)
		plain, tok, err := s.CreateToken(ctx, u.ID, "ERP")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(plain, "ctr_") || tok.Prefix != plain[:12] {
			t.Errorf("token %q prefix %q", plain, tok.Prefix)
		}
		if got, _, err := s.AuthenticateToken(ctx, plain); err != nil || got.ID != u.ID {
			t.Errorf("valid token: %v", err)
		}
		for _, bad := range []string{"", "ctr_wrong", plain + "x", "Bearer " + plain} {
			if _, _, err := s.AuthenticateToken(ctx, bad); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("token %q: got %v, want ErrNotFound", bad, err)
			}
		}
		if err := s.RevokeToken(ctx, u.ID+1, tok.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("revoke by another user: got %v", err)
		}
		if err := s.RevokeToken(ctx, u.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.AuthenticateToken(ctx, plain); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("revoked token: got %v, want ErrNotFound", err)
		}
	})
}

// A staff session cookie means nothing to the extranet realm, and vice versa.
func TestRealmsAreSealed(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		staff, _, u := newStaff(t, d)
		ext := auth.New(d, auth.Extranet, auth.Options{})
		var clientID int64
		now := time.Now().UTC()
		d.ExecReturning(ctx, &clientID, "INSERT INTO clients (legal_name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id", "Transports Morel", now, now)
		if _, err := ext.CreateUser(ctx, auth.NewUser{ClientID: clientID, Email: u.Email, Name: "Same address", Role: auth.RoleAdmin, Password: "correct horse battery"}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("staff role in extranet realm: got %v", err)
		}
		eu, err := ext.CreateUser(ctx, auth.NewUser{ClientID: clientID, Email: u.Email, Name: "Same address", Role: auth.RoleHRAdmin, Password: "another secret pass"})
		if err != nil {
			t.Fatal(err)
		}
		_, staffToken, _ := staff.Login(ctx, u.Email, "correct horse battery", "", "")
		_, extToken, err := ext.Login(ctx, u.Email, "another secret pass", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ext.Authenticate(ctx, staffToken); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("staff session accepted by extranet: %v", err)
		}
		if _, err := staff.Authenticate(ctx, extToken); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("extranet session accepted by staff: %v", err)
		}
		if s, err := ext.Authenticate(ctx, extToken); err != nil || s.User.ClientID != clientID || s.User.ID != eu.ID {
			t.Errorf("extranet session: %v %+v", err, s.User)
		}
	})
}
