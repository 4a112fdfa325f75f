package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const csrfKey = "csrf"

// errCSRF is the refusal of a request without a valid token; the error
// handler recognises it to say why.
var errCSRF = fiber.NewError(fiber.StatusForbidden, "invalid CSRF token")

// csrf protects every unsafe request outside /api/ (which takes bearer
// tokens, never cookies). A random per-browser cookie plus the session cookie
// are signed with the server key; forms carry the signature in _csrf (or
// scripts in X-CSRF-Token). Binding to the session cookie means a token seen
// before login is worthless after it, and one planted cookie forges nothing.
func csrf(secret []byte, sessionCookie string, secure bool) fiber.Handler {
	cookieName := sessionCookie + "_csrf"
	return func(c *fiber.Ctx) error {
		seed := c.Cookies(cookieName)
		if len(seed) < 32 {
			b := make([]byte, 32)
			rand.Read(b)
			seed = base64.RawURLEncoding.EncodeToString(b)
			c.Cookie(&fiber.Cookie{Name: cookieName, Value: seed, Path: "/", HTTPOnly: true, Secure: secure, SameSite: fiber.CookieSameSiteLaxMode})
		}
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(cookieName + "|" + seed + "|" + c.Cookies(sessionCookie)))
		want := base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
		c.Locals(csrfKey, want)
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
			return c.Next()
		}
		if strings.HasPrefix(c.Path(), "/api/") {
			return c.Next()
		}
		got := c.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("_csrf")
		}
		if !hmac.Equal([]byte(got), []byte(want)) {
			return errCSRF
		}
		return c.Next()
	}
}

// CSRFToken returns the token to put in the request's forms.
func CSRFToken(c *fiber.Ctx) string {
	s, _ := c.Locals(csrfKey).(string)
	return s
}
