// Package documents is the document store (GED): document metadata with a
// chain of versions, tags, links to records of any module, sharing with the
// owner client, full-text search, and the content-addressed blob store
// behind the Blobs interface.
//
// It sits below the domain: it imports internal/db, internal/audit and
// internal/errs only. What must reach the CRM timeline goes through the
// Notify hook, which runs inside the transaction of the change.
package documents

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Document kinds.
const (
	KindUpload          = "upload"
	KindProposal        = "proposal"
	KindAgreement       = "agreement"
	KindProgramme       = "programme"
	KindConvocation     = "convocation"
	KindAttendanceSheet = "attendance_sheet"
	KindCertificate     = "certificate"
	KindRealisation     = "realisation"
	KindInvoice         = "invoice"
	KindEmailAttachment = "email_attachment"
	KindOther           = "other"
)

// Kinds lists every kind, in the order filters show them.
var Kinds = []string{KindUpload, KindProposal, KindAgreement, KindProgramme, KindConvocation, KindAttendanceSheet,
	KindCertificate, KindRealisation, KindInvoice, KindEmailAttachment, KindOther}

// Record types a document is commonly linked to; links are not foreign
// keys, so other modules may use names of their own.
const (
	RecordClient   = "client"
	RecordProvider = "provider"
	RecordRequest  = "request"
	RecordBooking  = "booking"
	RecordInvoice  = "invoice"
	RecordEmail    = "email"
)

// Link points at a record of any module.
type Link struct {
	Type string `db:"record_type" json:"type"`
	ID   int64  `db:"record_id" json:"id"`
}

func (l Link) String() string { return fmt.Sprintf("%s:%d", l.Type, l.ID) }

var recordType = regexp.MustCompile(`^[a-z][a-z_]{0,31}$`)

// Event kinds given to the Notify hook.
const (
	EventUploaded     = "uploaded"
	EventVersionAdded = "version_added"
	EventShared       = "shared"
	EventUnshared     = "unshared"
	EventGenerated    = "generated"
	EventDeleted      = "deleted"
)

// Event is what happened to a document, for the Notify hook: the document
// as it is after the change, the version concerned (0 when none), its links.
type Event struct {
	Kind     string
	Document Document
	Version  int
	Links    []Link
	At       time.Time
}

// Notify is called inside the transaction of the change it reports, through
// q: the CRM plugs its timeline here. An error rolls the change back.
type Notify func(ctx context.Context, q db.Querier, e Event) error

// DefaultMaxSize is the upload size limit when Options.MaxSize is zero.
const DefaultMaxSize = 25 << 20

// DefaultMaxText caps the text extracted from one version.
const DefaultMaxText = 1 << 20

// Options configure the document service.
type Options struct {
	// Blobs stores the contents; required.
	Blobs Blobs
	// MaxSize is the largest upload in bytes (DefaultMaxSize when 0).
	MaxSize int64
	// MaxText caps the extracted text in bytes (DefaultMaxText when 0).
	MaxText int
	// Notify, optional, reports uploads, versions and sharing to the timeline.
	Notify Notify
}

// Service is the document store.
type Service struct {
	db      *db.DB
	blobs   Blobs
	maxSize int64
	maxText int
	notify  Notify
	now     func() time.Time
}

// NewService returns the document service.
func NewService(d *db.DB, o Options) (*Service, error) {
	if d == nil || o.Blobs == nil {
		return nil, errors.New("documents: the service needs a database and a blob store")
	}
	s := &Service{db: d, blobs: o.Blobs, maxSize: o.MaxSize, maxText: o.MaxText, notify: o.Notify,
		now: func() time.Time { return time.Now().UTC() }}
	if s.maxSize <= 0 {
		s.maxSize = DefaultMaxSize
	}
	if s.maxText <= 0 {
		s.maxText = DefaultMaxText
	}
	return s, nil
}

// MaxSize is the upload size limit in bytes, for forms to announce it.
func (s *Service) MaxSize() int64 { return s.maxSize }

// ErrImmutable is returned when a change would replace or delete an
// immutable document; it unwraps to errs.ErrConflict.
var ErrImmutable = fmt.Errorf("documents: immutable document: %w", errs.ErrConflict)

// actorID is the staff user acting, for created_by and shared_by columns.
func actorID(ctx context.Context) *int64 {
	if a := audit.ActorFrom(ctx); (a.Kind == audit.ActorStaff || a.Kind == audit.ActorAPI) && a.ID != 0 {
		return &a.ID
	}
	return nil
}

// emit runs the Notify hook, if any, for a document just changed through q.
func (s *Service) emit(ctx context.Context, q db.Querier, kind string, id int64, version int, at time.Time) error {
	if s.notify == nil {
		return nil
	}
	d, err := loadDocument(ctx, q, id)
	if err != nil {
		return err
	}
	if err := s.notify(ctx, q, Event{Kind: kind, Document: d, Version: version, Links: d.Links, At: at}); err != nil {
		return fmt.Errorf("documents: notify %s of document %d: %w", kind, id, err)
	}
	return nil
}

// checkLinks validates links and drops duplicates.
func checkLinks(links []Link, inv *errs.Invalid) []Link {
	var out []Link
	for _, l := range links {
		if !recordType.MatchString(l.Type) || l.ID <= 0 {
			inv.Add("links", "error.invalid")
			continue
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func validKind(kind string) bool { return slices.Contains(Kinds, kind) }
