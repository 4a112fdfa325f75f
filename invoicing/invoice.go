package invoicing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/textsearch"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// The document kinds, purposes, payers and statuses.
const (
	KindInvoice    = "invoice"
	KindCreditNote = "credit_note"

	PurposeStandard = "standard"
	PurposeDeposit  = "deposit" // facture d'acompte
	PurposeFinal    = "final"   // facture de solde, deducting the deposits

	PayerClient = "client"
	PayerOPCO   = "opco"

	StatusDraft  = "draft"
	StatusIssued = "issued"
)

// Line is an invoice line. Its tax decision is computed on drafts for the
// preview and frozen on the line at issue.
type Line struct {
	ID            int64           `db:"id" json:"id"`
	InvoiceID     int64           `db:"invoice_id" json:"-"`
	Position      int             `db:"position" json:"position"`
	Label         string          `db:"label" json:"label"`
	Detail        string          `db:"detail" json:"detail,omitempty"`
	ServiceKind   tax.ServiceKind `db:"service_kind" json:"service_kind"`
	EventCountry  string          `db:"event_country" json:"event_country,omitempty"`
	QuantityMilli int64           `db:"quantity_milli" json:"quantity_milli"` // 1500 = 1.5
	Unit          string          `db:"unit" json:"unit"`                     // unit, day, hour, trainee, session
	UnitPrice     int64           `db:"unit_price_cents" json:"unit_price_cents"`
	Discount      int64           `db:"discount_cents" json:"discount_cents"`
	Net           int64           `db:"net_cents" json:"net_cents"`
	BookingID     *int64          `db:"booking_id" json:"booking_id,omitempty"`
	TaxRule       string          `db:"tax_rule" json:"tax_rule,omitempty"`
	RateBP        int64           `db:"rate_bp" json:"rate_bp"`
	Category      string          `db:"vat_category" json:"vat_category,omitempty"`
	VATEX         string          `db:"vatex" json:"vatex,omitempty"`
	MentionKey    string          `db:"mention_key" json:"mention_key,omitempty"`
	RevenueAcct   string          `db:"revenue_account" json:"revenue_account,omitempty"`
	VATAcct       string          `db:"vat_account" json:"vat_account,omitempty"`
	OutOfBase     bool            `db:"out_of_base" json:"out_of_base"`
}

// Invoice is an invoice or a credit note, draft or issued.
type Invoice struct {
	ID            int64      `db:"id" json:"id"`
	ClientID      int64      `db:"client_id" json:"client_id"`
	ClientName    string     `db:"client_name" json:"client_name"`
	Kind          string     `db:"kind" json:"kind"`
	Purpose       string     `db:"purpose" json:"purpose"`
	Status        string     `db:"status" json:"status"`
	Payer         string     `db:"payer" json:"payer"`
	Series        *string    `db:"series" json:"series,omitempty"`
	Year          *int       `db:"year" json:"year,omitempty"`
	Seq           *int64     `db:"seq" json:"seq,omitempty"`
	Number        *string    `db:"number" json:"number,omitempty"`
	CorrectsID    *int64     `db:"corrects_id" json:"corrects_id,omitempty"`
	BookingID     *int64     `db:"booking_id" json:"booking_id,omitempty"`
	ProposalID    *int64     `db:"proposal_id" json:"proposal_id,omitempty"`
	Lang          string     `db:"lang" json:"lang"`
	Currency      string     `db:"currency" json:"currency"`
	Regime        string     `db:"regime" json:"regime,omitempty"`
	IssueDate     *time.Time `db:"issue_date" json:"issue_date,omitempty"`
	DueDate       *time.Time `db:"due_date" json:"due_date,omitempty"`
	ServiceStart  *time.Time `db:"service_start" json:"service_start,omitempty"`
	ServiceEnd    *time.Time `db:"service_end" json:"service_end,omitempty"`
	PurchaseOrder string     `db:"purchase_order" json:"purchase_order,omitempty"`
	Note          string     `db:"note" json:"note,omitempty"`
	Net           int64      `db:"net_cents" json:"net_cents"`
	VAT           int64      `db:"vat_cents" json:"vat_cents"`
	OutOfBase     int64      `db:"out_of_base_cents" json:"out_of_base_cents"`
	Gross         int64      `db:"gross_cents" json:"gross_cents"`
	Prepaid       int64      `db:"prepaid_cents" json:"prepaid_cents"`
	Due           int64      `db:"due_cents" json:"due_cents"`
	Snapshot      string     `db:"snapshot" json:"-"`
	PDFDocumentID *int64     `db:"pdf_document_id" json:"pdf_document_id,omitempty"`
	PDFSHA256     string     `db:"pdf_sha256" json:"pdf_sha256,omitempty"`
	FacturX       bool       `db:"facturx" json:"facturx"`
	XMLSHA256     string     `db:"xml_sha256" json:"xml_sha256,omitempty"`
	CreatedBy     *int64     `db:"created_by" json:"created_by,omitempty"`
	IssuedBy      *int64     `db:"issued_by" json:"issued_by,omitempty"`
	CreatedAt     time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt     time.Time  `db:"updated_at" json:"updated_at"`
	IssuedAt      *time.Time `db:"issued_at" json:"issued_at,omitempty"`
	// Computed on reading: payments received, issued credit notes against it.
	Paid     int64 `db:"paid_cents" json:"paid_cents"`
	Credited int64 `db:"credited_cents" json:"credited_cents"`

	Lines    []Line  `db:"-" json:"lines"`
	Deposits []int64 `db:"-" json:"deposit_ids,omitempty"`
}

