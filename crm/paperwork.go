package crm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Paperwork generates the training documents of proposals and bookings
// from what is recorded — never from figures typed for the occasion — and
// keeps each in the document store, immutable, with the JSON of the data it
// was built from. Generating again after a change makes a new version of
// the same document, so the two snapshots can be compared.
type Paperwork struct {
	PaperworkDeps
	now func() time.Time
}

// PaperworkDeps are the services Paperwork reads from and writes to.
type PaperworkDeps struct {
	Documents      *documents.Service
	Blobs          documents.Blobs // logos
	Broker         *Broker
	Clients        *Clients
	Establishments *Establishments
	Employees      *Employees
	Courses        *Courses
	Requests       *Requests
	Consultations  *Consultations
	Proposals      *Proposals
	Bookings       *Bookings
	Now            func() time.Time // nil: time.Now
}

// NewPaperwork returns the generator.
func NewPaperwork(d PaperworkDeps) *Paperwork {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	return &Paperwork{PaperworkDeps: d, now: now}
}

// BookingKinds are the documents generated from a booking, in the order a
// session needs them.
var BookingKinds = []pdf.Kind{pdf.KindAgreement, pdf.KindProgramme, pdf.KindConvocation, pdf.KindAttendance,
	pdf.KindCertificate, pdf.KindRealisation}

// StoreKind is the document store's kind of a layout kind.
func StoreKind(k pdf.Kind) string { return storeKinds[k] }

// storeKinds maps a layout kind to the document store's kind.
var storeKinds = map[pdf.Kind]string{
	pdf.KindProposal: documents.KindProposal, pdf.KindAgreement: documents.KindAgreement,
	pdf.KindProgramme: documents.KindProgramme, pdf.KindConvocation: documents.KindConvocation,
	pdf.KindAttendance: documents.KindAttendanceSheet, pdf.KindCertificate: documents.KindCertificate,
	pdf.KindRealisation: documents.KindRealisation,
}

// Reasons a trainee gets no certificate.
const (
	NoCertificateAbsent     = "absent_everywhere"     // marked absent or excused on every half-day
	NoCertificateIncomplete = "attendance_incomplete" // some half-days have no mark yet
)

// Skipped is a trainee a per-trainee document was not made for, and why.
type Skipped struct {
	EmployeeID int64  `json:"employee_id"`
	Name       string `json:"name"`
	Reason     string `json:"reason"`
}

// Generated is what one generation made: the stored documents, and the
// trainees left out with their reason.
type Generated struct {
	Documents []documents.Document `json:"documents"`
	Skipped   []Skipped            `json:"skipped,omitempty"`
}

// style is what frames every document of a client.
type style struct {
	frame     pdf.Frame
	overrides map[pdf.Kind]string
	profile   BrokerProfile
	client    Client
}

// styleFor reads the broker's profile and the client's document style.
func (s *Paperwork) styleFor(ctx context.Context, clientID int64) (style, error) {
	profile, err := s.Broker.Profile(ctx)
	if err != nil {
		return style{}, err
	}
	if profile.LegalName == "" {
		return style{}, errs.NewInvalid("broker", "error.broker_profile_first")
	}
	client, err := s.Clients.Get(ctx, clientID)
	if err != nil {
		return style{}, err
	}
	st, err := s.Clients.DocumentStyle(ctx, clientID)
	if err != nil {
		return style{}, err
	}
	fr := pdf.Frame{Lang: st.Language, ClientColour: st.Colour, Date: s.now().UTC(), Broker: pdf.Broker{
		Name: profile.LegalName, Address: joinLines(profile.Street, strings.TrimSpace(profile.PostalCode+" "+profile.City)),
		SIRET: profile.SIRET, NDA: profile.NDA, NDARegion: profile.NDARegion, VATNumber: profile.VATNumber,
		Email: profile.Email, Phone: profile.Phone, Colour: profile.Colour}}
	if fr.Broker.Logo, err = s.blob(ctx, profile.LogoSum); err != nil {
		return style{}, err
	}
	if fr.ClientLogo, err = s.blob(ctx, st.LogoSum); err != nil {
		return style{}, err
	}
	overrides := map[pdf.Kind]string{}
	for k, v := range st.Variants {
		overrides[pdf.Kind(k)] = v
	}
	return style{frame: fr, overrides: overrides, profile: profile, client: client}, nil
}

