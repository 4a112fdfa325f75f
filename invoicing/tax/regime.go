// Package tax decides the VAT treatment of each invoice line from the
// client's regime, the line's service kind and the seller's VAT profile
// (DOMAIN.md §3), and holds the mentions catalogue, the VAT-number checks and
// the per-rate totals. It is pure: no database, no HTTP server; the only I/O
// is the VIES client behind an interface.
package tax

import "strings"

// Regime is the client's tax regime, derived from its country, status and VAT
// number (DeriveRegime) or set by hand with a reason.
type Regime string

// The regimes of DOMAIN.md §3.4.
const (
	FRB2B      Regime = "FR_B2B"      // French business
	FRPublic   Regime = "FR_PUBLIC"   // French public body: FR_B2B VAT, Chorus Pro channel
	FRB2C      Regime = "FR_B2C"      // individual in France (DOM included)
	DOMTaxed   Regime = "DOM_TAXED"   // business in Guadeloupe, Martinique, La Réunion
	DOMUntaxed Regime = "DOM_UNTAXED" // business in Guyane, Mayotte
	EUB2B      Regime = "EU_B2B"      // business of another member state, VAT number valid
	EUB2C      Regime = "EU_B2C"      // individual, or business without a valid VAT number, in the EU
	NonEUB2B   Regime = "NON_EU_B2B"  // business outside the EU VAT territory
	NonEUB2C   Regime = "NON_EU_B2C"  // individual outside the EU VAT territory
)

var regimes = []Regime{FRB2B, FRPublic, FRB2C, DOMTaxed, DOMUntaxed, EUB2B, EUB2C, NonEUB2B, NonEUB2C}

// Regimes lists every regime in a stable order (for select boxes and tests).
func Regimes() []Regime { return append([]Regime(nil), regimes...) }

// Valid reports whether r is one of the regimes.
func (r Regime) Valid() bool {
	for _, x := range regimes {
		if r == x {
			return true
		}
	}
	return false
}

// B2B reports whether the client acts as a taxable person (public bodies included).
func (r Regime) B2B() bool {
	switch r {
	case FRB2B, FRPublic, DOMTaxed, DOMUntaxed, EUB2B, NonEUB2B:
		return true
	}
	return false
}

// Domestic reports whether the client is established in France, DOM included.
func (r Regime) Domestic() bool {
	switch r {
	case FRB2B, FRPublic, FRB2C, DOMTaxed, DOMUntaxed:
		return true
	}
	return false
}

// foreignB2B: the general B2B rule puts the place of supply in the client's country.
func (r Regime) foreignB2B() bool { return r == EUB2B || r == NonEUB2B }

// Flow returns the e-invoicing business-process note BAR for the XML and
// whether the invoice goes out as an e-invoice through the PA (DOMAIN §5.1):
// domestic B2B and public bodies are e-invoiced (public ones through Chorus
// Pro, still Factur-X); foreign businesses and individuals are e-reported.
func Flow(r Regime) (bar string, eInvoice bool) {
	switch r {
	case FRB2B, DOMTaxed, DOMUntaxed:
		return "B2B", true
	case FRPublic:
		return "B2G", true
	case EUB2B, NonEUB2B:
		return "B2BINT", false
	case FRB2C, EUB2C, NonEUB2C:
		return "B2C", false
	}
	return "", false
}

// ServiceKind is what a catalogue item or invoice line sells.
type ServiceKind string

// The service kinds of DOMAIN.md §3.4.
const (
	TrainingFPC    ServiceKind = "TRAINING_FPC"    // continuing vocational training, bespoke or intra
	TrainingEvent  ServiceKind = "TRAINING_EVENT"  // admission to an inter session or seminar at a fixed place and date
	TrainingLinked ServiceKind = "TRAINING_LINKED" // course material, trainee meals and lodging
	ServiceOther   ServiceKind = "SERVICE_OTHER"   // consulting, room rental, recruitment
	Commission     ServiceKind = "COMMISSION"      // broker acting as apporteur d'affaires
	Disbursement   ServiceKind = "DISBURSEMENT"    // débours paid in the client's name
)

var kinds = []ServiceKind{TrainingFPC, TrainingEvent, TrainingLinked, ServiceOther, Commission, Disbursement}

// ServiceKinds lists every service kind in a stable order.
func ServiceKinds() []ServiceKind { return append([]ServiceKind(nil), kinds...) }

// Valid reports whether k is one of the service kinds.
func (k ServiceKind) Valid() bool {
	for _, x := range kinds {
		if k == x {
			return true
		}
	}
	return false
}

// Training reports whether k is a training supply (the 261-4-4° a exemption may apply).
func (k ServiceKind) Training() bool {
	return k == TrainingFPC || k == TrainingEvent || k == TrainingLinked
}

// Status is the client's legal status as far as VAT is concerned.
type Status string

