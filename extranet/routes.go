package extranet

import (
	"context"
	"log/slog"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// Deps are the services the extranet calls.
type Deps struct {
	Auth        *auth.Service // the extranet realm
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

// New builds the extranet app with every route.
func New(d Deps) (*fiber.App, error) {
	tpl, err := web.ParseTemplates(templates())
	if err != nil {
		return nil, err
	}
	secure := web.IsSecure(d.PublicURL)
	h := &handlers{Deps: d, tpl: tpl, pages: &web.AuthPages{Auth: d.Auth, Templates: tpl, Mailer: d.Mailer,
		PublicURL: d.PublicURL, Home: "/", Secure: secure}}
	app := web.NewApp(web.Options{Name: "extranet", Templates: tpl, Auth: d.Auth, Secret: d.Secret,
		Secure: secure, ProxyHeader: d.ProxyHeader, Logger: d.Logger})

	// Public.
	app.Get("/healthz", web.Healthz(func(c *fiber.Ctx) error { return d.Ping(c.UserContext()) }))
	app.Get("/login", h.pages.LoginForm)
	app.Post("/login", h.pages.Login)
	app.Get("/password/forgot", h.pages.ForgotForm)
	app.Post("/password/forgot", h.pages.Forgot)
	app.Get("/password/reset", h.pages.ResetForm)
	app.Post("/password/reset", h.pages.Reset)
	app.Post("/lang", h.pages.SetLanguage)

	// Client pages; login is checked per route so that unknown paths stay 404.
	in := web.RequireLogin
	app.Get("/", in, h.dashboard)
	app.Post("/logout", in, h.pages.Logout)
	return app, nil
}