// blob reads a logo; a missing one is left out rather than failing the document.
func (s *Paperwork) blob(ctx context.Context, sum string) ([]byte, error) {
	if sum == "" {
		return nil, nil
	}
	r, err := s.Blobs.Open(ctx, sum)
	if errors.Is(err, errs.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(io.LimitReader(r, 2<<20))
}

// signatory is who signs for the broker.
func (st style) signatory() pdf.Signatory {
	return pdf.Signatory{Name: st.profile.Representative, Role: st.profile.RepresentativeRole}
}

// store renders doc and saves it, as a new version of the document made
// earlier for the same kind and records when there is one.
func (s *Paperwork) store(ctx context.Context, st style, doc pdf.Document, title, fileName string, links []documents.Link) (documents.Document, error) {
	var buf bytes.Buffer
	if err := pdf.Render(&buf, doc, st.overrides); err != nil {
		return documents.Document{}, fmt.Errorf("crm: render %s: %w", doc.Kind(), err)
	}
	snapshot, err := json.Marshal(withoutLogos(doc))
	if err != nil {
		return documents.Document{}, fmt.Errorf("crm: snapshot %s: %w", doc.Kind(), err)
	}
	kind := storeKinds[doc.Kind()]
	g := documents.GeneratedDoc{Title: title, Kind: kind, Lang: i18n.Normalize(st.frame.Lang), Links: links,
		OwnerClientID: st.client.ID, FileName: fileName, Content: &buf, Snapshot: snapshot}
	earlier, err := s.earlier(ctx, kind, links)
	if err != nil {
		return documents.Document{}, err
	}
	if earlier != 0 {
		// Nothing changed since the last version but the day it is made:
		// that version stands, rather than a copy of it.
		last, err := s.Documents.Snapshot(ctx, earlier, 0)
		if err != nil {
			return documents.Document{}, err
		}
		if sameData(last, snapshot) {
			return s.Documents.Get(ctx, earlier)
		}
		g.ReplacesID = &earlier
	}
	return s.Documents.SaveGenerated(ctx, g)
}

// earlier finds the document generated before for the same kind and the
// same records (the first link narrows the search, the others must match).
func (s *Paperwork) earlier(ctx context.Context, kind string, links []documents.Link) (int64, error) {
	narrow := links[len(links)-1]
	page, err := s.Documents.List(ctx, documents.Filter{Kinds: []string{kind}, Record: &narrow, Limit: 100})
	if err != nil {
		return 0, err
	}
	for _, d := range page.Documents {
		if d.Generated && !slices.ContainsFunc(links, func(l documents.Link) bool { return !slices.Contains(d.Links, l) }) {
			return d.ID, nil
		}
	}
	return 0, nil
}

// withoutLogos returns doc with its logos dropped: the snapshot records the
// data a document shows, not its images (kept in the PDF itself).
func withoutLogos(doc pdf.Document) any {
	raw, err := json.Marshal(doc)
	if err != nil {
		return doc
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return doc
	}
	if fr, ok := m["frame"].(map[string]any); ok {
		delete(fr, "client_logo")
		if b, ok := fr["broker"].(map[string]any); ok {
			delete(b, "logo")
		}
	}
	return m
}

// sameData compares two snapshots, leaving out the date they were made.
func sameData(a, b json.RawMessage) bool {
	undated := func(raw json.RawMessage) (map[string]any, bool) {
		var m map[string]any
		if json.Unmarshal(raw, &m) != nil {
			return nil, false
		}
		if fr, ok := m["frame"].(map[string]any); ok {
			delete(fr, "date")
		}
		return m, true
	}
	ma, okA := undated(a)
	mb, okB := undated(b)
	return okA && okB && reflect.DeepEqual(ma, mb)
}

func joinLines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}

// splitLines turns a text field into its non-empty lines, bullets removed.
func splitLines(s string) []string {
	var out []string
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "-•*")); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// fileName makes a download name from a title: folded ASCII words and dashes.
func fileName(parts ...string) string {
	return strings.ReplaceAll(textsearch.Fold(strings.Join(parts, " ")), " ", "-") + ".pdf"
}

// Generated documents of a record (a booking, a proposal), newest first.
func (s *Paperwork) DocumentsOf(ctx context.Context, recordType string, id int64) ([]documents.Document, error) {
	page, err := s.Documents.List(ctx, documents.Filter{Record: &documents.Link{Type: recordType, ID: id}, Limit: 1000})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(page.Documents, func(d documents.Document) bool { return !d.Generated }), nil
}

// Frame is the frame of a client's documents (the broker's identity,
// logos, colours, the client's language) with the broker's profile and the
// client's layout overrides: invoicing frames its invoices with it.
func (s *Paperwork) Frame(ctx context.Context, clientID int64) (pdf.Frame, BrokerProfile, map[pdf.Kind]string, error) {
	st, err := s.styleFor(ctx, clientID)
	if err != nil {
		return pdf.Frame{}, BrokerProfile{}, nil, err
	}
	return st.frame, st.profile, st.overrides, nil
}
