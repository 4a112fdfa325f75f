// Package pdf renders the training documents of a brokerage — proposal,
// training agreement, programme, convocation, attendance sheet, certificate
// of completion and certificat de réalisation — and the invoices and credit
// notes, in French or English.
//
// Inputs are plain structs filled by the domain packages (crm, invoicing);
// they serialise to JSON so the data a PDF was built from can be stored with
// it and rendered again. The layout is chosen by rule (Select) from the
// document kind, the client's language and the client's overrides. Every
// page carries the broker's frame: logos, colours, legal identity and page
// numbers. Fonts are DejaVu Sans, embedded in the binary and in each PDF.
package pdf

import (
	"encoding/json"
	"fmt"
	"io"
)

// Kind names a kind of document; it keys the layout registry.
type Kind string

// The document kinds.
const (
	KindProposal    Kind = "proposal"    // devis
	KindAgreement   Kind = "agreement"   // convention (or contrat) de formation
	KindProgramme   Kind = "programme"   // programme annexed to the agreement
	KindConvocation Kind = "convocation" // one per trainee
	KindAttendance  Kind = "attendance"  // feuille d'émargement, one per session
	KindCertificate Kind = "certificate" // attestation de fin de formation, one per trainee
	KindRealisation Kind = "realisation" // certificat de réalisation, one per trainee
	KindInvoice     Kind = "invoice"     // facture or avoir, frozen by invoicing
)

// Document is one of the input structs of this package (Proposal, Agreement,
// Programme, Convocation, AttendanceSheet, Certificate, Realisation, Invoice), as a
// value or a pointer. The set is closed: every document embeds a Frame.
type Document interface {
	Kind() Kind
	frame() Frame
}

// Render writes doc as a PDF with the layout Select picks for its kind, its
// frame's language and the client's overrides (nil for none).
func Render(w io.Writer, doc Document, overrides map[Kind]string) error {
	return Select(doc.Kind(), doc.frame().Lang, overrides).Render(w, doc)
}

// Decode reads a document of the given kind back from its JSON snapshot.
func Decode(kind Kind, data []byte) (Document, error) {
	var doc Document
	switch kind {
	case KindProposal:
		doc = &Proposal{}
	case KindAgreement:
		doc = &Agreement{}
	case KindProgramme:
		doc = &Programme{}
	case KindConvocation:
		doc = &Convocation{}
	case KindAttendance:
		doc = &AttendanceSheet{}
	case KindCertificate:
		doc = &Certificate{}
	case KindRealisation:
		doc = &Realisation{}
	case KindInvoice:
		doc = &Invoice{}
	default:
		return nil, fmt.Errorf("pdf: unknown document kind %q", kind)
	}
	if err := json.Unmarshal(data, doc); err != nil {
		return nil, fmt.Errorf("pdf: decode %s: %w", kind, err)
	}
	return doc, nil
}

// as returns doc as a T, whether it was passed as a value or a pointer.
func as[T any](doc Document) (T, error) {
	switch d := any(doc).(type) {
	case T:
		return d, nil
	case *T:
		if d != nil {
			return *d, nil
		}
	}
	var zero T
	return zero, fmt.Errorf("pdf: %T is not a %T", doc, zero)
}

// Kind implements Document.
func (Proposal) Kind() Kind { return KindProposal }

// Kind implements Document.
func (Agreement) Kind() Kind { return KindAgreement }

// Kind implements Document.
func (Programme) Kind() Kind { return KindProgramme }

// Kind implements Document.
func (Convocation) Kind() Kind { return KindConvocation }

// Kind implements Document.
func (AttendanceSheet) Kind() Kind { return KindAttendance }

// Kind implements Document.
func (Certificate) Kind() Kind { return KindCertificate }

// Kind implements Document.
func (Realisation) Kind() Kind { return KindRealisation }
