package invoicing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// Frozen is everything an issued document was made of, stored with it:
// the PDF is re-served from the store, this is what reports, exports and
// the e-invoice read. Nothing of it is ever recomputed.
type Frozen struct {
	Doc         pdf.Invoice    `json:"document"` // what the PDF shows (logos left out)
	Seller      Party          `json:"seller"`
	Buyer       Party          `json:"buyer"`
	OnBehalfOf  *Party         `json:"on_behalf_of,omitempty"` // OPCO invoice: the client company
	Regime      tax.Regime     `json:"regime"`
	BAR         string         `json:"bar"`       // e-invoicing business case (B2B, B2G, B2BINT, B2C)
	EInvoice    bool           `json:"e_invoice"` // sent as Factur-X
	Taxes       []tax.Subtotal `json:"taxes"`
	MentionKeys []string       `json:"mention_keys"`
	PMT         string         `json:"pmt"`
	PMD         string         `json:"pmd"`
	AAB         string         `json:"aab"`
	Accounts    tax.Accounts   `json:"accounts"`
	ClientAux   string         `json:"client_aux"` // auxiliary account of the payer
	Corrects    *pdf.Ref       `json:"corrects,omitempty"`
}

// Frozen decodes an issued document's snapshot.
func (inv Invoice) Frozen() (Frozen, error) {
	var f Frozen
	if !inv.Issued() {
		return f, fmt.Errorf("invoicing: invoice %d is a draft: nothing is frozen", inv.ID)
	}
	if err := json.Unmarshal([]byte(inv.Snapshot), &f); err != nil {
		return f, fmt.Errorf("invoicing: snapshot of %s: %w", inv.NumberOr("?"), err)
	}
	return f, nil
}

// IssueOptions are the choices made at issue.
type IssueOptions struct {
	// Date is the invoice date; zero is today. It may not precede the date
	// of the last number of its series (numbers follow dates).
	Date time.Time
}

// prepared is a draft with everything decided, ready to be numbered.
type prepared struct {
	inv       Invoice
	frozen    Frozen
	seller    SellerProfile
	broker    crm.BrokerProfile
	frame     pdf.Frame
	date      time.Time
	due       time.Time
	series    string
	lines     []Line
	totals    tax.Totals
	prepaid   int64
	deposits  []pdf.Ref
	plan      *PayerPlan // OPCO invoice: the plan it bills
	opcoShare *PayerPlan // client invoice of a booking an OPCO funds
}

// Issue issues a draft: it decides the tax of every line, freezes the
// document, takes its number from its series, renders the PDF (Factur-X
// for domestic business and public buyers) and stores it immutably — all
// in one transaction, so that a failure, or a crash, leaves the draft as
// it was and no hole in the numbers.
func (s *Service) Issue(ctx context.Context, id int64, opt IssueOptions) (Invoice, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return Invoice{}, err
	}
	if cur.Issued() {
		return Invoice{}, conflict{ErrIssued}
	}
	frame, broker, _, err := s.paperwork.Frame(ctx, cur.ClientID)
	if err != nil {
		return Invoice{}, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := s.prepare(ctx, tx, id, opt, frame, broker)
		if err != nil {
			return err
		}
		return s.issue(ctx, tx, p)
	})
	if err != nil {
		return Invoice{}, err
	}
	return s.Get(ctx, id)
}

