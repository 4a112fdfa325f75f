package invoicing

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// SellerProfile is the broker's VAT set-up from a date on. The version in
// force on an invoice's date is the one that decides it; versions are
// added, never edited, so that the basis of every issued invoice stays
// readable.
type SellerProfile struct {
	ID                   int64      `db:"id" json:"id"`
	ValidFrom            time.Time  `db:"valid_from" json:"valid_from"`
	VATScheme            string     `db:"vat_scheme" json:"vat_scheme"` // NORMAL or FRANCHISE_293B
	AttestationGranted   bool       `db:"attestation_granted" json:"attestation_granted"`
	AttestationFrom      *time.Time `db:"attestation_from" json:"attestation_from,omitempty"`
	AttestationRevokedOn *time.Time `db:"attestation_revoked_on" json:"attestation_revoked_on,omitempty"`
	AttestationRef       string     `db:"attestation_ref" json:"attestation_ref"`
	VATOnDebits          bool       `db:"vat_on_debits" json:"vat_on_debits"`
	ShareCapital         int64      `db:"share_capital_cents" json:"share_capital_cents"`
	IBAN                 string     `db:"iban" json:"iban"`
	BIC                  string     `db:"bic" json:"bic"`
	BankName             string     `db:"bank_name" json:"bank_name"`
	PaymentTermsDays     int        `db:"payment_terms_days" json:"payment_terms_days"`
	// InvoiceFormat and CreditFormat make the numbers: {YYYY} the year, {YY}
	// its last two digits, {N…} the sequence padded to as many digits as Ns.
	InvoiceFormat string       `db:"invoice_format" json:"invoice_format"`
	CreditFormat  string       `db:"credit_format" json:"credit_format"`
	AccountsJSON  string       `db:"accounts" json:"-"`
	Accounts      tax.Accounts `db:"-" json:"accounts"`
	CreatedBy     *int64       `db:"created_by" json:"created_by,omitempty"`
	CreatedAt     time.Time    `db:"created_at" json:"created_at"`
}

// DefaultSellerProfile is the set-up used before any version is saved.
func DefaultSellerProfile() SellerProfile {
	return SellerProfile{VATScheme: string(tax.Normal), PaymentTermsDays: 30,
		InvoiceFormat: "F{YYYY}-{NNNNNN}", CreditFormat: "AV{YYYY}-{NNNNNN}", Accounts: tax.DefaultAccounts()}
}

// Seller is the profile as the tax rules take it.
func (p SellerProfile) Seller() tax.Seller {
	a := tax.Attestation{Granted: p.AttestationGranted, DocumentRef: p.AttestationRef}
	if p.AttestationFrom != nil {
		a.EffectiveFrom = *p.AttestationFrom
	}
	if p.AttestationRevokedOn != nil {
		a.RevokedOn = *p.AttestationRevokedOn
	}
	return tax.Seller{VATScheme: tax.VATScheme(p.VATScheme), Attestation261: a, VATOnDebits: p.VATOnDebits, Accounts: p.Accounts}
}

var numberChars = regexp.MustCompile(`^[A-Za-z0-9+\-_/]+$`)

// formatNumber renders a number format for a year and sequence.
func formatNumber(format string, year int, seq int64) string {
	out := strings.ReplaceAll(format, "{YYYY}", fmt.Sprintf("%04d", year))
	out = strings.ReplaceAll(out, "{YY}", fmt.Sprintf("%02d", year%100))
	if i := strings.Index(out, "{N"); i >= 0 {
		if j := strings.Index(out[i:], "}"); j > 0 {
			width := j - 1
			out = out[:i] + fmt.Sprintf("%0*d", width, seq) + out[i+j+1:]
		}
	}
	return out
}

// checkFormat makes sure a format yields numbers the French rules accept
// (BR-FR-01/02: at most 35 characters of A-Z a-z 0-9 + - _ /), that the
// sequence is in it, and that the year is when the sequence restarts yearly.
func checkFormat(format string) bool {
	if !strings.Contains(format, "{N") || !(strings.Contains(format, "{YYYY}") || strings.Contains(format, "{YY}")) {
		return false
	}
	sample := formatNumber(format, 2099, 999999999)
	return len(formatNumber(format, 2099, 1)) <= 35 && len(sample) <= 35 && numberChars.MatchString(sample)
}

func (p *SellerProfile) normalize() error {
	inv := &errs.Invalid{}
	if !tax.VATScheme(p.VATScheme).Valid() {
		inv.Add("vat_scheme", "error.invalid")
	}
	if p.ValidFrom.IsZero() {
		inv.Add("valid_from", "error.required")
	}
	if p.AttestationGranted && p.AttestationFrom == nil {
		inv.Add("attestation_from", "error.required")
	}
	if p.AttestationRevokedOn != nil && p.AttestationFrom != nil && p.AttestationRevokedOn.Before(*p.AttestationFrom) {
		inv.Add("attestation_revoked_on", "error.invalid")
	}
	if p.PaymentTermsDays < 0 || p.PaymentTermsDays > 60 {
		// L441-10 I: at most 60 days from the invoice date.
		inv.Add("payment_terms_days", "error.payment_terms_max")
	}
	p.IBAN = strings.ToUpper(strings.ReplaceAll(p.IBAN, " ", ""))
	p.BIC = strings.ToUpper(strings.TrimSpace(p.BIC))
	if p.IBAN != "" && !validIBAN(p.IBAN) {
		inv.Add("iban", "error.iban_invalid")
	}
	for field, f := range map[string]*string{"invoice_format": &p.InvoiceFormat, "credit_format": &p.CreditFormat} {
		*f = strings.TrimSpace(*f)
		if !checkFormat(*f) {
			inv.Add(field, "error.number_format")
		}
	}
	if p.InvoiceFormat == p.CreditFormat {
		inv.Add("credit_format", "error.number_format_same")
	}
	if p.Accounts == (tax.Accounts{}) {
		p.Accounts = tax.DefaultAccounts()
	}
	return inv.OrNil()
}

