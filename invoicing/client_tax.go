package invoicing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// ClientTax is what decides a client's tax regime: its country, the post
// code of its billing address (French overseas departments), public body or
// individual, its VAT number and the last check of it — and the regime
// staff may force, with the reason.
type ClientTax struct {
	ClientID       int64      `db:"client_id" json:"client_id"`
	Country        string     `db:"country" json:"country"`
	PostCode       string     `db:"post_code" json:"post_code"`
	PublicBody     bool       `db:"public_body" json:"public_body"`
	Individual     bool       `db:"individual" json:"individual"`
	VATNumber      string     `db:"vat_number" json:"vat_number"`
	Override       string     `db:"tax_regime" json:"override,omitempty"`
	OverrideReason string     `db:"override_reason" json:"override_reason,omitempty"`
	CheckedNumber  string     `db:"vat_checked_number" json:"-"`
	VATValid       bool       `db:"vat_valid" json:"vat_valid"`
	CheckSource    string     `db:"vat_check_source" json:"vat_check_source,omitempty"` // vies or manual
	CheckReference string     `db:"vat_check_reference" json:"vat_check_reference,omitempty"`
	CheckName      string     `db:"vat_check_name" json:"vat_check_name,omitempty"`
	CheckedAt      *time.Time `db:"vat_checked_at" json:"vat_checked_at,omitempty"`
	Derived        tax.Regime `db:"-" json:"derived"`
	Regime         tax.Regime `db:"-" json:"regime"` // the override when set, else the derived one
}

// checkValid says whether the last check is of the current number.
func (c ClientTax) checkValid() bool {
	return c.VATValid && c.CheckedNumber != "" && c.CheckedNumber == tax.NormalizeVAT(c.VATNumber)
}

// Territory is where the client is established, for the place of supply
// (a French overseas department has its own code).
func (c ClientTax) Territory() string {
	return tax.ClientFacts{Country: c.Country, PostCode: c.PostCode}.Territory()
}

func (c *ClientTax) derive() {
	status := tax.Business
	switch {
	case c.Individual:
		status = tax.Individual
	case c.PublicBody:
		status = tax.Public
	}
	c.Derived = tax.DeriveRegime(tax.ClientFacts{Country: c.Country, PostCode: c.PostCode, Status: status,
		VATNumber: c.VATNumber, VATValid: c.checkValid()})
	c.Regime = c.Derived
	if r := tax.Regime(c.Override); r.Valid() {
		c.Regime = r
	}
}

// A client's billing (else head-office, else any) establishment gives the post code.
const clientTaxQuery = `SELECT c.id AS client_id, c.country, c.public_body, c.vat_number, c.tax_regime,
	COALESCE(t.individual, FALSE) AS individual, COALESCE(t.override_reason, '') AS override_reason,
	COALESCE(t.vat_checked_number, '') AS vat_checked_number, COALESCE(t.vat_valid, FALSE) AS vat_valid,
	COALESCE(t.vat_check_source, '') AS vat_check_source, COALESCE(t.vat_check_reference, '') AS vat_check_reference,
	COALESCE(t.vat_check_name, '') AS vat_check_name, t.vat_checked_at,
	COALESCE((SELECT e.postal_code FROM client_establishments e WHERE e.client_id = c.id
		ORDER BY e.billing DESC, e.head_office DESC, e.id LIMIT 1), '') AS post_code
	FROM clients c LEFT JOIN client_tax t ON t.client_id = c.id WHERE c.id = ?`

func loadClientTax(ctx context.Context, q db.Querier, clientID int64) (ClientTax, error) {
	var c ClientTax
	if err := q.Get(ctx, &c, clientTaxQuery, clientID); err != nil {
		return ClientTax{}, fmt.Errorf("invoicing: load tax facts of client %d: %w", clientID, err)
	}
	c.derive()
	return c, nil
}

// ClientTax returns a client's tax facts and regime.
func (s *Service) ClientTax(ctx context.Context, clientID int64) (ClientTax, error) {
	return loadClientTax(ctx, s.db, clientID)
}

// ClientTaxInput is what staff set: whether the client is an individual,
// and a forced regime with its reason ("" derives it).
type ClientTaxInput struct {
	Individual     bool   `json:"individual"`
	Override       string `json:"override"`
	OverrideReason string `json:"override_reason"`
}