// The client statuses.
const (
	Business   Status = "business"
	Public     Status = "public"
	Individual Status = "individual"
)

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool { return s == Business || s == Public || s == Individual }

// ClientFacts are what the regime is derived from.
type ClientFacts struct {
	Country   string // ISO 3166-1 alpha-2, "" = FR
	PostCode  string
	Status    Status
	VATNumber string
	VATValid  bool // VIES or manual confirmation
}

// Territory returns the country code that matters for VAT: the ISO code of
// the French overseas territory when a French address carries its post code
// (971.. → GP), "FR" for Monaco (inside the French VAT territory), else the
// upper-cased country ("" → FR). Pass it as Input.ClientCountry.
func (f ClientFacts) Territory() string {
	c := normCountry(f.Country)
	pc := strings.ReplaceAll(strings.TrimSpace(f.PostCode), " ", "")
	switch c {
	case "MC":
		return "FR"
	case "FR":
		if len(pc) == 5 {
			if t, ok := frOverseasPostCodes[pc[:3]]; ok {
				return t
			}
		}
	}
	return c
}

// frOverseasPostCodes maps the post-code prefixes of France outside the
// metropole to their ISO codes. 980 is Monaco, inside the French VAT territory.
var frOverseasPostCodes = map[string]string{
	"971": "GP", "972": "MQ", "973": "GF", "974": "RE", "976": "YT",
	"975": "PM", "977": "BL", "978": "MF",
	"984": "TF", "986": "WF", "987": "PF", "988": "NC",
	"980": "FR",
}

// DeriveRegime returns the regime that follows from the client's facts.
//
// Choices (see docs/tax-rules.md): an unknown status counts as an individual,
// so French VAT is charged rather than wrongly left out; an individual in a
// DOM is FR_B2C, since a B2C service is taxed where the supplier is (art. 259-2°
// CGI) and the broker is in the metropole; a public body outside France is
// treated as a business (a VAT number is still required in the EU); the
// French collectivités d'outre-mer (PM, BL, MF, PF, NC, WF, TF) and the EU
// territories outside the EU VAT area (Canary Islands, Åland...) are non-EU.
func DeriveRegime(f ClientFacts) Regime {
	b2b := f.Status == Business || f.Status == Public
	territory := f.Territory()
	switch territory {
	case "FR":
		switch f.Status {
		case Public:
			return FRPublic
		case Business:
			return FRB2B
		}
		return FRB2C
	case "GP", "MQ", "RE":
		if b2b {
			return DOMTaxed
		}
		return FRB2C
	case "GF", "YT":
		if b2b {
			return DOMUntaxed
		}
		return FRB2C
	}
	if IsEU(territory) && !outsideEUVATArea(territory, f.PostCode) {
		if b2b && f.VATValid && strings.TrimSpace(f.VATNumber) != "" {
			return EUB2B
		}
		return EUB2C
	}
	if b2b {
		return NonEUB2B
	}
	return NonEUB2C
}

var euMembers = map[string]bool{
	"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true, "DK": true,
	"EE": true, "ES": true, "FI": true, "FR": true, "GR": true, "HR": true, "HU": true,
	"IE": true, "IT": true, "LT": true, "LU": true, "LV": true, "MT": true, "NL": true,
	"PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true,
}

// IsEU reports whether country is one of the 27 member states (ISO code; the
// VAT prefix "EL" is accepted for Greece). France counts; its overseas
// territories, which have their own ISO codes, do not.
func IsEU(country string) bool { return euMembers[normCountry(country)] }

// normCountry upper-cases, trims, maps "" to FR and the VAT prefix EL to GR.
func normCountry(c string) string {
	c = strings.ToUpper(strings.TrimSpace(c))
	switch c {
	case "":
		return "FR"
	case "EL":
		return "GR"
	}
	return c
}

// outsideEUVATArea reports the parts of member states excluded from the EU
// VAT territory (art. 6 directive 2006/112/CE) that an address shows by its
// post code: a business there is a non-EU client for services.
func outsideEUVATArea(country, postCode string) bool {
	pc := strings.ReplaceAll(strings.TrimSpace(postCode), " ", "")
	has := func(prefixes ...string) bool {
		for _, p := range prefixes {
			if strings.HasPrefix(pc, p) {
				return true
			}
		}
		return false
	}
	switch country {
	case "ES": // Canarias (35, 38), Ceuta (51), Melilla (52)
		return len(pc) == 5 && has("35", "38", "51", "52")
	case "FI": // Åland
		return has("22")
	case "DE": // Heligoland, Büsingen
		return pc == "27498" || pc == "78266"
	case "IT": // Livigno, Campione d'Italia
		return pc == "23041" || pc == "22061"
	case "GR": // Mount Athos
		return pc == "63086"
	}
	return false
}
