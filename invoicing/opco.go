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
)

// PayerPlan is the OPCO's share of a booking under subrogation de
// paiement (DOMAIN.md §7): the OPCO is invoiced its agreed share, the
// client the remainder, each invoice with its own VAT.
type PayerPlan struct {
	BookingID  int64     `db:"booking_id" json:"booking_id"`
	OPCOName   string    `db:"opco_name" json:"opco_name"`
	OPCOSIREN  string    `db:"opco_siren" json:"opco_siren"`
	Address    string    `db:"opco_address" json:"opco_address"`
	PostalCode string    `db:"opco_postal_code" json:"opco_postal_code"`
	City       string    `db:"opco_city" json:"opco_city"`
	Email      string    `db:"opco_email" json:"opco_email"`
	FileNumber string    `db:"file_number" json:"file_number"`
	Agreed     int64     `db:"agreed_cents" json:"agreed_cents"`
	Basis      string    `db:"agreed_basis" json:"agreed_basis"` // HT or TTC: what the agreed amount includes
	HoursMilli int64     `db:"hours_milli" json:"hours_milli"`   // hours funded, as on the agreement
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time `db:"updated_at" json:"updated_at"`
}

func (p PayerPlan) party() Party {
	return Party{Name: p.OPCOName, Line1: p.Address, PostCode: p.PostalCode, City: p.City, Country: "FR",
		SIREN: p.OPCOSIREN, Email: p.Email}
}

// auxAccount is the OPCO's own auxiliary account under 411 (DOMAIN.md §6).
func (p PayerPlan) auxAccount() string {
	name := strings.ToUpper(strings.Map(func(r rune) rune {
		if (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, p.OPCOName))
	if len(name) > 12 {
		name = name[:12]
	}
	return "OPCO" + name
}

// share is the OPCO's share excluding VAT: a TTC-capped agreement covers
// cap ÷ (1 + rate) of the base (VAT never moves between the invoices).
func (p PayerPlan) share(price, rateBP int64) int64 {
	agreed := p.Agreed
	if p.Basis == "TTC" {
		agreed = money.FromTTC(agreed, rateBP)
	}
	return min(agreed, price)
}

func (p *PayerPlan) normalize() error {
	bad := &errs.Invalid{}
	for _, f := range []*string{&p.OPCOName, &p.OPCOSIREN, &p.Address, &p.PostalCode, &p.City, &p.Email, &p.FileNumber} {
		*f = strings.TrimSpace(*f)
	}
	p.OPCOSIREN = strings.ReplaceAll(p.OPCOSIREN, " ", "")
	p.Basis = or(strings.ToUpper(p.Basis), "HT")
	if p.OPCOName == "" {
		bad.Add("opco_name", "error.required")
	}
	if p.FileNumber == "" {
		bad.Add("file_number", "error.required")
	}
	if p.Address == "" || p.City == "" {
		bad.Add("opco_address", "error.billing_address_required")
	}
	if len(p.OPCOSIREN) != 9 {
		// The OPCO is the buyer of its invoice: a business whose SIREN is mandatory.
		bad.Add("opco_siren", "error.siren_invalid")
	}
	if p.Agreed <= 0 {
		bad.Add("agreed_cents", "error.positive")
	}
	if p.Basis != "HT" && p.Basis != "TTC" {
		bad.Add("agreed_basis", "error.invalid")
	}
	if p.HoursMilli < 0 {
		bad.Add("hours_milli", "error.positive")
	}
	return bad.OrNil()
}

const planCols = `booking_id, opco_name, opco_siren, opco_address, opco_postal_code, opco_city, opco_email, file_number,
	agreed_cents, agreed_basis, hours_milli, created_at, updated_at`

func loadPayerPlan(ctx context.Context, q db.Querier, bookingID int64) (PayerPlan, error) {
	var p PayerPlan
	if err := q.Get(ctx, &p, `SELECT `+planCols+` FROM payer_plans WHERE booking_id = ?`, bookingID); err != nil {
		return PayerPlan{}, fmt.Errorf("invoicing: payer plan of booking %d: %w", bookingID, err)
	}
	return p, nil
}

// PayerPlan returns the OPCO share of a booking (ErrNotFound when none).
func (s *Service) PayerPlan(ctx context.Context, bookingID int64) (PayerPlan, error) {
	return loadPayerPlan(ctx, s.db, bookingID)
}

// SavePayerPlan records or replaces the OPCO share of a booking. It cannot
// change once the OPCO has been invoiced: credit that invoice first.
func (s *Service) SavePayerPlan(ctx context.Context, p PayerPlan) (PayerPlan, error) {
	if err := p.normalize(); err != nil {
		return PayerPlan{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var n int
		if err := tx.Get(ctx, &n, `SELECT COUNT(*) FROM bookings WHERE id = ?`, p.BookingID); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("invoicing: booking %d: %w", p.BookingID, errs.ErrNotFound)
		}
		if err := tx.Get(ctx, &n, `SELECT COUNT(*) FROM invoices WHERE booking_id = ? AND payer = 'opco' AND status = 'issued'`,
			p.BookingID); err != nil {
			return err
		}
		if n > 0 {
			return conflict{fmt.Errorf("invoicing: the OPCO of booking %d is already invoiced", p.BookingID)}
		}
		at := s.now()
		if _, err := tx.Exec(ctx, `INSERT INTO payer_plans (booking_id, opco_name, opco_siren, opco_address, opco_postal_code,
			opco_city, opco_email, file_number, agreed_cents, agreed_basis, hours_milli, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (booking_id) DO UPDATE SET opco_name = excluded.opco_name, opco_siren = excluded.opco_siren,
				opco_address = excluded.opco_address, opco_postal_code = excluded.opco_postal_code,
				opco_city = excluded.opco_city, opco_email = excluded.opco_email, file_number = excluded.file_number,
				agreed_cents = excluded.agreed_cents, agreed_basis = excluded.agreed_basis,
				hours_milli = excluded.hours_milli, updated_at = excluded.updated_at`,
			p.BookingID, p.OPCOName, p.OPCOSIREN, p.Address, p.PostalCode, p.City, p.Email, p.FileNumber, p.Agreed,
			p.Basis, p.HoursMilli, at, at); err != nil {
			return fmt.Errorf("invoicing: save payer plan of booking %d: %w", p.BookingID, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "invoicing.payer_plan", Entity: "booking", EntityID: p.BookingID,
			Details: map[string]any{"opco": p.OPCOName, "file": p.FileNumber, "agreed_cents": p.Agreed, "basis": p.Basis}})
	})
	if err != nil {
		return PayerPlan{}, err
	}
	return s.PayerPlan(ctx, p.BookingID)
}
