package invoicing

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// SupplierInvoice is a provider's invoice to the broker for a booking.
type SupplierInvoice struct {
	ID           int64      `db:"id" json:"id"`
	BookingID    int64      `db:"booking_id" json:"booking_id"`
	ProviderID   int64      `db:"provider_id" json:"provider_id"`
	ProviderName string     `db:"provider_name" json:"provider_name"`
	Number       string     `db:"number" json:"number"`
	IssueDate    time.Time  `db:"issue_date" json:"issue_date"`
	DueDate      *time.Time `db:"due_date" json:"due_date,omitempty"`
	Net          int64      `db:"net_cents" json:"net_cents"`
	VAT          int64      `db:"vat_cents" json:"vat_cents"`
	Gross        int64      `db:"gross_cents" json:"gross_cents"`
	DocumentID   *int64     `db:"document_id" json:"document_id,omitempty"`
	CreatedAt    time.Time  `db:"created_at" json:"created_at"`
}

// SupplierInput is a provider's invoice as staff record it, with its file.
type SupplierInput struct {
	BookingID int64      `json:"booking_id"`
	Number    string     `json:"number"`
	IssueDate time.Time  `json:"issue_date"`
	DueDate   *time.Time `json:"due_date,omitempty"`
	Net       int64      `json:"net_cents"`
	VAT       int64      `json:"vat_cents"`
	FileName  string     `json:"-"`
	File      io.Reader  `json:"-"` // the PDF received, kept in the document store (optional)
}

const supplierCols = `s.id, s.booking_id, s.provider_id, p.name AS provider_name, s.number, s.issue_date, s.due_date,
	s.net_cents, s.vat_cents, s.gross_cents, s.document_id, s.created_at`

// SupplierInvoices lists the provider invoices of a booking.
func (s *Service) SupplierInvoices(ctx context.Context, bookingID int64) ([]SupplierInvoice, error) {
	var out []SupplierInvoice
	err := s.db.Select(ctx, &out, `SELECT `+supplierCols+` FROM supplier_invoices s JOIN providers p ON p.id = s.provider_id
		WHERE s.booking_id = ? ORDER BY s.issue_date, s.id`, bookingID)
	return out, err
}

// RecordSupplierInvoice records the provider's invoice for a booking; its
// file goes to the document store, linked to the booking and the provider.
func (s *Service) RecordSupplierInvoice(ctx context.Context, in SupplierInput) (SupplierInvoice, error) {
	in.Number = strings.TrimSpace(in.Number)
	bad := &errs.Invalid{}
	if in.Number == "" {
		bad.Add("number", "error.required")
	}
	if in.IssueDate.IsZero() {
		bad.Add("issue_date", "error.required")
	}
	if in.Net < 0 {
		bad.Add("net_cents", "error.positive")
	}
	if in.VAT < 0 {
		bad.Add("vat_cents", "error.positive")
	}
	if err := bad.OrNil(); err != nil {
		return SupplierInvoice{}, err
	}
	var b struct {
		ProviderID int64 `db:"provider_id"`
		ClientID   int64 `db:"client_id"`
	}
	if err := s.db.Get(ctx, &b, `SELECT b.provider_id, r.client_id FROM bookings b JOIN requests r ON r.id = b.request_id
		WHERE b.id = ?`, in.BookingID); err != nil {
		return SupplierInvoice{}, fmt.Errorf("invoicing: booking %d: %w", in.BookingID, err)
	}
	var docID *int64
	if in.File != nil {
		d, err := s.docs.Upload(ctx, documents.NewDocument{Title: "Facture fournisseur " + in.Number, Kind: documents.KindInvoice,
			FileName: or(in.FileName, in.Number+".pdf"), Content: in.File,
			Links: []documents.Link{{Type: documents.RecordBooking, ID: in.BookingID}, {Type: documents.RecordProvider, ID: b.ProviderID}}})
		if err != nil {
			return SupplierInvoice{}, err
		}
		docID = &d.ID
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO supplier_invoices (booking_id, provider_id, number, issue_date, due_date,
			net_cents, vat_cents, gross_cents, document_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.BookingID, b.ProviderID, in.Number, day(in.IssueDate), dayPtr(in.DueDate), in.Net, in.VAT, in.Net+in.VAT, docID,
			staffOf(ctx), s.now())
		if err != nil {
			return fmt.Errorf("invoicing: record supplier invoice %s: %w", in.Number, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "invoicing.supplier_invoice", Entity: "booking", EntityID: in.BookingID,
			Details: map[string]any{"number": in.Number, "net_cents": in.Net, "vat_cents": in.VAT}})
	})
	if err != nil {
		return SupplierInvoice{}, err
	}
	var si SupplierInvoice
	err = s.db.Get(ctx, &si, `SELECT `+supplierCols+` FROM supplier_invoices s JOIN providers p ON p.id = s.provider_id WHERE s.id = ?`, id)
	return si, err
}

