package web

import (
	"net/url"
	"strings"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/gofiber/fiber/v2"
)

const sessionKey = "session"

// loadSession puts the live session of the realm's cookie (if any) in the
// request, and its user as the audit actor of the request context.
func loadSession(svc *auth.Service) fiber.Handler {
	realm := svc.Realm()
	return func(c *fiber.Ctx) error {
		c.SetUserContext(audit.WithActor(c.UserContext(), audit.Actor{Kind: realm.Name, IP: c.IP()}))
		if token := c.Cookies(realm.Cookie); token != "" {
			if s, err := svc.Authenticate(c.UserContext(), token); err == nil {
				SetSession(c, &s, realm.Name)
			}
		}
		return c.Next()
	}
}

// SetSession makes s the request's session and its user the audit actor
// (of kind actorKind: the realm, or "api" for a token).
func SetSession(c *fiber.Ctx, s *auth.Session, actorKind string) {
	c.Locals(sessionKey, s)
	c.SetUserContext(audit.WithActor(c.UserContext(), audit.Actor{Kind: actorKind, ID: s.User.ID, Label: s.User.Email, IP: c.IP()}))
}

// SessionOf returns the request's session, or nil when nobody is logged in.
func SessionOf(c *fiber.Ctx) *auth.Session {
	s, _ := c.Locals(sessionKey).(*auth.Session)
	return s
}

// RequireLogin sends anonymous visitors to the login page, remembering where they were going.
func RequireLogin(c *fiber.Ctx) error {
	if SessionOf(c) == nil {
		next := c.OriginalURL()
		return c.Redirect("/login?next="+url.QueryEscape(next), fiber.StatusSeeOther)
	}
	return c.Next()
}

// RequireRole lets through only users having one of the roles; others get 403.
func RequireRole(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := SessionOf(c)
		if s == nil {
			return fiber.ErrUnauthorized
		}
		for _, r := range roles {
			if s.User.Role == r {
				return c.Next()
			}
		}
		return fiber.ErrForbidden
	}
}

// localPath keeps only same-site paths, so ?next= cannot send a user elsewhere.
func localPath(p, fallback string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return fallback
	}
	return p
}