// prepare decides everything but the number.
func (s *Service) prepare(ctx context.Context, tx *db.Tx, id int64, opt IssueOptions, frame pdf.Frame, broker crm.BrokerProfile) (prepared, error) {
	inv, err := loadInvoice(ctx, tx, id)
	if err != nil {
		return prepared{}, err
	}
	if inv.Issued() {
		return prepared{}, conflict{ErrIssued}
	}
	p := prepared{inv: inv, broker: broker, frame: frame, series: inv.Kind}
	p.date = s.today()
	if !opt.Date.IsZero() {
		p.date = day(opt.Date)
	}
	// The index on issued dates serves this; MAX() would lose the column
	// type on SQLite.
	var last []time.Time
	if err := tx.Select(ctx, &last, `SELECT issue_date FROM invoices WHERE series = ? AND year = ? AND status = 'issued'
		ORDER BY issue_date DESC LIMIT 1`, p.series, p.date.Year()); err != nil {
		return prepared{}, fmt.Errorf("invoicing: last date of series: %w", err)
	}
	if len(last) > 0 && p.date.Before(last[0]) {
		return prepared{}, errs.NewInvalid("date", "error.issue_date_before_last")
	}
	if p.seller, err = sellerOn(ctx, tx, p.date); err != nil {
		return prepared{}, err
	}
	inv.Lang = or(inv.Lang, "fr")
	f := &p.frozen
	f.Seller = sellerParty(broker)
	f.Accounts = p.seller.Accounts
	client, err := clientParty(ctx, tx, inv.ClientID)
	if err != nil {
		return prepared{}, err
	}
	ct, err := loadClientTax(ctx, tx, inv.ClientID)
	if err != nil {
		return prepared{}, err
	}
	f.Buyer, f.Regime = client, ct.Regime
	country := ct.Territory()
	f.ClientAux = fmt.Sprintf("C%06d", inv.ClientID)
	var plan *PayerPlan
	if inv.Payer == PayerOPCO {
		pl, err := loadPayerPlan(ctx, tx, *inv.BookingID)
		if err != nil {
			return prepared{}, err
		}
		plan = &pl
		// The OPCO is invoiced; the client is the company it pays for.
		f.OnBehalfOf = &client
		f.Buyer = pl.party()
		f.Regime, country = tax.FRB2B, "FR"
		f.ClientAux = pl.auxAccount()
	} else if inv.BookingID != nil {
		pl, err := loadPayerPlan(ctx, tx, *inv.BookingID)
		if err == nil {
			p.opcoShare = &pl
		} else if !errors.Is(err, errs.ErrNotFound) {
			return prepared{}, err
		}
	}
	p.plan = plan
	if err := checkBuyer(f.Buyer, f.Regime, inv); err != nil {
		return prepared{}, err
	}
	f.BAR, f.EInvoice = tax.Flow(f.Regime)

	// Each line's tax, decided on the supply date: the end of the service.
	supply := p.date
	if inv.ServiceEnd != nil {
		supply = *inv.ServiceEnd
	} else if inv.ServiceStart != nil {
		supply = *inv.ServiceStart
	}
	seller := p.seller.Seller()
	amounts := make([]tax.Amount, 0, len(inv.Lines))
	bad := &errs.Invalid{}
	for i, l := range inv.Lines {
		d, err := tax.Decide(tax.Input{Seller: seller, Regime: f.Regime, Kind: l.ServiceKind, SupplyDate: supply, EventCountry: l.EventCountry,
			ClientCountry: country})
		if err != nil {
			bad.Add(fmt.Sprintf("lines.%d.service_kind", i), "error.tax_undecided")
			continue
		}
		l.TaxRule, l.RateBP, l.Category, l.VATEX, l.MentionKey = d.Rule, d.RateBP, d.Category, d.VATEX, d.MentionKey
		l.RevenueAcct, l.VATAcct, l.OutOfBase = d.RevenueAccount, d.VATAccount, d.OutOfBase
		p.lines = append(p.lines, l)
		amounts = append(amounts, tax.Amount{Category: d.Category, RateBP: d.RateBP, VATEX: d.VATEX, MentionKey: d.MentionKey,
			Net: l.Net, OutOfBase: d.OutOfBase})
	}
	if err := bad.OrNil(); err != nil {
		return prepared{}, err
	}
	if len(p.lines) == 0 {
		return prepared{}, errs.NewInvalid("lines", "error.lines_required")
	}
	if f.EInvoice && slices.ContainsFunc(p.lines, func(l Line) bool { return l.OutOfBase }) {
		// EN 16931 has no place for amounts outside the VAT base, and the
		// e-invoice must carry the same totals as the PDF.
		return prepared{}, errs.NewInvalid("lines", "error.disbursement_separate_invoice")
	}
	p.totals = tax.Compute(amounts)
	f.Taxes = p.totals.Subtotals

	for _, depID := range inv.Deposits {
		dep, err := loadInvoice(ctx, tx, depID)
		if err != nil {
			return prepared{}, err
		}
		p.prepaid += dep.Gross
		p.deposits = append(p.deposits, pdf.Ref{Number: dep.NumberOr(""), Date: *dep.IssueDate, Amount: dep.Gross})
	}
	if p.prepaid > p.totals.Gross {
		return prepared{}, errs.NewInvalid("deposit_ids", "error.deposits_exceed_total")
	}
	if inv.Kind == KindCreditNote {
		if err := s.checkCredit(ctx, tx, &p); err != nil {
			return prepared{}, err
		}
	}
	days := p.seller.PaymentTermsDays
	if inv.Payer == PayerClient {
		var clientDays *int
		if err := tx.Get(ctx, &clientDays, `SELECT payment_terms_days FROM clients WHERE id = ?`, inv.ClientID); err != nil {
			return prepared{}, err
		}
		if clientDays != nil {
			days = *clientDays
		}
	}
	if f.Regime == tax.FRPublic {
		days = min(days, 30) // public buyers: 30 days at most
	}
	p.due = p.date.AddDate(0, 0, days)
	if inv.Kind == KindCreditNote {
		p.due = p.date
	}
	if err := s.mentions(&p); err != nil {
		return prepared{}, err
	}
	return p, nil
}

