package invoicing

import (
	"context"
	"fmt"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/invoicing/facturx"
)

// Party is a buyer or company as frozen on an issued document.
type Party struct {
	Name        string `json:"name"`
	Line1       string `json:"line1,omitempty"`
	Line2       string `json:"line2,omitempty"`
	PostCode    string `json:"post_code,omitempty"`
	City        string `json:"city,omitempty"`
	Country     string `json:"country"`
	SIREN       string `json:"siren,omitempty"`
	SIRET       string `json:"siret,omitempty"`
	VATNumber   string `json:"vat_number,omitempty"`
	Email       string `json:"email,omitempty"`
	ServiceCode string `json:"service_code,omitempty"` // Chorus Pro code service
	// EngagementRequired: the public buyer's directory entry demands an
	// engagement number (its purchase order), else Chorus Pro rejects.
	EngagementRequired bool `json:"-"`
}

func (p Party) address() string {
	city := strings.TrimSpace(p.PostCode + " " + p.City)
	lines := []string{}
	for _, l := range []string{p.Line1, p.Line2, city} {
		if l != "" {
			lines = append(lines, l)
		}
	}
	if p.Country != "" && p.Country != "FR" {
		lines = append(lines, countryName(p.Country))
	}
	return strings.Join(lines, "\n")
}

func (p Party) pdf() pdf.Party {
	return pdf.Party{Name: p.Name, Address: p.address(), SIRET: or(p.SIRET, p.SIREN), VATNumber: p.VATNumber, Email: p.Email}
}

func (p Party) facturx() facturx.Party {
	fp := facturx.Party{Name: p.Name, SIREN: p.SIREN, SIRET: p.SIRET, VATNumber: p.VATNumber, Email: p.Email,
		ServiceCode: p.ServiceCode, Address: facturx.Address{Line1: p.Line1, Line2: p.Line2, PostCode: p.PostCode,
			City: p.City, Country: or(p.Country, "FR")}}
	if p.SIREN != "" {
		// The directory's electronic address of a French company is its SIREN (scheme 0225).
		fp.ElectronicAddress, fp.ElectronicScheme = p.SIREN, "0225"
	}
	return fp
}

// clientParty reads a client's billing identity: its billing (else head
// office, else first) establishment.
func clientParty(ctx context.Context, q db.Querier, clientID int64) (Party, error) {
	var row struct {
		Name        string `db:"legal_name"`
		SIREN       string `db:"siren"`
		Country     string `db:"country"`
		VATNumber   string `db:"vat_number"`
		Email       string `db:"billing_email"`
		ServiceCode string `db:"chorus_service_code"`
		Engagement  bool   `db:"chorus_engagement_required"`
		SIRET       string `db:"siret"`
		Line1       string `db:"address_line1"`
		Line2       string `db:"address_line2"`
		PostCode    string `db:"postal_code"`
		City        string `db:"city"`
		EstCountry  string `db:"est_country"`
	}
	err := q.Get(ctx, &row, `SELECT c.legal_name, c.siren, c.country, c.vat_number, c.billing_email, c.chorus_service_code, c.chorus_engagement_required,
		COALESCE(e.siret, '') AS siret, COALESCE(e.address_line1, '') AS address_line1,
		COALESCE(e.address_line2, '') AS address_line2, COALESCE(e.postal_code, '') AS postal_code,
		COALESCE(e.city, '') AS city, COALESCE(e.country, c.country) AS est_country
		FROM clients c LEFT JOIN client_establishments e ON e.id = (SELECT x.id FROM client_establishments x
			WHERE x.client_id = c.id ORDER BY x.billing DESC, x.head_office DESC, x.id LIMIT 1)
		WHERE c.id = ?`, clientID)
	if err != nil {
		return Party{}, fmt.Errorf("invoicing: billing identity of client %d: %w", clientID, err)
	}
	return Party{Name: row.Name, Line1: row.Line1, Line2: row.Line2, PostCode: row.PostCode, City: row.City,
		Country: or(row.EstCountry, or(row.Country, "FR")), SIREN: row.SIREN, SIRET: row.SIRET,
		VATNumber: row.VATNumber, Email: row.Email, ServiceCode: row.ServiceCode, EngagementRequired: row.Engagement}, nil
}

// sellerParty is the broker as seller, from its profile.
func sellerParty(b crm.BrokerProfile) Party {
	siren := ""
	if len(b.SIRET) >= 9 {
		siren = b.SIRET[:9]
	}
	return Party{Name: b.LegalName, Line1: b.Street, PostCode: b.PostalCode, City: b.City, Country: or(b.Country, "FR"),
		SIREN: siren, SIRET: b.SIRET, VATNumber: b.VATNumber, Email: b.Email}
}

var countries = map[string]string{"BE": "Belgique", "DE": "Allemagne", "ES": "Espagne", "IT": "Italie", "LU": "Luxembourg",
	"NL": "Pays-Bas", "PT": "Portugal", "IE": "Irlande", "AT": "Autriche", "PL": "Pologne", "SE": "Suède", "DK": "Danemark",
	"FI": "Finlande", "GB": "Royaume-Uni", "CH": "Suisse", "US": "États-Unis", "CA": "Canada", "MA": "Maroc", "TN": "Tunisie",
	"SN": "Sénégal", "CI": "Côte d'Ivoire", "GP": "Guadeloupe", "MQ": "Martinique", "RE": "La Réunion", "GF": "Guyane", "YT": "Mayotte"}

// countryName names a country on an address; an unknown code prints as is.
func countryName(code string) string {
	if n, ok := countries[code]; ok {
		return n
	}
	return code
}
