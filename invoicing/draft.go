package invoicing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/money"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// LineInput is a line as staff type it.
type LineInput struct {
	Label         string          `json:"label"`
	Detail        string          `json:"detail"`
	ServiceKind   tax.ServiceKind `json:"service_kind"`
	EventCountry  string          `json:"event_country"`
	QuantityMilli int64           `json:"quantity_milli"`
	Unit          string          `json:"unit"`
	UnitPrice     int64           `json:"unit_price_cents"`
	Discount      int64           `json:"discount_cents"`
	BookingID     *int64          `json:"booking_id,omitempty"`
}

// DraftInput is a draft invoice or credit note.
type DraftInput struct {
	ClientID      int64       `json:"client_id"`
	Kind          string      `json:"kind"`    // invoice (default) or credit_note
	Purpose       string      `json:"purpose"` // standard (default), deposit, final
	Payer         string      `json:"payer"`   // client (default) or opco (needs a booking with a payer plan)
	CorrectsID    *int64      `json:"corrects_id,omitempty"`
	BookingID     *int64      `json:"booking_id,omitempty"`
	ProposalID    *int64      `json:"proposal_id,omitempty"`
	Lang          string      `json:"lang"` // fr, en; "" = the client's document language
	ServiceStart  *time.Time  `json:"service_start,omitempty"`
	ServiceEnd    *time.Time  `json:"service_end,omitempty"`
	PurchaseOrder string      `json:"purchase_order"`
	Note          string      `json:"note"`
	Lines         []LineInput `json:"lines"`
	DepositIDs    []int64     `json:"deposit_ids,omitempty"` // final invoice: the deposit invoices it deducts
}

var units = map[string]bool{"unit": true, "day": true, "half_day": true, "hour": true, "trainee": true, "session": true, "package": true}

func (in *DraftInput) normalize() error {
	inv := &errs.Invalid{}
	in.Kind = or(in.Kind, KindInvoice)
	in.Purpose = or(in.Purpose, PurposeStandard)
	in.Payer = or(in.Payer, PayerClient)
	if in.Kind != KindInvoice && in.Kind != KindCreditNote {
		inv.Add("kind", "error.invalid")
	}
	if in.Purpose != PurposeStandard && in.Purpose != PurposeDeposit && in.Purpose != PurposeFinal {
		inv.Add("purpose", "error.invalid")
	}
	if in.Kind == KindCreditNote && in.Purpose != PurposeStandard {
		inv.Add("purpose", "error.invalid")
	}
	if in.Payer != PayerClient && in.Payer != PayerOPCO {
		inv.Add("payer", "error.invalid")
	}
	if in.Payer == PayerOPCO && in.BookingID == nil {
		inv.Add("payer", "error.opco_needs_booking")
	}
	if in.Kind != KindCreditNote && in.CorrectsID != nil {
		inv.Add("corrects_id", "error.invalid")
	}
	if in.Lang != "" && in.Lang != "fr" && in.Lang != "en" {
		inv.Add("lang", "error.invalid")
	}
	if in.ServiceStart != nil && in.ServiceEnd != nil && in.ServiceEnd.Before(*in.ServiceStart) {
		inv.Add("service_end", "error.period_order")
	}
	in.PurchaseOrder = strings.TrimSpace(in.PurchaseOrder)
	in.Note = strings.TrimSpace(in.Note)
	if len(in.Lines) == 0 {
		inv.Add("lines", "error.lines_required")
	}
	for i := range in.Lines {
		l := &in.Lines[i]
		field := fmt.Sprintf("lines.%d.", i)
		l.Label = strings.TrimSpace(l.Label)
		l.Detail = strings.TrimSpace(l.Detail)
		l.Unit = or(l.Unit, "unit")
		l.EventCountry = strings.ToUpper(strings.TrimSpace(l.EventCountry))
		if l.Label == "" {
			inv.Add(field+"label", "error.required")
		}
		if !l.ServiceKind.Valid() {
			inv.Add(field+"service_kind", "error.invalid")
		}
		if l.QuantityMilli <= 0 {
			inv.Add(field+"quantity", "error.positive")
		}
		if l.UnitPrice < 0 {
			inv.Add(field+"unit_price", "error.positive")
		}
		if l.Discount < 0 || l.Discount > money.LineNet(l.QuantityMilli, l.UnitPrice, 0) {
			inv.Add(field+"discount", "error.discount_range")
		}
		if !units[l.Unit] {
			inv.Add(field+"unit", "error.invalid")
		}
	}
	return inv.OrNil()
}