// checkBuyer refuses what the law or the e-invoice would reject.
func checkBuyer(b Party, r tax.Regime, inv Invoice) error {
	bad := &errs.Invalid{}
	if b.Name == "" {
		bad.Add("buyer", "error.required")
	}
	if b.Line1 == "" || b.City == "" {
		bad.Add("buyer_address", "error.billing_address_required")
	}
	if (r == tax.FRB2B || r == tax.FRPublic || r == tax.DOMTaxed || r == tax.DOMUntaxed) && len(b.SIREN) != 9 {
		// New mandatory mention, and BR-FR-11 in the e-invoice.
		bad.Add("buyer_siren", "error.client_siren_required")
	}
	if r == tax.EUB2B && b.VATNumber == "" {
		bad.Add("buyer_vat", "error.client_vat_required")
	}
	if r == tax.FRPublic && inv.Payer == PayerClient && b.SIRET == "" {
		bad.Add("buyer_siret", "error.public_siret_required")
	}
	if r == tax.FRPublic && b.EngagementRequired && inv.PurchaseOrder == "" {
		bad.Add("purchase_order", "error.engagement_number_required")
	}
	return bad.OrNil()
}

// checkCredit checks a credit note against the invoice it corrects: same
// client and payer, and never more than what is left of it.
func (s *Service) checkCredit(ctx context.Context, tx *db.Tx, p *prepared) error {
	inv := p.inv
	if inv.CorrectsID == nil {
		return errs.NewInvalid("corrects_id", "error.credit_needs_invoice")
	}
	orig, err := loadInvoice(ctx, tx, *inv.CorrectsID)
	if err != nil {
		return err
	}
	if !orig.Issued() || orig.Kind != KindInvoice || orig.ClientID != inv.ClientID || orig.Payer != inv.Payer {
		return errs.NewInvalid("corrects_id", "error.corrects_issued_invoice")
	}
	if p.totals.Gross > orig.Gross-orig.Credited {
		return errs.NewInvalid("lines", "error.credit_exceeds_invoice")
	}
	p.frozen.Corrects = &pdf.Ref{Number: *orig.Number, Date: *orig.IssueDate, Amount: orig.Gross}
	return nil
}

// mentions picks every text the decisions and the document call for, from
// the catalogue in force on the invoice date; none is typed by hand.
func (s *Service) mentions(p *prepared) error {
	lang, on, f := p.inv.Lang, p.date, &p.frozen
	text := func(key string, args ...any) (string, error) {
		t, err := tax.Text(key, lang, on)
		if err != nil {
			return "", fmt.Errorf("invoicing: mention %s: %w", key, err)
		}
		if len(args) > 0 {
			t = fmt.Sprintf(t, args...)
		}
		return t, nil
	}
	decisions := make([]tax.Decision, 0, len(p.lines))
	for _, l := range p.lines {
		decisions = append(decisions, tax.Decision{RateBP: l.RateBP, MentionKey: l.MentionKey})
	}
	doc := &f.Doc
	for _, k := range tax.FooterKeys(p.seller.Seller(), decisions) {
		t, err := text(k)
		if err != nil {
			return err
		}
		if k == tax.MentionNature {
			doc.Nature = t
			continue
		}
		f.MentionKeys = append(f.MentionKeys, k)
		doc.Mentions = append(doc.Mentions, t)
	}
	f.PMT, f.PMD, f.AAB = tax.PaymentNotes(f.Regime, lang, on)
	if f.PMT == "" || f.PMD == "" || f.AAB == "" {
		return fmt.Errorf("invoicing: no payment notes for %s in %s on %s", f.Regime, lang, on.Format(time.DateOnly))
	}
	doc.PaymentNotes = []string{f.PMD, f.PMT, f.AAB}
	if p.plan != nil {
		t, err := text(tax.MentionSubrogation)
		if err != nil {
			return err
		}
		doc.Notes = append(doc.Notes, t)
	} else if p.opcoShare != nil {
		// The client invoice of a booking an OPCO funds names the OPCO's share.
		t, err := text(tax.MentionOPCOShare, p.opcoShare.OPCOName, p.opcoShare.FileNumber)
		if err != nil {
			return err
		}
		doc.Notes = append(doc.Notes, t)
	}
	if p.inv.Note != "" {
		doc.Notes = append(doc.Notes, p.inv.Note)
	}
	return nil
}
