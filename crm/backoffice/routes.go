package backoffice

import (
	"context"
	"log/slog"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// Deps are the services the back office calls.
type Deps struct {
	Auth        *auth.Service // the staff realm
	Audit       *audit.Log
	Clients     *crm.Clients
	Mailer      mailer.Sender
	Ping        func(ctx context.Context) error
	Secret      []byte
	PublicURL   string
	ProxyHeader string
	Logger      *slog.Logger
}

type handlers struct {
	Deps
	tpl   *web.Templates
	pages *web.AuthPages
}

// New builds the back-office app with every route.
func New(d Deps) (*fiber.App, error) {
	site, err := web.NewSite(web.Options{Name: "backoffice", Templates: templateFiles, Auth: d.Auth, Mailer: d.Mailer,
		Secret: d.Secret, PublicURL: d.PublicURL, ProxyHeader: d.ProxyHeader, Logger: d.Logger})
	if err != nil {
		return nil, err
	}
	h := &handlers{Deps: d, tpl: site.Templates, pages: site.Pages}
	app := site.App

	// Public.
	app.Get("/healthz", web.Healthz(d.Ping))
	app.Get("/login", h.pages.LoginForm)
	app.Post("/login", h.pages.Login)
	app.Get("/password/forgot", h.pages.ForgotForm)
	app.Post("/password/forgot", h.pages.Forgot)
	app.Get("/password/reset", h.pages.ResetForm)
	app.Post("/password/reset", h.pages.Reset)
	app.Post("/lang", h.pages.SetLanguage)

	// JSON API: bearer tokens only, never cookies.
	api := app.Group("/api/v1", h.bearer)
	api.Get("/me", h.apiMe)
	api.Get("/staff-users", web.RequireRole(auth.RoleAdmin), h.apiStaffUsers)
	api.Post("/staff-users", web.RequireRole(auth.RoleAdmin), h.apiStaffUserCreate)
	api.Get("/audit-events", web.RequireRole(auth.RoleAdmin), h.apiAuditEvents)
	api.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })

	// Staff pages; login is checked per route so that unknown paths stay 404.
	in, adm := web.RequireLogin, web.RequireRole(auth.RoleAdmin)
	app.Get("/", in, h.home)
	app.Post("/logout", in, h.pages.Logout)
	app.Get("/settings", in, h.settingsAccount)
	app.Post("/settings/password", in, h.settingsPassword)
	app.Get("/settings/tokens", in, h.tokenList)
	app.Post("/settings/tokens", in, h.tokenCreate)
	app.Post("/settings/tokens/:id/revoke", in, h.tokenRevoke)
	app.Get("/settings/users", in, adm, h.userList)
	app.Post("/settings/users", in, adm, h.userCreate)
	app.Post("/settings/users/:id/active", in, adm, h.userSetActive)
	app.Get("/settings/audit", in, adm, h.auditList)
	return app, nil
}