// validIBAN checks an IBAN's length and its ISO 7064 mod-97 key.
func validIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	r := s[4:] + s[:4]
	n := 0
	for _, c := range r {
		switch {
		case c >= '0' && c <= '9':
			n = (n*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			n = (n*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return n == 1
}

const sellerCols = `id, valid_from, vat_scheme, attestation_granted, attestation_from, attestation_revoked_on,
	attestation_ref, vat_on_debits, share_capital_cents, iban, bic, bank_name, payment_terms_days, invoice_format,
	credit_format, accounts, created_by, created_at`

func (p *SellerProfile) decodeAccounts() error {
	p.Accounts = tax.DefaultAccounts()
	if p.AccountsJSON == "" {
		return nil
	}
	return json.Unmarshal([]byte(p.AccountsJSON), &p.Accounts)
}

// sellerOn is the profile in force on a day (the default before any).
func sellerOn(ctx context.Context, q db.Querier, on time.Time) (SellerProfile, error) {
	var ps []SellerProfile
	if err := q.Select(ctx, &ps, `SELECT `+sellerCols+` FROM seller_profiles WHERE valid_from <= ?
		ORDER BY valid_from DESC LIMIT 1`, on); err != nil {
		return SellerProfile{}, fmt.Errorf("invoicing: load seller profile: %w", err)
	}
	if len(ps) == 0 {
		return DefaultSellerProfile(), nil
	}
	return ps[0], ps[0].decodeAccounts()
}

// SellerProfiles lists every version, newest first.
func (s *Service) SellerProfiles(ctx context.Context) ([]SellerProfile, error) {
	var ps []SellerProfile
	if err := s.db.Select(ctx, &ps, `SELECT `+sellerCols+` FROM seller_profiles ORDER BY valid_from DESC`); err != nil {
		return nil, fmt.Errorf("invoicing: list seller profiles: %w", err)
	}
	for i := range ps {
		if err := ps[i].decodeAccounts(); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// SellerProfile is the version in force today.
func (s *Service) SellerProfile(ctx context.Context) (SellerProfile, error) {
	return sellerOn(ctx, s.db, s.today())
}

// SaveSellerProfile adds a version from p.ValidFrom on. A version may not
// start on or before the date of the last issued invoice: it would change
// the basis of documents already issued.
func (s *Service) SaveSellerProfile(ctx context.Context, p SellerProfile) (SellerProfile, error) {
	if err := p.normalize(); err != nil {
		return SellerProfile{}, err
	}
	p.ValidFrom = day(p.ValidFrom)
	accounts, err := json.Marshal(p.Accounts)
	if err != nil {
		return SellerProfile{}, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		var last []time.Time
		if err := tx.Select(ctx, &last, `SELECT issue_date FROM invoices WHERE status = 'issued'
			ORDER BY issue_date DESC LIMIT 1`); err != nil {
			return fmt.Errorf("invoicing: last issue date: %w", err)
		}
		if len(last) > 0 && !p.ValidFrom.After(last[0]) {
			return errs.NewInvalid("valid_from", "error.seller_profile_after_last_invoice")
		}
		by := staffOf(ctx)
		p.CreatedAt = s.now()
		p.CreatedBy = by
		if err := tx.ExecReturning(ctx, &p.ID, `INSERT INTO seller_profiles (valid_from, vat_scheme, attestation_granted,
			attestation_from, attestation_revoked_on, attestation_ref, vat_on_debits, share_capital_cents, iban, bic, bank_name,
			payment_terms_days, invoice_format, credit_format, accounts, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (valid_from) DO UPDATE SET vat_scheme = excluded.vat_scheme,
				attestation_granted = excluded.attestation_granted, attestation_from = excluded.attestation_from,
				attestation_revoked_on = excluded.attestation_revoked_on, attestation_ref = excluded.attestation_ref,
				vat_on_debits = excluded.vat_on_debits, share_capital_cents = excluded.share_capital_cents, iban = excluded.iban,
				bic = excluded.bic, bank_name = excluded.bank_name, payment_terms_days = excluded.payment_terms_days,
				invoice_format = excluded.invoice_format, credit_format = excluded.credit_format,
				accounts = excluded.accounts, created_by = excluded.created_by, created_at = excluded.created_at
			RETURNING id`,
			p.ValidFrom, p.VATScheme, p.AttestationGranted, p.AttestationFrom, p.AttestationRevokedOn, p.AttestationRef,
			p.VATOnDebits, p.ShareCapital, p.IBAN, p.BIC, p.BankName, p.PaymentTermsDays, p.InvoiceFormat, p.CreditFormat,
			string(accounts), by, p.CreatedAt); err != nil {
			return fmt.Errorf("invoicing: save seller profile: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "invoicing.seller_profile", Entity: "seller_profile", EntityID: p.ID,
			Details: map[string]any{"valid_from": p.ValidFrom.Format(time.DateOnly), "vat_scheme": p.VATScheme,
				"attestation": p.AttestationGranted, "invoice_format": p.InvoiceFormat, "credit_format": p.CreditFormat}})
	})
	return p, err
}
