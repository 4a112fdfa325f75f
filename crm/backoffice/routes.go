package backoffice

import (
	"context"
	"log/slog"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// Deps are the services the back office calls.
type Deps struct {
	Auth           *auth.Service // the staff realm
	Audit          *audit.Log
	Clients        *crm.Clients
	Establishments *crm.Establishments
	Contacts       *crm.Contacts
	Employees      *crm.Employees
	Providers      *crm.Providers
	Courses        *crm.Courses
	Search         *crm.Searcher
	Shortlists     *crm.Shortlists
	Timeline       *crm.Timeline
	Tasks          *crm.Tasks
	Calls          *crm.Calls
	Mail           *crm.Mail
	Mailboxes      *crm.Mailboxes
	Requests       *crm.Requests
	Consultations  *crm.Consultations
	Proposals      *crm.Proposals
	Bookings       *crm.Bookings
	Paperwork      *crm.Paperwork
	Plans          *crm.Plans // clients' training plans (read)
	// Client users are invited from the client page: the extranet realm,
	// their scopes and the extranet's public URL for the e-mailed link.
	ExtranetAuth *auth.Service
	Viewers      *crm.Viewers
	ExtranetURL  string
	Budgets      *crm.Budgets // clients' budget envelopes and figures (read)
	Broker       *crm.Broker
	Blobs        documents.Blobs
	Documents    *documents.Service
	// SyncMailbox syncs one mailbox now and summarises what it did.
	SyncMailbox func(ctx context.Context, id int64) (string, error)
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
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	// Document uploads may need more than the default request size limit.
	bodyLimit := defaultBodyLimit
	if d.Documents != nil {
		bodyLimit = uploadBodyLimit(d.Documents.MaxSize())
	}
	site, err := web.NewSite(web.Options{Name: "backoffice", Templates: templateFiles, Auth: d.Auth, Mailer: d.Mailer,
		Secret: d.Secret, PublicURL: d.PublicURL, ProxyHeader: d.ProxyHeader, Logger: d.Logger, BodyLimit: bodyLimit})
	if err != nil {
		return nil, err
	}
	h := &handlers{Deps: d, tpl: site.Templates, pages: site.Pages}
	app := site.App
	if bodyLimit > defaultBodyLimit {
		app.Use(limitOtherBodies)
	}

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
	// CRM records.
	api.Get("/clients", h.apiClientList)
	api.Post("/clients", h.apiClientCreate)
	api.Get("/clients/:id", h.apiClientGet)
	api.Put("/clients/:id", h.apiClientUpdate)
	api.Get("/clients/:id/establishments", h.apiEstablishmentList)
	api.Post("/clients/:id/establishments", h.apiEstablishmentCreate)
	api.Put("/clients/:id/establishments/:eid", h.apiEstablishmentUpdate)
	api.Get("/clients/:id/departments", h.apiDepartmentList)
	api.Post("/clients/:id/departments", h.apiDepartmentCreate)
	api.Get("/clients/:id/contacts", h.apiClientContactList)
	api.Post("/clients/:id/contacts", h.apiClientContactCreate)
	api.Get("/clients/:id/employees", h.apiEmployeeList)
	api.Put("/clients/:id/employees/:external_id", h.apiEmployeeUpsert)
	api.Post("/clients/:id/employees/import", h.apiEmployeeImport)
	api.Get("/contacts", h.apiContactList)
	api.Get("/contacts/:id", h.apiContactGet)
	api.Put("/contacts/:id", h.apiContactUpdate)
	// Providers, their courses, the matching search and shortlists.
	api.Get("/providers", h.apiProviderList)
	api.Post("/providers", h.apiProviderCreate)
	api.Get("/providers/search", h.apiProviderSearch)
	api.Post("/providers/import", h.apiProviderImport)
	api.Get("/providers/:id", h.apiProviderGet)
	api.Put("/providers/:id", h.apiProviderUpdate)
	api.Post("/providers/:id/contacts", h.apiProviderContactCreate)
	api.Get("/providers/:id/courses", h.apiCourseList)
	api.Post("/providers/:id/courses", h.apiCourseCreate)
	api.Post("/courses/import", h.apiCourseImport)
	api.Get("/courses/:id", h.apiCourseGet)
	api.Put("/courses/:id", h.apiCourseUpdate)
	api.Get("/shortlist", h.apiShortlistList)
	api.Post("/shortlist", h.apiShortlistAdd)
	api.Delete("/shortlist/:id", h.apiShortlistRemove)
	api.Get("/timeline", h.apiTimelineList)
	api.Post("/timeline", h.apiTimelineCreate)
	api.Post("/timeline/:id/links", h.apiTimelineLink)
	api.Get("/tasks", h.apiTaskList)
	api.Post("/tasks", h.apiTaskCreate)
	api.Post("/tasks/:id/done", h.apiTaskDone(true))
	api.Post("/tasks/:id/undone", h.apiTaskDone(false))
	api.Get("/calls", h.apiCallList)
	api.Post("/calls", h.apiCallLog)
	api.Get("/calls/triage", h.apiCallTriage)
	api.Post("/calls/:id/assign", h.apiCallAssign)
	api.Post("/calls/:id/dismiss", h.apiCallDismiss)
	api.Get("/mail/triage", h.apiMailTriage)
	api.Post("/mail/send", h.apiMailSend)
	api.Get("/mail/:id", h.apiMailGet)
	api.Get("/mail/:id/raw", h.apiMailRaw)
	api.Post("/mail/:id/resolve", h.apiMailResolve)
	api.Post("/mail/:id/dismiss", h.apiMailDismiss)
	api.Get("/mailboxes", web.RequireRole(auth.RoleAdmin), h.apiMailboxList)
	api.Post("/mailboxes", web.RequireRole(auth.RoleAdmin), h.apiMailboxCreate)
	api.Put("/mailboxes/:id", web.RequireRole(auth.RoleAdmin), h.apiMailboxUpdate)
	api.Post("/mailboxes/:id/sync", web.RequireRole(auth.RoleAdmin), h.apiMailboxSync)
	// From need to session: requests and their tracks, consultations of
	// providers, proposals to the client, bookings and attendance.
	api.Get("/pipeline", h.apiPipeline)
	api.Get("/requests", h.apiRequestList)
	api.Post("/requests", h.apiRequestCreate)
	api.Get("/requests/waiting", h.apiWaiting)
	api.Get("/requests/:id", h.apiRequestGet)
	api.Put("/requests/:id", h.apiRequestUpdate)
	api.Post("/requests/:id/advance", h.apiRequestAdvance)
	api.Get("/requests/:id/consultations", h.apiConsultationList)
	api.Post("/requests/:id/consultations", h.apiConsultationCreate)
	api.Get("/requests/:id/comparison", h.apiComparison)
	api.Post("/requests/:id/not-retained", h.apiNotRetained)
	api.Get("/requests/:id/proposals", h.apiProposalList)
	api.Post("/requests/:id/proposals", h.apiProposalCreate)
	api.Get("/consultations/unanswered", h.apiConsultationUnanswered)
	api.Get("/consultations/:id", h.apiConsultationGet)
	api.Get("/consultations/:id/programme", h.apiConsultationProgramme)
	api.Post("/consultations/:id/answer", h.apiConsultationAnswer)
	api.Post("/consultations/:id/decline", h.apiConsultationDecline)
	api.Post("/consultations/:id/remind", h.apiConsultationRemind)
	api.Post("/consultations/:id/retain", h.apiConsultationRetain(true))
	api.Post("/consultations/:id/unretain", h.apiConsultationRetain(false))
	api.Get("/proposals/:id", h.apiProposalGet)
	api.Post("/proposals/:id/send", h.apiProposalSend)
	api.Post("/proposals/:id/accept", h.apiProposalAccept)
	api.Post("/proposals/:id/decline", h.apiProposalDecline)
	api.Get("/bookings", h.apiBookingList)
	api.Post("/bookings", h.apiBookingCreate)
	api.Get("/bookings/:id", h.apiBookingGet)
	api.Post("/bookings/:id/confirm", h.apiBookingConfirm)
	api.Post("/bookings/:id/cancel", h.apiBookingCancel)
	api.Get("/bookings/:id/attendance", h.apiAttendanceGet)
	api.Put("/bookings/:id/attendance", h.apiAttendancePut)
	api.Put("/bookings/:id/rating", h.apiBookingRate)
	api.Post("/bookings/:id/documents", h.apiBookingDocuments)
	api.Get("/bookings/:id/certificates", h.apiBookingCertificates)
	api.Post("/proposals/:id/documents", h.apiProposalDocument)
	api.Get("/clients/:id/extranet-users", h.apiExtranetUsers)
	api.Post("/clients/:id/extranet-users", h.apiExtranetUserCreate)
	api.Get("/clients/:id/plans", h.apiPlans)
	api.Get("/clients/:id/plans/:year", h.apiPlanYear)
	api.Get("/clients/:id/budgets", h.apiBudgets)
	api.Get("/clients/:id/document-style", h.apiDocumentStyleGet)
	api.Put("/clients/:id/document-style", h.apiDocumentStylePut)
	api.Get("/settings/broker", h.apiBrokerGet)
	api.Put("/settings/broker", web.RequireRole(auth.RoleAdmin), h.apiBrokerPut)
	// Documents: upload (multipart), search, versions, tags, links, sharing.
	api.Get("/documents", h.apiDocumentList)
	api.Post("/documents", h.apiDocumentUpload)
	api.Get("/documents/:id", h.apiDocumentGet)
	api.Delete("/documents/:id", h.apiDocumentDelete)
	api.Get("/documents/:id/versions", h.apiDocumentVersions)
	api.Post("/documents/:id/versions", h.apiDocumentAddVersion)
	api.Get("/documents/:id/download", h.apiDocumentDownload)
	api.Get("/documents/:id/compare", h.apiDocumentCompare)
	api.Put("/documents/:id/tags", h.apiDocumentTags)
	api.Post("/documents/:id/links", h.apiDocumentLink)
	api.Delete("/documents/:id/links/:type/:rid", h.apiDocumentUnlink)
	api.Post("/documents/:id/share", h.apiDocumentShare)
	api.Post("/documents/:id/unshare", h.apiDocumentUnshare)
	api.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })

	// Staff pages; login is checked per route so that unknown paths stay 404.
	in, adm := web.RequireLogin, web.RequireRole(auth.RoleAdmin)
	app.Get("/", in, h.home)
	app.Post("/logout", in, h.pages.Logout)

	// Clients, their establishments, departments and employees.
	app.Get("/clients", in, h.clientList)
	app.Get("/clients.csv", in, h.clientExport)
	app.Get("/clients/new", in, h.clientNew)
	app.Post("/clients", in, h.clientCreate)
	app.Get("/clients/:id", in, h.clientShow)
	app.Get("/clients/:id/edit", in, h.clientEdit)
	app.Post("/clients/:id", in, h.clientUpdate)
	app.Get("/clients/:id/establishments/new", in, h.establishmentNew)
	app.Post("/clients/:id/establishments", in, h.establishmentSave)
	app.Get("/clients/:id/establishments/:eid/edit", in, h.establishmentEdit)
	app.Post("/clients/:id/establishments/:eid", in, h.establishmentSave)
	app.Post("/clients/:id/departments", in, h.departmentCreate)
	app.Post("/clients/:id/document-style", in, h.clientDocumentStyle)
	app.Post("/clients/:id/extranet-users", in, h.extranetUserCreate)
	app.Post("/clients/:id/employees/import", in, h.employeeImport)
	app.Post("/clients/:id/employees/rejects.csv", in, h.employeeRejects)

	// Contacts of clients and providers.
	app.Get("/clients/:id/contacts/new", in, h.contactNew(crm.RecordClient))
	app.Post("/clients/:id/contacts", in, h.contactCreate(crm.RecordClient))
	app.Get("/providers/:id/contacts/new", in, h.contactNew(crm.RecordProvider))
	app.Post("/providers/:id/contacts", in, h.contactCreate(crm.RecordProvider))
	app.Get("/contacts", in, h.contactList)
	app.Get("/contacts.csv", in, h.contactExport)
	app.Get("/contacts/:id", in, h.contactShow)
	app.Get("/contacts/:id/edit", in, h.contactEdit)
	app.Post("/contacts/:id", in, h.contactUpdate)

	// Providers, their courses, the imports of the public list and of
	// catalogues, the matching search and each user's shortlist.
	app.Get("/providers", in, h.providerList)
	app.Get("/providers/new", in, h.providerNew)
	app.Post("/providers", in, h.providerCreate)
	app.Get("/providers/import", in, h.providerImportForm)
	app.Post("/providers/import", in, h.providerImport)
	app.Post("/providers/import/courses", in, h.courseImport)
	app.Post("/providers/import/rejects.csv", in, h.importRejects)
	app.Get("/providers/:id", in, h.providerShow)
	app.Get("/providers/:id/edit", in, h.providerEdit)
	app.Post("/providers/:id", in, h.providerUpdate)
	app.Get("/providers/:id/courses/new", in, h.courseNew)
	app.Post("/providers/:id/courses", in, h.courseSave)
	app.Get("/providers/:id/courses/:cid/edit", in, h.courseEdit)
	app.Post("/providers/:id/courses/:cid", in, h.courseSave)
	app.Get("/search", in, h.providerSearch)
	app.Get("/shortlist", in, h.shortlistList)
	app.Post("/shortlist", in, h.shortlistAdd)
	app.Post("/shortlist/:id/remove", in, h.shortlistRemove)

	// Requests: a client's need and its tracks, the consultations of
	// providers and their answers, proposals to the client, and the booked
	// sessions with their attendance. Fixed paths come before /:id.
	app.Get("/requests", in, h.requestList)
	app.Get("/requests/new", in, h.requestNew)
	app.Get("/requests/pipeline", in, h.requestPipeline)
	app.Get("/requests/waiting", in, h.requestWaiting)
	app.Post("/requests", in, h.requestCreate)
	app.Get("/requests/:id", in, h.requestShow)
	app.Get("/requests/:id/edit", in, h.requestEdit)
	app.Post("/requests/:id", in, h.requestUpdate)
	app.Post("/requests/:id/advance", in, h.requestAdvance)
	app.Post("/requests/:id/not-retained", in, h.consultationNotify)
	app.Get("/requests/:id/proposals/new", in, h.proposalNew)
	app.Post("/requests/:id/proposals", in, h.proposalCreate)
	app.Post("/shortlist/consult", in, h.consultationCreate)
	app.Get("/consultations", in, h.consultationUnanswered)
	app.Get("/consultations/:id", in, h.consultationShow)
	app.Get("/consultations/:id/answer", in, h.consultationAnswerForm)
	app.Post("/consultations/:id/answer", in, h.consultationAnswer)
	app.Post("/consultations/:id/decline", in, h.consultationDecline)
	app.Post("/consultations/:id/remind", in, h.consultationRemind)
	app.Post("/consultations/:id/retain", in, h.consultationRetain)
	app.Get("/proposals/:id", in, h.proposalShow)
	app.Post("/proposals/:id/send", in, h.proposalSend)
	app.Post("/proposals/:id/accept", in, h.proposalDecide(true))
	app.Post("/proposals/:id/decline", in, h.proposalDecide(false))
	app.Get("/proposals/:id/bookings/new", in, h.bookingNew)
	app.Post("/proposals/:id/bookings", in, h.bookingCreate)
	app.Get("/bookings/:id", in, h.bookingShow)
	app.Post("/bookings/:id/confirm", in, h.bookingConfirm)
	app.Post("/bookings/:id/cancel", in, h.bookingCancel)
	app.Post("/bookings/:id/attendance", in, h.bookingAttendance)
	app.Post("/bookings/:id/rate", in, h.bookingRate)
	app.Post("/bookings/:id/documents", in, h.bookingGenerate)
	app.Post("/proposals/:id/documents", in, h.proposalQuotation)

	// History, tasks and calls, on every record page and on their own.
	app.Get("/history", in, h.history)
	app.Post("/timeline", in, h.entryCreate)
	app.Get("/tasks", in, h.taskList)
	app.Post("/tasks", in, h.taskCreate)
	app.Post("/tasks/:id/done", in, h.taskDone(true))
	app.Post("/tasks/:id/undone", in, h.taskDone(false))
	app.Post("/calls", in, h.callLog)
	app.Get("/calls/triage", in, h.callTriage)
	app.Post("/calls/:id/assign", in, h.callAssign)
	app.Post("/calls/:id/dismiss", in, h.callDismiss)

	// E-mail: messages, triage, sending from a contact's page.
	app.Get("/mail/triage", in, h.mailTriage)
	app.Get("/mail/:id", in, h.mailShow)
	app.Get("/mail/:id/raw", in, h.mailRaw)
	app.Get("/mail/:id/attachments/:aid", in, h.mailAttachment)
	app.Post("/mail/:id/resolve", in, h.mailResolve)
	app.Post("/mail/:id/dismiss", in, h.mailDismiss)
	app.Get("/timeline/:id/mail", in, h.mailOfEntry)
	app.Post("/contacts/:id/mail", in, h.contactMail)

	// Documents: the store's list and search, uploads, each document's page
	// with its versions, tags, links, sharing with the client and downloads.
	app.Get("/documents", in, h.documentList)
	app.Get("/documents/upload", in, h.documentNew)
	app.Post("/documents/upload", in, h.documentUpload)
	app.Get("/documents/:id", in, h.documentShow)
	app.Get("/documents/:id/download", in, h.documentDownload)
	app.Post("/documents/:id/versions", in, h.documentAddVersion)
	app.Post("/documents/:id/tags", in, h.documentTags)
	app.Post("/documents/:id/links", in, h.documentLink)
	app.Post("/documents/:id/links/remove", in, h.documentUnlink)
	app.Post("/documents/:id/share", in, h.documentShare)
	app.Post("/documents/:id/unshare", in, h.documentUnshare)
	app.Post("/documents/:id/delete", in, h.documentDelete)

	// Settings.
	app.Get("/settings", in, h.settingsAccount)
	app.Post("/settings/password", in, h.settingsPassword)
	app.Get("/settings/tokens", in, h.tokenList)
	app.Post("/settings/tokens", in, h.tokenCreate)
	app.Post("/settings/tokens/:id/revoke", in, h.tokenRevoke)
	app.Get("/settings/users", in, adm, h.userList)
	app.Post("/settings/users", in, adm, h.userCreate)
	app.Post("/settings/users/:id/active", in, adm, h.userSetActive)
	app.Get("/settings/audit", in, adm, h.auditList)
	app.Get("/settings/broker", in, adm, h.brokerShow)
	app.Post("/settings/broker", in, adm, h.brokerSave)
	app.Post("/settings/broker/logo", in, adm, h.brokerLogo)
	app.Get("/logos/:sum", in, h.logoImage)
	app.Get("/settings/mailboxes", in, adm, h.mailboxList)
	app.Post("/settings/mailboxes", in, adm, h.mailboxSave)
	app.Get("/settings/mailboxes/:id", in, adm, h.mailboxEdit)
	app.Post("/settings/mailboxes/:id", in, adm, h.mailboxSave)
	app.Post("/settings/mailboxes/:id/sync", in, adm, h.mailboxSync)
	return app, nil
}
