// Package invoicing owns the broker's invoices and credit notes (DOMAIN.md
// §3–8): the tax regime of each client, the dated seller profile, drafts
// made from bookings and proposals or by hand, issuing — which decides the
// tax of every line, freezes the whole document, takes its number from a
// per-series counter and stores its PDF (Factur-X for domestic B2B) in the
// same transaction —, credit notes, OPCO splits, payments, supplier
// invoices and margins, and the accountant's exports.
//
// An issued document never changes: the code refuses, and so does the
// database (triggers of migration 00012).
package invoicing

import (
	"context"
	"errors"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// ErrIssued is returned when something tries to change or delete an issued
// document; it unwraps to errs.ErrConflict.
var ErrIssued = errors.New("invoicing: an issued invoice can be neither changed nor deleted (correct it with a credit note)")

type conflict struct{ error }

func (c conflict) Unwrap() []error { return []error{c.error, errs.ErrConflict} }

// Service is the invoicing service.
type Service struct {
	db        *db.DB
	docs      *documents.Service
	paperwork *crm.Paperwork
	clients   *crm.Clients
	mail      crm.MailSender
	vies      tax.VIES
	now       func() time.Time
	// beforeCommit, when set, runs inside the issuing transaction just
	// before it commits (tests use it to kill the process mid-issue).
	beforeCommit func(ctx context.Context, number string)
}

// Config is what the service needs besides the database.
type Config struct {
	Documents *documents.Service
	Paperwork *crm.Paperwork // the broker's identity and the client's document style
	Clients   *crm.Clients
	Mail      crm.MailSender // may be nil: sending is then refused
	VIES      tax.VIES       // may be nil: VAT numbers are then confirmed by hand
	Now       func() time.Time
}

// New returns the invoicing service.
func New(d *db.DB, cfg Config) *Service {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Service{db: d, docs: cfg.Documents, paperwork: cfg.Paperwork, clients: cfg.Clients, mail: cfg.Mail,
		vies: cfg.VIES, now: func() time.Time { return now().UTC() }}
}

// BeforeCommit sets a hook run inside each issuing transaction just before
// it commits; for tests of crash safety only.
func (s *Service) BeforeCommit(fn func(ctx context.Context, number string)) { s.beforeCommit = fn }

// today is the current day in Paris, as a UTC midnight date.
func (s *Service) today() time.Time { return day(s.now()) }

// day is t's calendar day in Paris, as a UTC midnight (how DATE columns are kept).
func day(t time.Time) time.Time {
	p := t.In(i18n.Paris)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
}

// staffOf is the staff user acting, if any (for created_by columns).
func staffOf(ctx context.Context) *int64 {
	if a := audit.ActorFrom(ctx); (a.Kind == audit.ActorStaff || a.Kind == audit.ActorAPI) && a.ID != 0 {
		return &a.ID
	}
	return nil
}
