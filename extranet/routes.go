package extranet

import (
	"context"
	"log/slog"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// Deps are the services the extranet calls.
type Deps struct {
	Auth    *auth.Service // the extranet realm
	Clients *crm.Clients
	// Consultations serves the answer form providers reach by their link.
	Consultations *crm.Consultations
	Mailer        mailer.Sender
	Ping          func(ctx context.Context) error
	Secret        []byte
	PublicURL     string
	ProxyHeader   string
	Logger        *slog.Logger
	// Documents serves the documents shared with the user's company.
	Documents *documents.Service

	// The client's needs, proposals and sessions, read and changed only
	// through their ...For methods with the viewer withViewer loads.
	Viewers   *crm.Viewers
	Requests  *crm.Requests
	Proposals *crm.Proposals
	Bookings  *crm.Bookings
	Wishes    *crm.Wishes // the dashboard counts those awaiting the user
}

type handlers struct {
	Deps
	tpl   *web.Templates
	pages *web.AuthPages
}

// New builds the extranet app with every route.
func New(d Deps) (*fiber.App, error) {
	site, err := web.NewSite(web.Options{Name: "extranet", Templates: templateFiles, Auth: d.Auth, Mailer: d.Mailer,
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
	// The answer form of the providers consulted, reached by the signed link
	// of their mail; no account (see answer_form.go).
	app.Get("/reponse/merci", h.answerThanks)
	app.Get("/reponse/:token", web.HidePath, h.answerForm)
	app.Post("/reponse/:token", web.HidePath, h.answerSave)
	app.Post("/reponse/:token/decline", web.HidePath, h.answerDecline)

	// Client pages; login is checked per route so that unknown paths stay 404.
	in := web.RequireLogin
	app.Get("/", in, h.withViewer, h.dashboard)
	app.Post("/logout", in, h.pages.Logout)
	// The documents staff shared with the user's company, and their downloads.
	app.Get("/documents", in, h.documentList)
	app.Get("/documents/:id/download", in, h.documentDownload)
	// The company's needs and the broker's proposals, as the viewer may see
	// them (crm.Viewer): out of scope is 404, an action the role may not take 403.
	app.Get("/requests", in, h.withViewer, h.requestList)
	app.Get("/requests/new", in, h.withViewer, h.requestForm)
	app.Post("/requests", in, h.withViewer, h.requestCreate)
	app.Get("/requests/:id", in, h.withViewer, h.requestShow)
	app.Get("/proposals", in, h.withViewer, h.proposalList)
	app.Get("/proposals/:id", in, h.withViewer, h.proposalShow)
	app.Post("/proposals/:id/accept", in, h.withViewer, h.proposalAccept)
	app.Post("/proposals/:id/decline", in, h.withViewer, h.proposalDecline)

	// Last: a path this app serves only by another method (POST /requests/1
	// beside GET /requests/:id) is 404 like any unknown path, not 405.
	app.Use(func(*fiber.Ctx) error { return fiber.ErrNotFound })
	return app, nil
}
