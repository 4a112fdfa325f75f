package invoicing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// Payment is money received against an issued invoice.
type Payment struct {
	ID         int64     `db:"id" json:"id"`
	InvoiceID  int64     `db:"invoice_id" json:"invoice_id"`
	ReceivedOn time.Time `db:"received_on" json:"received_on"`
	Amount     int64     `db:"amount_cents" json:"amount_cents"`
	Method     string    `db:"method" json:"method"` // transfer, cheque, card, direct_debit, other
	Reference  string    `db:"reference" json:"reference"`
	CreatedBy  *int64    `db:"created_by" json:"created_by,omitempty"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
}

var methods = []string{"transfer", "cheque", "card", "direct_debit", "other"}

const paymentCols = `id, invoice_id, received_on, amount_cents, method, reference, created_by, created_at`

// Payments lists the payments of an invoice, oldest first.
func (s *Service) Payments(ctx context.Context, invoiceID int64) ([]Payment, error) {
	var ps []Payment
	if err := s.db.Select(ctx, &ps, `SELECT `+paymentCols+` FROM payments WHERE invoice_id = ? ORDER BY received_on, id`, invoiceID); err != nil {
		return nil, fmt.Errorf("invoicing: payments of %d: %w", invoiceID, err)
	}
	return ps, nil
}

// RecordPayment records a full or partial payment of an issued invoice;
// more than what is outstanding is refused (a refund is not a payment).
func (s *Service) RecordPayment(ctx context.Context, p Payment) (Payment, error) {
	p.Method = or(p.Method, "transfer")
	p.Reference = strings.TrimSpace(p.Reference)
	bad := &errs.Invalid{}
	if p.Amount <= 0 {
		bad.Add("amount_cents", "error.positive")
	}
	if !slices.Contains(methods, p.Method) {
		bad.Add("method", "error.invalid")
	}
	if p.ReceivedOn.IsZero() {
		bad.Add("received_on", "error.required")
	} else if p.ReceivedOn = day(p.ReceivedOn); p.ReceivedOn.After(s.today()) {
		bad.Add("received_on", "error.date_future")
	}
	if err := bad.OrNil(); err != nil {
		return Payment{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		inv, err := loadInvoice(ctx, tx, p.InvoiceID)
		if err != nil {
			return err
		}
		if !inv.Issued() || inv.Kind != KindInvoice {
			return errs.NewInvalid("invoice_id", "error.payment_needs_issued_invoice")
		}
		if p.Amount > inv.Outstanding() {
			return errs.NewInvalid("amount_cents", "error.payment_exceeds_outstanding")
		}
		p.CreatedAt, p.CreatedBy = s.now(), staffOf(ctx)
		if p.ID, err = db.InsertID(ctx, tx, `INSERT INTO payments (invoice_id, received_on, amount_cents, method, reference,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.InvoiceID, p.ReceivedOn, p.Amount, p.Method, p.Reference, p.CreatedBy, p.CreatedAt); err != nil {
			return fmt.Errorf("invoicing: record payment of %d: %w", p.InvoiceID, err)
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "invoice.payment", Entity: "invoice", EntityID: inv.ID,
			Details: map[string]any{"amount_cents": p.Amount, "received_on": p.ReceivedOn.Format(time.DateOnly), "method": p.Method}}); err != nil {
			return err
		}
		_, err = crm.AddEntry(ctx, tx, crm.NewEntry{Kind: crm.KindStatusChange, OccurredAt: p.CreatedAt,
			Title: fmt.Sprintf("Règlement de %s sur %s", i18n.Money("fr", p.Amount), *inv.Number),
			Data:  map[string]any{"invoice_id": inv.ID, "event": "payment", "amount_cents": p.Amount},
			Links: []crm.Ref{{Type: "client", ID: inv.ClientID}, {Type: "invoice", ID: inv.ID}}})
		return err
	})
	return p, err
}

// DeletePayment removes a payment entered by mistake (audited).
func (s *Service) DeletePayment(ctx context.Context, invoiceID, id int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM payments WHERE id = ? AND invoice_id = ?`, id, invoiceID)
		if err != nil {
			return fmt.Errorf("invoicing: delete payment %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("invoicing: payment %d: %w", id, errs.ErrNotFound)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "invoice.payment_delete", Entity: "invoice", EntityID: invoiceID,
			Details: map[string]any{"payment_id": id}})
	})
}

// Aged is one client's receivables by age past the due date.
type Aged struct {
	ClientID   int64  `json:"client_id"`
	ClientName string `json:"client_name"`
	NotDue     int64  `json:"not_due_cents"`
	Days30     int64  `json:"days_1_30_cents"`
	Days60     int64  `json:"days_31_60_cents"`
	Days90     int64  `json:"days_61_90_cents"`
	Older      int64  `json:"days_over_90_cents"`
	Total      int64  `json:"total_cents"`
	Invoices   int    `json:"invoices"`
}

// Receivables lists the issued invoices with something outstanding on a
// day (payments and credit notes up to that day), oldest due first.
func (s *Service) Receivables(ctx context.Context, asOf time.Time) ([]Invoice, error) {
	asOf = day(asOf)
	all, err := loadInvoices(ctx, s.db, `i.status = 'issued' AND i.kind = 'invoice' AND i.issue_date <= ?
		AND i.due_cents > COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.invoice_id = i.id), 0)
			+ COALESCE((SELECT SUM(-cn.due_cents) FROM invoices cn WHERE cn.corrects_id = i.id AND cn.status = 'issued'), 0)
		ORDER BY i.due_date, i.number`, asOf)
	if err != nil {
		return nil, err
	}
	return all, nil
}

// AgedReceivables sums the receivables per client and age bucket.
func (s *Service) AgedReceivables(ctx context.Context, asOf time.Time) ([]Aged, error) {
	open, err := s.Receivables(ctx, asOf)
	if err != nil {
		return nil, err
	}
	asOf = day(asOf)
	byClient := map[int64]*Aged{}
	var order []int64
	for _, inv := range open {
		a := byClient[inv.ClientID]
		if a == nil {
			a = &Aged{ClientID: inv.ClientID, ClientName: inv.ClientName}
			byClient[inv.ClientID] = a
			order = append(order, inv.ClientID)
		}
		out := inv.Outstanding()
		late := int(asOf.Sub(*inv.DueDate).Hours() / 24)
		switch {
		case late <= 0:
			a.NotDue += out
		case late <= 30:
			a.Days30 += out
		case late <= 60:
			a.Days60 += out
		case late <= 90:
			a.Days90 += out
		default:
			a.Older += out
		}
		a.Total += out
		a.Invoices++
	}
	out := make([]Aged, 0, len(order))
	for _, id := range order {
		out = append(out, *byClient[id])
	}
	slices.SortFunc(out, func(a, b Aged) int { return int(b.Total - a.Total) })
	return out, nil
}