func or(s, def string) string {
	if s = strings.TrimSpace(s); s == "" {
		return def
	}
	return s
}

// CreateDraft saves a new draft. A draft has no number and no legal
// existence: it may be edited and deleted until it is issued.
func (s *Service) CreateDraft(ctx context.Context, in DraftInput) (Invoice, error) {
	if err := in.normalize(); err != nil {
		return Invoice{}, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		id, err = s.insertDraft(ctx, tx, in)
		return err
	})
	if err != nil {
		return Invoice{}, err
	}
	return s.Preview(ctx, id)
}

func (s *Service) insertDraft(ctx context.Context, tx *db.Tx, in DraftInput) (int64, error) {
	if err := s.checkDraftRefs(ctx, tx, in); err != nil {
		return 0, err
	}
	lang := in.Lang
	if lang == "" {
		if err := tx.Get(ctx, &lang, `SELECT doc_language FROM clients WHERE id = ?`, in.ClientID); err != nil {
			return 0, fmt.Errorf("invoicing: client %d: %w", in.ClientID, err)
		}
	}
	at := s.now()
	id, err := db.InsertID(ctx, tx, `INSERT INTO invoices (client_id, kind, purpose, payer, corrects_id, booking_id,
		proposal_id, lang, service_start, service_end, purchase_order, note, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.ClientID, in.Kind, in.Purpose, in.Payer, in.CorrectsID, in.BookingID, in.ProposalID, lang,
		dayPtr(in.ServiceStart), dayPtr(in.ServiceEnd), in.PurchaseOrder, in.Note, staffOf(ctx), at, at)
	if err != nil {
		return 0, fmt.Errorf("invoicing: create draft: %w", err)
	}
	if err := writeLines(ctx, tx, id, in); err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, tx, audit.Event{Action: "invoice.draft", Entity: "invoice", EntityID: id,
		Details: map[string]any{"client_id": in.ClientID, "kind": in.Kind, "purpose": in.Purpose, "payer": in.Payer, "lines": len(in.Lines)}})
}

// checkDraftRefs checks that what a draft points to belongs to its client.
func (s *Service) checkDraftRefs(ctx context.Context, q db.Querier, in DraftInput) error {
	var n int
	if err := q.Get(ctx, &n, `SELECT COUNT(*) FROM clients WHERE id = ?`, in.ClientID); err != nil {
		return err
	}
	if n == 0 {
		return errs.NewInvalid("client_id", "error.not_found")
	}
	if in.BookingID != nil {
		if err := q.Get(ctx, &n, `SELECT COUNT(*) FROM bookings b JOIN requests r ON r.id = b.request_id
			WHERE b.id = ? AND r.client_id = ?`, *in.BookingID, in.ClientID); err != nil {
			return err
		}
		if n == 0 {
			return errs.NewInvalid("booking_id", "error.not_of_client")
		}
	}
	if in.Payer == PayerOPCO {
		if err := q.Get(ctx, &n, `SELECT COUNT(*) FROM payer_plans WHERE booking_id = ?`, *in.BookingID); err != nil {
			return err
		}
		if n == 0 {
			return errs.NewInvalid("payer", "error.opco_no_payer_plan")
		}
	}
	if in.ProposalID != nil {
		if err := q.Get(ctx, &n, `SELECT COUNT(*) FROM proposals p JOIN requests r ON r.id = p.request_id
			WHERE p.id = ? AND r.client_id = ?`, *in.ProposalID, in.ClientID); err != nil {
			return err
		}
		if n == 0 {
			return errs.NewInvalid("proposal_id", "error.not_of_client")
		}
	}
	if in.CorrectsID != nil {
		if err := q.Get(ctx, &n, `SELECT COUNT(*) FROM invoices WHERE id = ? AND client_id = ? AND kind = 'invoice'
			AND status = 'issued' AND payer = ?`, *in.CorrectsID, in.ClientID, in.Payer); err != nil {
			return err
		}
		if n == 0 {
			return errs.NewInvalid("corrects_id", "error.corrects_issued_invoice")
		}
	}
	for _, d := range in.DepositIDs {
		if err := q.Get(ctx, &n, `SELECT COUNT(*) FROM invoices WHERE id = ? AND client_id = ? AND purpose = 'deposit'
			AND status = 'issued' AND payer = ?`, d, in.ClientID, in.Payer); err != nil {
			return err
		}
		if n == 0 {
			return errs.NewInvalid("deposit_ids", "error.not_of_client")
		}
	}
	return nil
}

func writeLines(ctx context.Context, tx *db.Tx, id int64, in DraftInput) error {
	if _, err := tx.Exec(ctx, `DELETE FROM invoice_lines WHERE invoice_id = ?`, id); err != nil {
		return fmt.Errorf("invoicing: replace lines of %d: %w", id, err)
	}
	for i, l := range in.Lines {
		net := money.LineNet(l.QuantityMilli, l.UnitPrice, l.Discount)
		if _, err := tx.Exec(ctx, `INSERT INTO invoice_lines (invoice_id, position, label, detail, service_kind,
			event_country, quantity_milli, unit, unit_price_cents, discount_cents, net_cents, booking_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, i+1, l.Label, l.Detail, string(l.ServiceKind), l.EventCountry, l.QuantityMilli, l.Unit, l.UnitPrice,
			l.Discount, net, l.BookingID); err != nil {
			return fmt.Errorf("invoicing: write line %d of %d: %w", i+1, id, err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM invoice_deposits WHERE invoice_id = ?`, id); err != nil {
		return err
	}
	for _, d := range in.DepositIDs {
		if _, err := tx.Exec(ctx, `INSERT INTO invoice_deposits (invoice_id, deposit_id) VALUES (?, ?)`, id, d); err != nil {
			return fmt.Errorf("invoicing: deduct deposit %d: %w", d, err)
		}
	}
	return nil
}

func dayPtr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	d := day(*t)
	return &d
}

// UpdateDraft replaces a draft's header and lines.
func (s *Service) UpdateDraft(ctx context.Context, id int64, in DraftInput) (Invoice, error) {
	if err := in.normalize(); err != nil {
		return Invoice{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		cur, err := loadInvoice(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Issued() {
			return conflict{ErrIssued}
		}
		in.ClientID = cur.ClientID // a draft stays with its client
		if err := s.checkDraftRefs(ctx, tx, in); err != nil {
			return err
		}
		lang := or(in.Lang, cur.Lang)
		if _, err := tx.Exec(ctx, `UPDATE invoices SET kind = ?, purpose = ?, payer = ?, corrects_id = ?, booking_id = ?,
			proposal_id = ?, lang = ?, service_start = ?, service_end = ?, purchase_order = ?, note = ?, updated_at = ?
			WHERE id = ? AND status = 'draft'`,
			in.Kind, in.Purpose, in.Payer, in.CorrectsID, in.BookingID, in.ProposalID, lang, dayPtr(in.ServiceStart),
			dayPtr(in.ServiceEnd), in.PurchaseOrder, in.Note, s.now(), id); err != nil {
			return fmt.Errorf("invoicing: update draft %d: %w", id, err)
		}
		if err := writeLines(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "invoice.draft_update", Entity: "invoice", EntityID: id,
			Details: map[string]any{"lines": len(in.Lines)}})
	})
	if err != nil {
		return Invoice{}, err
	}
	return s.Preview(ctx, id)
}

// DeleteDraft deletes a draft; an issued document is refused (and the
// database would refuse it too).
func (s *Service) DeleteDraft(ctx context.Context, id int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		cur, err := loadInvoice(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Issued() {
			return conflict{ErrIssued}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM invoices WHERE id = ? AND status = 'draft'`, id); err != nil {
			return fmt.Errorf("invoicing: delete draft %d: %w", id, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "invoice.draft_delete", Entity: "invoice", EntityID: id,
			Details: map[string]any{"client_id": cur.ClientID}})
	})
}

// Input is the draft as DraftInput, to edit it.
func (inv Invoice) Input() DraftInput {
	in := DraftInput{ClientID: inv.ClientID, Kind: inv.Kind, Purpose: inv.Purpose, Payer: inv.Payer, CorrectsID: inv.CorrectsID,
		BookingID: inv.BookingID, ProposalID: inv.ProposalID, Lang: inv.Lang, ServiceStart: inv.ServiceStart,
		ServiceEnd: inv.ServiceEnd, PurchaseOrder: inv.PurchaseOrder, Note: inv.Note, DepositIDs: inv.Deposits}
	for _, l := range inv.Lines {
		in.Lines = append(in.Lines, LineInput{Label: l.Label, Detail: l.Detail, ServiceKind: l.ServiceKind,
			EventCountry: l.EventCountry, QuantityMilli: l.QuantityMilli, Unit: l.Unit, UnitPrice: l.UnitPrice,
			Discount: l.Discount, BookingID: l.BookingID})
	}
	return in
}
