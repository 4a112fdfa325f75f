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

	// The client's needs, proposals, sessions, individual requests, training
	// plan, budgets and planning: read and changed only through the methods
	// taking the crm.Viewer that withViewer loads.
	Viewers        *crm.Viewers
	Requests       *crm.Requests
	Proposals      *crm.Proposals
	Bookings       *crm.Bookings
	Wishes         *crm.Wishes
	Employees      *crm.Employees
	Establishments *crm.Establishments // the company's departments, for the plan and budget forms
	Plans          *crm.Plans
	Budgets        *crm.Budgets
	CalendarFeeds  *crm.CalendarFeeds
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

	// Individual requests, training plan, budgets and planning; each page
	// loads the crm.Viewer (viewer.go) and is 404 outside its scope.
	app.Get("/wishes", in, h.wishList)
	app.Get("/wishes/new", in, h.wishForm)
	app.Post("/wishes", in, h.wishSubmit)
	app.Get("/wishes/:id<int>", in, h.wishShow)
	app.Post("/wishes/:id<int>/move", in, h.wishMove)
	app.Get("/plan", in, h.planShow)
	app.Post("/plan", in, h.planCreate)
	app.Get("/plan/:id<int>/diff", in, h.planDiff)
	app.Get("/plan/:id<int>/lines/new", in, h.planLineForm)
	app.Post("/plan/:id<int>/lines", in, h.planLineSave)
	app.Post("/plan/:id<int>/freeze", in, h.planFreeze)
	app.Post("/plan/:id<int>/reopen", in, h.planReopen)
	app.Get("/plan/lines/:line<int>/edit", in, h.planLineForm)
	app.Post("/plan/lines/:line<int>", in, h.planLineSave)
	app.Post("/plan/lines/:line<int>/remove", in, h.planLineRemove)
	app.Get("/budgets", in, h.budgetShow)
	app.Get("/budgets.csv", in, h.budgetExport)
	app.Post("/budgets/envelopes", in, h.budgetSave)
	app.Post("/budgets/envelopes/:id<int>", in, h.budgetSave)
	app.Get("/planning", in, h.planningShow)
	app.Post("/planning/feed", in, h.planningFeedCreate)
	app.Post("/planning/feed/revoke", in, h.planningFeedRevoke)
	// The private calendar feed: no session, the token in the path is the key.
	app.Get("/ics/:file", web.HidePath, h.planningFeed)

	// Last: a path this app serves only by another method (POST /requests/1
	// beside GET /requests/:id) is 404 like any unknown path, not 405.
	app.Use(func(*fiber.Ctx) error { return fiber.ErrNotFound })
	return app, nil
}
