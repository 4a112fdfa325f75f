// Package web is the Fiber plumbing both apps share: app settings,
// middleware (request ids and logs, security headers, sessions, language,
// CSRF), templates and the page model, the mapping of errors to pages and
// JSON, the stylesheet, and the login and password-reset pages.
//
// It knows identities (internal/auth) but no domain package: the apps
// (crm/backoffice, extranet) bring their own routes and templates.
package web

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
)

// Options configures an app built by NewSite.
type Options struct {
	Name        string        // "backoffice" or "extranet": logs and error pages
	Templates   fs.FS         // the app's templates/ folder: layout.html, partials/, pages/
	Auth        *auth.Service // the app's user realm
	Mailer      mailer.Sender // reset links and invitations
	Secret      []byte        // server key: CSRF tokens
	PublicURL   string        // base of e-mailed links; https:// means Secure cookies and HSTS
	ProxyHeader string        // header with the client IP behind a reverse proxy
	Logger      *slog.Logger
	BodyLimit   int
}

// Site is an app under construction: the Fiber app with its middleware, its
// parsed templates, and the shared login and password pages for its routes.
type Site struct {
	App       *fiber.App
	Templates *Templates
	Pages     *AuthPages
}

// NewSite parses the app's templates and returns a Fiber app with the
// middleware every page needs, in this order: panic recovery, request id,
// access log, security headers, static files, session, language, CSRF. The
// caller adds its routes.
func NewSite(o Options) (*Site, error) {
	tpl, err := ParseTemplates(o.Templates)
	if err != nil {
		return nil, fmt.Errorf("web: %s: %w", o.Name, err)
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.BodyLimit == 0 {
		o.BodyLimit = 32 << 20
	}
	secure := strings.HasPrefix(o.PublicURL, "https://")
	app := fiber.New(fiber.Config{
		// Fiber reuses request memory: values kept past a handler would
		// change under us without Immutable.
		Immutable:             true,
		AppName:               "courtier-" + o.Name,
		DisableStartupMessage: true,
		ErrorHandler:          errorHandler(o.Name, tpl, o.Logger),
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          120 * time.Second,
		IdleTimeout:           120 * time.Second,
		BodyLimit:             o.BodyLimit,
		ProxyHeader:           o.ProxyHeader,
	})
	app.Use(recover.New())
	app.Use(requestid.New())
	app.Use(accessLog(o.Logger, o.Name))
	app.Use(securityHeaders(secure))
	app.Get("/static/*", serveStatic)
	app.Use(loadSession(o.Auth))
	app.Use(language)
	app.Use(csrf(o.Secret, o.Auth.Realm().Cookie, secure))
	pages := &AuthPages{Auth: o.Auth, Templates: tpl, Mailer: o.Mailer, PublicURL: o.PublicURL, Home: "/", Secure: secure}
	return &Site{App: app, Templates: tpl, Pages: pages}, nil
}

// accessLog writes one structured line per request with its id.
func accessLog(log *slog.Logger, name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status = Classify(err) // the error handler has not written it yet
		}
		attrs := []any{"app", name, "request_id", c.Locals("requestid"), "method", c.Method(), "path", LoggedPath(c),
			"status", status, "ms", time.Since(start).Milliseconds(), "ip", c.IP()}
		if s := SessionOf(c); s != nil {
			attrs = append(attrs, "user", s.User.ID)
		}
		log.Info("request", attrs...)
		return err
	}
}

type hiddenPathKey struct{}

// HidePath keeps a route's secret parameters (a signed link's token) out of
// the logs: they show the route's pattern instead of the path.
func HidePath(c *fiber.Ctx) error {
	c.Locals(hiddenPathKey{}, true)
	return c.Next()
}

// LoggedPath is the request's path as logs may show it.
func LoggedPath(c *fiber.Ctx) string {
	if hidden, _ := c.Locals(hiddenPathKey{}).(bool); hidden {
		return c.Route().Path
	}
	return c.Path()
}

// securityHeaders forbids inline scripts and framing and keeps pages out of shared caches.
func securityHeaders(secure bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'")
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("X-Frame-Options", "DENY")
		c.Set("Referrer-Policy", "same-origin")
		c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		c.Set("Cache-Control", "no-store")
		if secure {
			c.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return c.Next()
	}
}

// Healthz answers 200 when the database answers; load balancers poll it.
func Healthz(ping func(ctx context.Context) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := ping(c.UserContext()); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
		}
		return c.JSON(fiber.Map{"status": "ok"})
	}
}