// Margin is what the broker earns on a booking or a client: sales invoiced
// (invoices less credit notes, excluding VAT, every payer) less purchases.
type Margin struct {
	BookingID int64  `db:"booking_id" json:"booking_id,omitempty"`
	ClientID  int64  `db:"client_id" json:"client_id,omitempty"`
	Label     string `db:"label" json:"label"`
	Sales     int64  `db:"sales_cents" json:"sales_cents"`
	Purchases int64  `db:"purchases_cents" json:"purchases_cents"`
	Margin    int64  `db:"margin_cents" json:"margin_cents"`
}

// Rate is the margin over sales in basis points (0 without sales).
func (m Margin) Rate() int64 {
	if m.Sales == 0 {
		return 0
	}
	return m.Margin * 10000 / m.Sales
}

const marginSales = `COALESCE((SELECT SUM(i.net_cents + i.out_of_base_cents) FROM invoices i WHERE i.booking_id = b.id
	AND i.status = 'issued'), 0)`
const marginPurchases = `COALESCE((SELECT SUM(si.net_cents) FROM supplier_invoices si WHERE si.booking_id = b.id), 0)`

// BookingMargin is the margin of one booking.
func (s *Service) BookingMargin(ctx context.Context, bookingID int64) (Margin, error) {
	var m Margin
	err := s.db.Get(ctx, &m, `SELECT b.id AS booking_id, r.client_id, b.title AS label, `+marginSales+` AS sales_cents, `+
		marginPurchases+` AS purchases_cents, 0 AS margin_cents
		FROM bookings b JOIN requests r ON r.id = b.request_id WHERE b.id = ?`, bookingID)
	m.Margin = m.Sales - m.Purchases
	return m, err
}

// ClientMargins is the margin of every booking of a client, and the total.
func (s *Service) ClientMargins(ctx context.Context, clientID int64) ([]Margin, Margin, error) {
	var ms []Margin
	if err := s.db.Select(ctx, &ms, `SELECT b.id AS booking_id, r.client_id, b.title AS label, `+marginSales+` AS sales_cents, `+
		marginPurchases+` AS purchases_cents, 0 AS margin_cents
		FROM bookings b JOIN requests r ON r.id = b.request_id WHERE r.client_id = ? ORDER BY b.id`, clientID); err != nil {
		return nil, Margin{}, fmt.Errorf("invoicing: margins of client %d: %w", clientID, err)
	}
	total := Margin{ClientID: clientID}
	kept := ms[:0]
	for _, m := range ms {
		m.Margin = m.Sales - m.Purchases
		if m.Sales == 0 && m.Purchases == 0 {
			continue
		}
		total.Sales += m.Sales
		total.Purchases += m.Purchases
		kept = append(kept, m)
	}
	total.Margin = total.Sales - total.Purchases
	return kept, total, nil
}