// Issued says whether the document is issued (and so frozen).
func (inv Invoice) Issued() bool { return inv.Status == StatusIssued }

// NumberOr is the number, or the placeholder for a draft.
func (inv Invoice) NumberOr(draft string) string {
	if inv.Number != nil {
		return *inv.Number
	}
	return draft
}

// Outstanding is what remains to be paid on an issued invoice: its amount
// due less the payments and the credit notes that correct it. Credit notes
// have nothing outstanding (a refund is outside this tool).
func (inv Invoice) Outstanding() int64 {
	if !inv.Issued() || inv.Kind != KindInvoice {
		return 0
	}
	return inv.Due - inv.Paid - inv.Credited
}

// The payment states of an issued invoice.
const (
	PayUnpaid   = "unpaid"
	PayPartly   = "partly_paid"
	PayPaid     = "paid"
	PayOverdue  = "overdue"
	PayCredited = "credited" // fully cancelled by credit notes
)

// PaymentStatus says where an issued invoice stands on a given day.
func (inv Invoice) PaymentStatus(today time.Time) string {
	if !inv.Issued() || inv.Kind != KindInvoice {
		return ""
	}
	out := inv.Outstanding()
	switch {
	case inv.Credited > 0 && inv.Credited >= inv.Due:
		return PayCredited
	case out <= 0:
		return PayPaid
	case inv.DueDate != nil && day(today).After(*inv.DueDate):
		return PayOverdue
	case inv.Paid > 0 || inv.Credited > 0:
		return PayPartly
	}
	return PayUnpaid
}

const invoiceCols = `i.id, i.client_id, c.legal_name AS client_name, i.kind, i.purpose, i.status, i.payer, i.series, i.year,
	i.seq, i.number, i.corrects_id, i.booking_id, i.proposal_id, i.lang, i.currency, i.regime, i.issue_date, i.due_date,
	i.service_start, i.service_end, i.purchase_order, i.note, i.net_cents, i.vat_cents, i.out_of_base_cents,
	i.gross_cents, i.prepaid_cents, i.due_cents, i.snapshot, i.pdf_document_id, i.pdf_sha256, i.facturx, i.xml_sha256,
	i.created_by, i.issued_by, i.created_at, i.updated_at, i.issued_at,
	COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.invoice_id = i.id), 0) AS paid_cents,
	COALESCE((SELECT SUM(-cn.due_cents) FROM invoices cn WHERE cn.corrects_id = i.id AND cn.status = 'issued'), 0) AS credited_cents`

const invoiceFrom = ` FROM invoices i JOIN clients c ON c.id = i.client_id`

const lineCols = `id, invoice_id, position, label, detail, service_kind, event_country, quantity_milli, unit,
	unit_price_cents, discount_cents, net_cents, booking_id, tax_rule, rate_bp, vat_category, vatex, mention_key,
	revenue_account, vat_account, out_of_base`

func loadInvoices(ctx context.Context, q db.Querier, cond string, args ...any) ([]Invoice, error) {
	var out []Invoice
	if err := q.Select(ctx, &out, `SELECT `+invoiceCols+invoiceFrom+` WHERE `+cond, args...); err != nil {
		return nil, fmt.Errorf("invoicing: load invoices: %w", err)
	}
	return out, nil
}