// SetClientTax records the individual flag and the forced regime.
func (s *Service) SetClientTax(ctx context.Context, clientID int64, in ClientTaxInput) (ClientTax, error) {
	in.Override = strings.TrimSpace(in.Override)
	in.OverrideReason = strings.TrimSpace(in.OverrideReason)
	inv := &errs.Invalid{}
	if in.Override != "" && !tax.Regime(in.Override).Valid() {
		inv.Add("override", "error.invalid")
	}
	if in.Override != "" && in.OverrideReason == "" {
		// A forced regime changes the tax of every invoice: say why.
		inv.Add("override_reason", "error.required")
	}
	if err := inv.OrNil(); err != nil {
		return ClientTax{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		before, err := loadClientTax(ctx, tx, clientID)
		if err != nil {
			return err
		}
		at := s.now()
		if _, err := tx.Exec(ctx, `UPDATE clients SET tax_regime = ?, updated_at = ? WHERE id = ?`, in.Override, at, clientID); err != nil {
			return fmt.Errorf("invoicing: set regime of client %d: %w", clientID, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO client_tax (client_id, individual, override_reason, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (client_id) DO UPDATE SET individual = excluded.individual,
				override_reason = excluded.override_reason, updated_at = excluded.updated_at`,
			clientID, in.Individual, in.OverrideReason, at); err != nil {
			return fmt.Errorf("invoicing: set tax facts of client %d: %w", clientID, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "invoicing.client_tax", Entity: "client", EntityID: clientID,
			Details: map[string]any{"individual": in.Individual, "override": in.Override, "reason": in.OverrideReason,
				"before": string(before.Regime)}})
	})
	if err != nil {
		return ClientTax{}, err
	}
	return s.ClientTax(ctx, clientID)
}

// ErrNoVIES is returned when no online check is configured.
var ErrNoVIES = errors.New("invoicing: no VIES checker is configured: confirm the VAT number by hand")

// CheckVAT checks a client's VAT number: its format always, then VIES
// online. The result and its date are stored; an EU client becomes EU_B2B
// only with a valid number.
func (s *Service) CheckVAT(ctx context.Context, clientID int64) (ClientTax, error) {
	c, err := s.ClientTax(ctx, clientID)
	if err != nil {
		return ClientTax{}, err
	}
	number := tax.NormalizeVAT(c.VATNumber)
	country, err := tax.CheckVATFormat(number)
	if err != nil {
		return ClientTax{}, errs.NewInvalid("vat_number", "error.vat_number_format")
	}
	if s.vies == nil {
		return ClientTax{}, ErrNoVIES
	}
	res, err := s.vies.Check(ctx, country, number[2:])
	if err != nil {
		return ClientTax{}, fmt.Errorf("invoicing: VIES check of %s: %w", number, err)
	}
	if res.CheckedAt.IsZero() {
		res.CheckedAt = s.now()
	}
	return s.recordVATCheck(ctx, clientID, number, res.Valid, "vies", res.Reference, res.Name, res.CheckedAt)
}

// ConfirmVAT records a VAT number confirmed by hand (VIES down, or a
// certificate from the client), with the reference of the proof.
func (s *Service) ConfirmVAT(ctx context.Context, clientID int64, reference string) (ClientTax, error) {
	reference = strings.TrimSpace(reference)
	if reference == "" {
		return ClientTax{}, errs.NewInvalid("reference", "error.required")
	}
	c, err := s.ClientTax(ctx, clientID)
	if err != nil {
		return ClientTax{}, err
	}
	number := tax.NormalizeVAT(c.VATNumber)
	if _, err := tax.CheckVATFormat(number); err != nil {
		return ClientTax{}, errs.NewInvalid("vat_number", "error.vat_number_format")
	}
	return s.recordVATCheck(ctx, clientID, number, true, "manual", reference, "", s.now())
}

func (s *Service) recordVATCheck(ctx context.Context, clientID int64, number string, valid bool, source, ref, name string, at time.Time) (ClientTax, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO client_tax (client_id, vat_checked_number, vat_valid, vat_check_source,
			vat_check_reference, vat_check_name, vat_checked_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (client_id) DO UPDATE SET vat_checked_number = excluded.vat_checked_number,
				vat_valid = excluded.vat_valid, vat_check_source = excluded.vat_check_source,
				vat_check_reference = excluded.vat_check_reference, vat_check_name = excluded.vat_check_name,
				vat_checked_at = excluded.vat_checked_at, updated_at = excluded.updated_at`,
			clientID, number, valid, source, ref, name, at, s.now()); err != nil {
			return fmt.Errorf("invoicing: record VAT check of client %d: %w", clientID, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "invoicing.vat_check", Entity: "client", EntityID: clientID,
			Details: map[string]any{"number": number, "valid": valid, "source": source, "reference": ref}})
	})
	if err != nil {
		return ClientTax{}, err
	}
	return s.ClientTax(ctx, clientID)
}
