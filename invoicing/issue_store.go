package invoicing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// nextNumber takes the next number of a series and year. The UPDATE locks
// the counter row until the transaction ends (SQLite: the single writer;
// PostgreSQL: the row lock), so concurrent issues queue and a rollback
// gives the number back.
func nextNumber(ctx context.Context, tx *db.Tx, series string, year int) (int64, error) {
	if _, err := tx.Exec(ctx, `INSERT INTO invoice_series (series, year, last_number) VALUES (?, ?, 0)
		ON CONFLICT (series, year) DO NOTHING`, series, year); err != nil {
		return 0, fmt.Errorf("invoicing: open series %s %d: %w", series, year, err)
	}
	var seq int64
	if err := tx.ExecReturning(ctx, &seq, `UPDATE invoice_series SET last_number = last_number + 1
		WHERE series = ? AND year = ? RETURNING last_number`, series, year); err != nil {
		return 0, fmt.Errorf("invoicing: next number of %s %d: %w", series, year, err)
	}
	return seq, nil
}

// issue numbers a prepared document, renders and stores its PDF and
// freezes the row, in tx.
func (s *Service) issue(ctx context.Context, tx *db.Tx, p prepared) error {
	inv, f := p.inv, &p.frozen
	seq, err := nextNumber(ctx, tx, p.series, p.date.Year())
	if err != nil {
		return err
	}
	format := p.seller.InvoiceFormat
	if inv.Kind == KindCreditNote {
		format = p.seller.CreditFormat
	}
	number := formatNumber(format, p.date.Year(), seq)

	sign := int64(1)
	if inv.Kind == KindCreditNote {
		sign = -1 // a credit note's totals are negative, on the row as on paper
	}
	net, vat, oob, gross := sign*p.totals.Net, sign*p.totals.VAT, sign*p.totals.OutOfBase, sign*p.totals.Gross
	prepaid := sign * p.prepaid
	due := gross - prepaid
	f.Doc = s.document(p, number, sign)
	content, xmlSum, err := s.render(p, f, number)
	if err != nil {
		return err
	}
	snapshot, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("invoicing: snapshot of %s: %w", number, err)
	}
	links := []documents.Link{{Type: documents.RecordInvoice, ID: inv.ID}}
	if inv.BookingID != nil {
		links = append(links, documents.Link{Type: documents.RecordBooking, ID: *inv.BookingID})
	}
	title := fmt.Sprintf("%s %s", docTitle(inv, inv.Lang), number)
	docID, sum, err := s.docs.SaveGeneratedIn(ctx, tx, documents.GeneratedDoc{Title: title, Kind: documents.KindInvoice,
		Lang: inv.Lang, Links: links, OwnerClientID: inv.ClientID, FileName: number + ".pdf",
		Content: bytes.NewReader(content), Snapshot: snapshot})
	if err != nil {
		return err
	}
	// Each line keeps its decision: written while the document is still a
	// draft, since the triggers freeze the lines with it.
	for _, l := range p.lines {
		if _, err := tx.Exec(ctx, `UPDATE invoice_lines SET tax_rule = ?, rate_bp = ?, vat_category = ?, vatex = ?,
			mention_key = ?, revenue_account = ?, vat_account = ?, out_of_base = ? WHERE id = ?`,
			l.TaxRule, l.RateBP, l.Category, l.VATEX, l.MentionKey, l.RevenueAcct, l.VATAcct, l.OutOfBase, l.ID); err != nil {
			return fmt.Errorf("invoicing: freeze line %d: %w", l.ID, err)
		}
	}
	at := s.now()
	res, err := tx.Exec(ctx, `UPDATE invoices SET status = 'issued', series = ?, year = ?, seq = ?, number = ?, regime = ?,
		issue_date = ?, due_date = ?, net_cents = ?, vat_cents = ?, out_of_base_cents = ?, gross_cents = ?,
		prepaid_cents = ?, due_cents = ?, snapshot = ?, pdf_document_id = ?, pdf_sha256 = ?, facturx = ?, xml_sha256 = ?,
		issued_by = ?, issued_at = ?, updated_at = ? WHERE id = ? AND status = 'draft'`,
		p.series, p.date.Year(), seq, number, string(f.Regime), p.date, p.due, net, vat, oob, gross, prepaid, due,
		string(snapshot), docID, sum, f.EInvoice, xmlSum, staffOf(ctx), at, at, inv.ID)
	if err != nil {
		return fmt.Errorf("invoicing: issue %d: %w", inv.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return conflict{ErrIssued}
	}
	if err := audit.Record(ctx, tx, audit.Event{Action: "invoice.issue", Entity: "invoice", EntityID: inv.ID,
		Details: map[string]any{"number": number, "kind": inv.Kind, "payer": inv.Payer, "regime": string(f.Regime),
			"gross_cents": gross, "pdf_sha256": sum, "facturx": f.EInvoice}}); err != nil {
		return err
	}
	refs := []crm.Ref{{Type: "client", ID: inv.ClientID}, {Type: "invoice", ID: inv.ID}}
	if inv.BookingID != nil {
		refs = append(refs, crm.Ref{Type: "booking", ID: *inv.BookingID})
	}
	if _, err := crm.AddEntry(ctx, tx, crm.NewEntry{Kind: crm.KindStatusChange, OccurredAt: at,
		Title: fmt.Sprintf("%s %s — %s", docTitle(inv, "fr"), number, i18n.Money("fr", gross)),
		Data:  map[string]any{"invoice_id": inv.ID, "number": number, "event": "issued", "gross_cents": gross},
		Links: refs, SearchExtra: number}); err != nil {
		return err
	}
	if s.beforeCommit != nil {
		s.beforeCommit(ctx, number)
	}
	return nil
}

// docTitle is "Facture", "Avoir"... in a language.
func docTitle(inv Invoice, lang string) string {
	key := inv.Kind
	if inv.Kind == KindInvoice && inv.Purpose != PurposeStandard {
		key = inv.Purpose
	}
	t := map[string][2]string{
		KindInvoice:    {"Facture", "Invoice"},
		KindCreditNote: {"Avoir", "Credit note"},
		PurposeDeposit: {"Facture d'acompte", "Deposit invoice"},
		PurposeFinal:   {"Facture de solde", "Final invoice"},
	}[key]
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

var _ = pdf.KindInvoice