func loadInvoice(ctx context.Context, q db.Querier, id int64) (Invoice, error) {
	var inv Invoice
	if err := q.Get(ctx, &inv, `SELECT `+invoiceCols+invoiceFrom+` WHERE i.id = ?`, id); err != nil {
		return Invoice{}, fmt.Errorf("invoicing: load invoice %d: %w", id, err)
	}
	if err := q.Select(ctx, &inv.Lines, `SELECT `+lineCols+` FROM invoice_lines WHERE invoice_id = ? ORDER BY position`, id); err != nil {
		return Invoice{}, fmt.Errorf("invoicing: load lines of invoice %d: %w", id, err)
	}
	if err := q.Select(ctx, &inv.Deposits, `SELECT deposit_id FROM invoice_deposits WHERE invoice_id = ? ORDER BY deposit_id`, id); err != nil {
		return Invoice{}, fmt.Errorf("invoicing: load deposits of invoice %d: %w", id, err)
	}
	return inv, nil
}

// Get returns an invoice with its lines.
func (s *Service) Get(ctx context.Context, id int64) (Invoice, error) {
	return loadInvoice(ctx, s.db, id)
}

// GetForClient returns an issued invoice of one client; another client's,
// or a draft, is not found (the extranet's read).
func (s *Service) GetForClient(ctx context.Context, clientID, id int64) (Invoice, error) {
	inv, err := loadInvoice(ctx, s.db, id)
	if err != nil {
		return Invoice{}, err
	}
	if inv.ClientID != clientID || !inv.Issued() {
		return Invoice{}, fmt.Errorf("invoicing: invoice %d of client %d: %w", id, clientID, errs.ErrNotFound)
	}
	return inv, nil
}

// Filter selects invoices.
type Filter struct {
	ClientID  int64     `query:"client_id"`
	BookingID int64     `query:"booking_id"`
	Kind      string    `query:"kind"`
	Status    string    `query:"status"`  // draft, issued
	Payment   string    `query:"payment"` // unpaid, partly_paid, paid, overdue, credited, open (anything not settled)
	From, To  time.Time `query:"-"`       // issue dates, inclusive
	Query     string    `query:"q"`       // number or client name
	Limit     int       `query:"limit"`
	Offset    int       `query:"offset"`
}

// List returns the invoices matching f, newest first, and how many match.
func (s *Service) List(ctx context.Context, f Filter) ([]Invoice, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.ClientID > 0 {
		where, args = append(where, "i.client_id = ?"), append(args, f.ClientID)
	}
	if f.BookingID > 0 {
		where, args = append(where, "i.booking_id = ?"), append(args, f.BookingID)
	}
	if f.Kind == KindInvoice || f.Kind == KindCreditNote {
		where, args = append(where, "i.kind = ?"), append(args, f.Kind)
	}
	if f.Status == StatusDraft || f.Status == StatusIssued {
		where, args = append(where, "i.status = ?"), append(args, f.Status)
	}
	if !f.From.IsZero() {
		where, args = append(where, "i.issue_date >= ?"), append(args, day(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "i.issue_date <= ?"), append(args, day(f.To))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(i.number LIKE ? OR c.search_name LIKE ?)")
		args = append(args, "%"+q+"%", "%"+textsearch.Fold(q)+"%")
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	f.Offset = max(f.Offset, 0)
	cond := strings.Join(where, " AND ")
	const order = " ORDER BY CASE WHEN i.status = 'draft' THEN 0 ELSE 1 END, i.issue_date DESC, i.seq DESC, i.id DESC"
	if f.Payment == "" {
		var total int
		if err := s.db.Get(ctx, &total, `SELECT COUNT(*)`+invoiceFrom+` WHERE `+cond, args...); err != nil {
			return nil, 0, fmt.Errorf("invoicing: count invoices: %w", err)
		}
		page, err := loadInvoices(ctx, s.db, cond+order+" LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
		return page, total, err
	}
	// The payment state depends on today and on sums: filtered here, over
	// the issued invoices only.
	all, err := loadInvoices(ctx, s.db, cond+" AND i.status = 'issued' AND i.kind = 'invoice'"+order, args...)
	if err != nil {
		return nil, 0, err
	}
	today := s.today()
	kept := all[:0]
	for _, inv := range all {
		st := inv.PaymentStatus(today)
		if st == f.Payment || (f.Payment == "open" && (st == PayUnpaid || st == PayPartly || st == PayOverdue)) {
			kept = append(kept, inv)
		}
	}
	total := len(kept)
	from := min(f.Offset, total)
	return kept[from:min(from+f.Limit, total)], total, nil
}
