package crm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// BrokerProfile is the broker's own legal identity, printed in the header
// and footer of every generated document. There is one, kept in a one-row
// table; until an admin fills it, documents carry what is there.
type BrokerProfile struct {
	LegalName  string `db:"legal_name" json:"legal_name"`
	LegalForm  string `db:"legal_form" json:"legal_form"` // e.g. "SAS au capital de 10 000 €"
	Street     string `db:"street" json:"street"`
	PostalCode string `db:"postal_code" json:"postal_code"`
	City       string `db:"city" json:"city"`
	Country    string `db:"country" json:"country"`
	SIRET      string `db:"siret" json:"siret"`
	RCS        string `db:"rcs" json:"rcs"` // "RCS Lyon 123 456 789"
	VATNumber  string `db:"vat_number" json:"vat_number"`
	// NDA is the training declaration number (11 digits) and NDARegion the
	// region whose prefect registered it, both printed on agreements.
	NDA       string `db:"nda" json:"nda"`
	NDARegion string `db:"nda_region" json:"nda_region"`
	Qualiopi  string `db:"qualiopi" json:"qualiopi"` // certificate reference, empty when not certified
	// VATExempt: the broker holds the 261-4-4° a attestation, so the
	// training it sells itself is VAT-exempt (invoicing will date it).
	VATExempt bool `db:"vat_exempt" json:"vat_exempt"`
	// Representative signs agreements and certificates for the broker.
	Representative     string `db:"representative" json:"representative"`
	RepresentativeRole string `db:"representative_role" json:"representative_role"`
	Email              string `db:"email" json:"email"`
	Phone              string `db:"phone" json:"phone"`
	Website            string `db:"website" json:"website"`
	// Colour is the accent colour of documents (#rrggbb); LogoSum the blob
	// of the logo (PNG or JPEG), empty for none.
	Colour    string     `db:"colour" json:"colour"`
	LogoSum   string     `db:"logo_sum" json:"logo_sum"`
	UpdatedAt *time.Time `db:"updated_at" json:"updated_at,omitempty"`
}

var colourRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

func (p *BrokerProfile) normalize() error {
	inv := &errs.Invalid{}
	for _, f := range []*string{&p.LegalName, &p.LegalForm, &p.Street, &p.PostalCode, &p.City, &p.RCS, &p.NDARegion,
		&p.Qualiopi, &p.Representative, &p.RepresentativeRole, &p.Email, &p.Phone, &p.Website, &p.Colour} {
		*f = strings.TrimSpace(*f)
	}
	if p.LegalName == "" {
		inv.Add("legal_name", "error.required")
	}
	p.Country = strings.ToUpper(strings.TrimSpace(p.Country))
	if p.Country == "" {
		p.Country = "FR"
	}
	p.SIRET = digitsOnly(p.SIRET)
	if p.SIRET != "" && !ValidSIRET(p.SIRET) {
		inv.Add("siret", "error.siret_invalid")
	}
	p.NDA = digitsOnly(p.NDA)
	if p.NDA != "" && (len(p.NDA) != 11 || !allDigits(p.NDA)) {
		inv.Add("nda", "error.nda_invalid")
	}
	p.VATNumber = strings.ToUpper(strings.ReplaceAll(p.VATNumber, " ", ""))
	if p.VATNumber != "" && !validVATNumber(p.VATNumber) {
		inv.Add("vat_number", "error.vat_invalid")
	}
	if p.Colour != "" && !colourRe.MatchString(p.Colour) {
		inv.Add("colour", "error.colour_invalid")
	}
	p.Colour = strings.ToLower(p.Colour)
	return inv.OrNil()
}

// Broker keeps the broker's profile.
type Broker struct {
	db *db.DB
}

// NewBroker returns the service over d.
func NewBroker(d *db.DB) *Broker { return &Broker{db: d} }

const brokerColumns = `legal_name, legal_form, street, postal_code, city, country, siret, rcs, vat_number, nda,
	nda_region, qualiopi, vat_exempt, representative, representative_role, email, phone, website, colour, logo_sum, updated_at`

// Profile returns the broker's profile, empty (with country FR) when never saved.
func (s *Broker) Profile(ctx context.Context) (BrokerProfile, error) {
	var p BrokerProfile
	err := s.db.Get(ctx, &p, "SELECT "+brokerColumns+" FROM broker_profile WHERE id = 1")
	if errors.Is(err, errs.ErrNotFound) {
		return BrokerProfile{Country: "FR"}, nil
	}
	if err != nil {
		return BrokerProfile{}, fmt.Errorf("crm: load broker profile: %w", err)
	}
	return p, nil
}

// SaveProfile replaces the profile. The logo is set apart (SetLogo): an
// empty LogoSum here keeps the stored one.
func (s *Broker) SaveProfile(ctx context.Context, p BrokerProfile) (BrokerProfile, error) {
	if err := p.normalize(); err != nil {
		return BrokerProfile{}, err
	}
	now := time.Now().UTC()
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO broker_profile (id, `+brokerColumns+`)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET legal_name = excluded.legal_name, legal_form = excluded.legal_form,
			street = excluded.street, postal_code = excluded.postal_code, city = excluded.city, country = excluded.country,
			siret = excluded.siret, rcs = excluded.rcs, vat_number = excluded.vat_number, nda = excluded.nda,
			nda_region = excluded.nda_region, qualiopi = excluded.qualiopi, vat_exempt = excluded.vat_exempt,
			representative = excluded.representative, representative_role = excluded.representative_role, email = excluded.email, phone = excluded.phone,
			website = excluded.website, colour = excluded.colour, updated_at = excluded.updated_at`,
			p.LegalName, p.LegalForm, p.Street, p.PostalCode, p.City, p.Country, p.SIRET, p.RCS, p.VATNumber, p.NDA,
			p.NDARegion, p.Qualiopi, p.VATExempt, p.Representative, p.RepresentativeRole, p.Email, p.Phone, p.Website, p.Colour, p.LogoSum, now)
		if err != nil {
			return fmt.Errorf("crm: save broker profile: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "broker.update", Entity: "broker_profile", EntityID: 1})
	})
	if err != nil {
		return BrokerProfile{}, err
	}
	return s.Profile(ctx)
}

// SetLogo sets the logo's blob (already checked to be a PNG or JPEG by the
// caller), or removes it when sum is empty. The profile must exist.
func (s *Broker) SetLogo(ctx context.Context, sum string) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE broker_profile SET logo_sum = ?, updated_at = ? WHERE id = 1", sum, time.Now().UTC())
		if err != nil {
			return fmt.Errorf("crm: set broker logo: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errs.NewInvalid("legal_name", "error.broker_profile_first")
		}
		return audit.Record(ctx, tx, audit.Event{Action: "broker.logo", Entity: "broker_profile", EntityID: 1})
	})
}

// maxLogo bounds a logo's size: it is embedded in every document.
const maxLogo = 1 << 20

// SaveLogo checks that r is a PNG or JPEG image of at most 1 MB (by its
// content, not its name) and stores it; the sum goes to SetLogo or a
// client's DocumentStyle.
func SaveLogo(ctx context.Context, blobs documents.Blobs, r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxLogo+1))
	if err != nil {
		return "", fmt.Errorf("crm: read logo: %w", err)
	}
	if len(data) > maxLogo {
		return "", errs.NewInvalid("logo", "error.logo_too_large")
	}
	if t := http.DetectContentType(data); t != "image/png" && t != "image/jpeg" {
		return "", errs.NewInvalid("logo", "error.logo_type")
	}
	sum, _, err := blobs.Put(ctx, bytes.NewReader(data))
	return sum, err
}
