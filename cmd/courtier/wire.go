package main

import (
	"context"
	"net/mail"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/backoffice"
	"github.com/courtier-crm/courtier/crm/mailsync"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/secretbox"
)

// services are the domain services every command may need, built once.
type services struct {
	db             *db.DB
	secret         []byte
	sender         mailer.Sender
	blobs          documents.Blobs
	clients        *crm.Clients
	establishments *crm.Establishments
	contacts       *crm.Contacts
	employees      *crm.Employees
	providers      *crm.Providers
	courses        *crm.Courses
	searcher       *crm.Searcher
	shortlists     *crm.Shortlists
	timeline       *crm.Timeline
	tasks          *crm.Tasks
	calls          *crm.Calls
	mailboxes      *crm.Mailboxes
	mail           *crm.Mail
	syncer         *mailsync.Syncer
	requests       *crm.Requests
	consultations  *crm.Consultations
	proposals      *crm.Proposals
	bookings       *crm.Bookings
	documents      *documents.Service
	broker         *crm.Broker
	paperwork      *crm.Paperwork
	// The extranet's individual requests, plans, budgets and calendar feeds.
	viewers       *crm.Viewers
	wishes        *crm.Wishes
	plans         *crm.Plans
	budgets       *crm.Budgets
	calendarFeeds *crm.CalendarFeeds
}

// openServices opens the database (migrating it) and builds the services.
func (e *env) openServices(ctx context.Context) (*services, error) {
	d, err := e.openDB(ctx)
	if err != nil {
		return nil, err
	}
	s, err := e.buildServices(d)
	if err != nil {
		d.Close()
		return nil, err
	}
	return s, nil
}

func (e *env) buildServices(d *db.DB) (*services, error) {
	secret, err := e.cfg.Secret()
	if err != nil {
		return nil, err
	}
	box, err := secretbox.New(secret, "mailbox-password")
	if err != nil {
		return nil, err
	}
	blobs, err := documents.NewLocalBlobs(e.cfg.BlobDir)
	if err != nil {
		return nil, err
	}
	sender, err := newSender(e)
	if err != nil {
		return nil, err
	}
	from, err := mail.ParseAddress(e.cfg.MailFrom)
	if err != nil {
		return nil, err
	}
	s := &services{db: d, secret: secret, sender: sender, blobs: blobs,
		clients: crm.NewClients(d), establishments: crm.NewEstablishments(d), contacts: crm.NewContacts(d),
		employees: crm.NewEmployees(d), providers: crm.NewProviders(d), courses: crm.NewCourses(d),
		searcher: crm.NewSearcher(d), shortlists: crm.NewShortlists(d), timeline: crm.NewTimeline(d),
		tasks: crm.NewTasks(d), calls: crm.NewCalls(d), mailboxes: crm.NewMailboxes(d, box),
		mail: crm.NewMail(d, crm.MailConfig{Sender: sender, From: *from})}
	// The answer links get a key of their own, derived from the server secret.
	consultations, err := crm.NewConsultations(d, crm.ConsultationConfig{Mail: s.mail, Blobs: blobs,
		Secret: secretbox.Derive(secret, "consultation-link"), FormURL: strings.TrimSuffix(e.cfg.ExtranetURL, "/") + "/reponse/"})
	if err != nil {
		return nil, err
	}
	s.requests, s.consultations, s.proposals, s.bookings = crm.NewRequests(d), consultations, crm.NewProposals(d, s.mail), crm.NewBookings(d)
	s.syncer = &mailsync.Syncer{DB: d, Mailboxes: s.mailboxes, Mail: s.mail, Blobs: blobs, Dial: mailsync.DialIMAP, Log: e.log}
	if s.documents, err = documents.NewService(d, documents.Options{Blobs: blobs, MaxSize: e.cfg.DocumentMaxSize,
		Notify: documentTimeline}); err != nil {
		return nil, err
	}
	s.broker = crm.NewBroker(d)
	s.paperwork = crm.NewPaperwork(crm.PaperworkDeps{Documents: s.documents, Blobs: blobs, Broker: s.broker, Clients: s.clients,
		Establishments: s.establishments, Employees: s.employees, Courses: s.courses, Requests: s.requests,
		Consultations: s.consultations, Proposals: s.proposals, Bookings: s.bookings})
	s.viewers, s.wishes, s.plans, s.budgets = crm.NewViewers(d), crm.NewWishes(d, nil), crm.NewPlans(d), crm.NewBudgets(d)
	s.calendarFeeds = crm.NewCalendarFeeds(d)
	return s, nil
}

// documentTimeline writes what happens to a document (uploaded, new
// version, generated, shared, unshared, deleted) in the history of the
// records it is linked to, inside the transaction of the change.
func documentTimeline(ctx context.Context, q db.Querier, ev documents.Event) error {
	links := make([]crm.Ref, 0, len(ev.Links))
	for _, l := range ev.Links {
		links = append(links, crm.Ref{Type: l.Type, ID: l.ID})
	}
	_, err := crm.AddEntry(ctx, q, crm.NewEntry{Kind: crm.KindDocument, OccurredAt: ev.At, Title: ev.Document.Title,
		Data:  map[string]any{"document_id": ev.Document.ID, "event": ev.Kind, "version": ev.Version, "file_name": ev.Document.FileName},
		Links: links, SearchExtra: ev.Document.FileName})
	return err
}

func (s *services) Close() error { return s.db.Close() }

// backofficeDeps are the services the back office calls.
func (e *env) backofficeDeps(s *services, staff *auth.Service) backoffice.Deps {
	return backoffice.Deps{Auth: staff, Audit: audit.NewLog(s.db), Clients: s.clients, Mailer: s.sender, Ping: s.db.Ping,
		Contacts: s.contacts, Establishments: s.establishments, Employees: s.employees, Providers: s.providers,
		Timeline: s.timeline, Tasks: s.tasks, Calls: s.calls, Mail: s.mail, Mailboxes: s.mailboxes, Blobs: s.blobs,
		Documents: s.documents, Paperwork: s.paperwork, Broker: s.broker, Plans: s.plans, Budgets: s.budgets,
		// Staff invite client users: accounts of the extranet realm (its
		// session settings do not matter here), their scopes, and the link.
		ExtranetAuth: auth.New(s.db, auth.Extranet, auth.Options{}), Viewers: s.viewers, ExtranetURL: e.cfg.ExtranetURL,
		Courses: s.courses, Search: s.searcher, Shortlists: s.shortlists,
		Requests: s.requests, Consultations: s.consultations, Proposals: s.proposals, Bookings: s.bookings,
		SyncMailbox: func(ctx context.Context, id int64) (string, error) {
			r, err := s.syncer.SyncMailbox(ctx, id)
			return r.String(), err
		},
		Secret: s.secret, PublicURL: e.cfg.BackofficeURL, ProxyHeader: e.cfg.ProxyHeader, Logger: e.log}
}
