package tax

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Input is what a line's tax decision depends on.
type Input struct {
	Seller     Seller
	Regime     Regime
	Kind       ServiceKind
	SupplyDate time.Time // date of the service (session date), for the attestation
	// EventCountry is where the training is physically held, "" = FR. It
	// decides the place of supply of TRAINING_EVENT for every client (art. 259
	// A 5° bis CGI) and of every TRAINING_* line sold to an individual (art.
	// 259 A 5° a). Lines that go with an event (meals, material at a seminar)
	// follow it: give them the event's kind.
	EventCountry string
	// ClientCountry is the client's territory (ClientFacts.Territory()); it
	// only fills PlaceOfSupply when the client's country is the place.
	ClientCountry string
}

// Decision is the tax treatment of one line, snapshotted on issued lines.
type Decision struct {
	Rule           string // id of the table row that decided (stable, e.g. "fr-exempt-261")
	RateBP         int64  // 2000 = 20 %
	Category       string // EN 16931 BT-118: S E AE G O Z ("" for a disbursement, outside the VAT base)
	VATEX          string // BT-121, "" if none
	MentionKey     string // key in the mentions catalogue, "" if none
	PlaceOfSupply  string // country code; "" when the client's country was not given
	OutOfBase      bool   // disbursement: outside the VAT base
	RevenueAccount string
	VATAccount     string // "" when no VAT is charged
	DES            bool   // feeds the déclaration européenne de services
	EReporting     bool   // transaction data go to the administration by e-reporting
}

// ErrTaxableAbroad is returned (wrapped in *AbroadError) for a supply whose
// VAT is due in another country: Courtier refuses to invoice it and the
// accountant handles it.
var ErrTaxableAbroad = errors.New("tax: supply taxable abroad")

// ErrInvalidInput is returned for an unknown regime, kind or VAT scheme, or a
// missing supply date.
var ErrInvalidInput = errors.New("tax: invalid input")

// AbroadError says which rule refused a supply and where it is taxable.
type AbroadError struct {
	Rule    string
	Kind    ServiceKind
	Regime  Regime
	Country string // where the supply is taxable
	Basis   string // legal basis
}

func (e *AbroadError) Error() string {
	return fmt.Sprintf("tax: %s sold to a %s client is taxable in %s (%s), not in France: "+
		"Courtier does not invoice foreign VAT, ask the accountant (rule %s)",
		e.Kind, e.Regime, e.Country, e.Basis, e.Rule)
}

// Unwrap makes errors.Is(err, ErrTaxableAbroad) true.
func (e *AbroadError) Unwrap() error { return ErrTaxableAbroad }

// venue is a row condition on where the training is held.
type venue int

const (
	anyVenue venue = iota
	venueAbroad
)

// sellerCond is a row condition on the seller's VAT profile.
type sellerCond int

const (
	anySeller   sellerCond = iota
	franchise              // franchise en base (293 B)
	attestation            // 261-4-4° a attestation valid on the supply date
)

// revenue names the account of Accounts a row books to.
type revenue int

const (
	revNone   revenue = iota
	revByKind         // training → RevenueTaxable, other → RevenueOther, commission → RevenueCommission
	revExemptFPC
	revEU
	revNonEU
	revDOM
	revDOMUntaxed
	revTransit
)

// rule is one row of the decision table: conditions, then outcome. Empty
// lists match anything. Rows are tried in order; the first match decides.
type rule struct {
	ID      string
	Kinds   []ServiceKind
	Regimes []Regime
	Venue   venue
	Seller  sellerCond

	Refuse    bool // taxable abroad: ErrTaxableAbroad
	OutOfBase bool
	Category  string
	RateBP    int64
	VATEX     string
	Mention   string
	Revenue   revenue
	DES       bool

	When  string // the condition in words, for docs/tax-rules.md
	Basis string // legal basis
}

var (
	b2cRegimes = []Regime{FRB2C, EUB2C, NonEUB2C}
	// Every kind but the event (whose place is the venue) and the disbursement.
	generalRuleKinds = []ServiceKind{TrainingFPC, TrainingLinked, ServiceOther, Commission}
	trainingKinds    = []ServiceKind{TrainingFPC, TrainingEvent, TrainingLinked}
)

// rules is the decision table, in the order of DOMAIN §3.4: disbursement,
// place of supply (refusals), supplies outside France, then in France:
// franchise, exemption, rate of the territory.
var rules = []rule{
	{
		ID: "disbursement", Kinds: []ServiceKind{Disbursement},
		OutOfBase: true, Mention: MentionDisbursement, Revenue: revTransit,
		When:  "DISBURSEMENT, any client",
		Basis: "art. 267 II-2° CGI: costs paid in the client's name and on its behalf are outside the VAT base",
	},
	{
		ID: "event-abroad", Kinds: []ServiceKind{TrainingEvent}, Venue: venueAbroad,
		Refuse: true,
		When:   "TRAINING_EVENT held outside France, any client",
		Basis:  "art. 259 A 5° bis CGI / art. 53 directive (B2B), art. 259 A 5° a / art. 54 (B2C): taxable where the event takes place",
	},
	{
		ID: "b2c-training-abroad", Kinds: []ServiceKind{TrainingFPC, TrainingLinked}, Regimes: b2cRegimes, Venue: venueAbroad,
		Refuse: true,
		When:   "TRAINING_FPC or TRAINING_LINKED held outside France, sold to an individual",
		Basis:  "art. 259 A 5° a CGI / art. 54 directive: educational services to non-taxable persons are taxed where physically carried out",
	},
	{
		ID: "eu-b2b-reverse-charge", Kinds: generalRuleKinds, Regimes: []Regime{EUB2B},
		Category: "AE", VATEX: "VATEX-EU-AE", Mention: MentionReverseCharge, Revenue: revEU, DES: true,
		When:  "EU business with a valid VAT number, any kind but an event held in France",
		Basis: "art. 259-1° CGI / art. 44 directive: place of supply where the client is; client self-assesses (art. 196 directive)",
	},
	{
		ID: "non-eu-b2b", Kinds: generalRuleKinds, Regimes: []Regime{NonEUB2B},
		Category: "G", VATEX: "VATEX-EU-G", Mention: MentionNonEU, Revenue: revNonEU,
		When:  "business outside the EU VAT territory, any kind but an event held in France",
		Basis: "art. 259-1° CGI / art. 44 directive: place of supply where the client is, outside the EU",
	},
	{
		// Category E without VATEX, the mention as BT-120 text. O is ruled out:
		// BR-O-02 forbids the seller VAT id and BR-O-11 any other category on
		// the invoice. G would present a domestic (DOM, SIREN-identified) client
		// as an export. E with a reason text satisfies BR-E-10 and BR-FR-15.
		ID: "dom-untaxed", Kinds: generalRuleKinds, Regimes: []Regime{DOMUntaxed},
		Category: "E", Mention: MentionDOMUntaxed, Revenue: revDOMUntaxed,
		When:  "business in Guyane or Mayotte, any kind but an event held in France",
		Basis: "art. 294-1 CGI: VAT provisionally not applicable in Guyane and Mayotte",
	},
	{
		ID: "franchise-293b", Seller: franchise,
		Category: "E", VATEX: "VATEX-FR-FRANCHISE", Mention: MentionFranchise, Revenue: revByKind,
		When:  "seller under the franchise en base, supply in France",
		Basis: "art. 293 B CGI: no VAT charged below the thresholds",
	},
	{
		ID: "fr-exempt-261", Kinds: trainingKinds, Seller: attestation,
		Category: "E", VATEX: "VATEX-FR-CGI261-4", Mention: MentionExempt261, Revenue: revExemptFPC,
		When:  "training (FPC, event, linked) supplied in France, seller's attestation valid on the supply date",
		Basis: "art. 261-4-4° a CGI; ann. II art. 202 A–D (attestation 3511-SD)",
	},
	{
		ID: "dom-taxed", Kinds: generalRuleKinds, Regimes: []Regime{DOMTaxed},
		Category: "S", RateBP: 850, Revenue: revDOM,
		When:  "business in Guadeloupe, Martinique or La Réunion, not exempt, any kind but an event held in France",
		Basis: "art. 296-1 CGI: normal rate 8.5 % in the DOM; the supplier pays it (no reverse charge metropole–DOM for services)",
	},
	{
		ID: "fr-commission", Kinds: []ServiceKind{Commission},
		Category: "S", RateBP: 2000, Revenue: revByKind,
		When:  "COMMISSION supplied in France",
		Basis: "art. 278 CGI: normal rate; an intermediary's commission is never training",
	},
	{
		ID: "fr-training", Kinds: trainingKinds,
		Category: "S", RateBP: 2000, Revenue: revByKind,
		When:  "training supplied in France without a valid attestation (includes an event held in France for a foreign or DOM business)",
		Basis: "art. 278 CGI; art. 259 A 5° bis for events; art. 259-2° for individuals",
	},
	{
		ID: "fr-other", Kinds: []ServiceKind{ServiceOther},
		Category: "S", RateBP: 2000, Revenue: revByKind,
		When:  "SERVICE_OTHER supplied in France",
		Basis: "art. 278 CGI: consulting, room rental, recruitment stay taxable even for an attestation holder",
	},
}

// Decide returns the tax decision for one line, from the first row of the
// table that matches.
func Decide(in Input) (Decision, error) {
	if !in.Regime.Valid() {
		return Decision{}, fmt.Errorf("%w: unknown tax regime %q", ErrInvalidInput, in.Regime)
	}
	if !in.Kind.Valid() {
		return Decision{}, fmt.Errorf("%w: unknown service kind %q", ErrInvalidInput, in.Kind)
	}
	if in.Seller.VATScheme != "" && !in.Seller.VATScheme.Valid() {
		return Decision{}, fmt.Errorf("%w: unknown seller VAT scheme %q", ErrInvalidInput, in.Seller.VATScheme)
	}
	if in.SupplyDate.IsZero() {
		return Decision{}, fmt.Errorf("%w: supply date missing (the 261-4-4° a attestation is dated)", ErrInvalidInput)
	}
	r, ok := match(in)
	if !ok {
		// The table covers every combination (TestTableIsTotal); this is a bug.
		return Decision{}, fmt.Errorf("tax: no rule for %s / %s", in.Regime, in.Kind)
	}
	if r.Refuse {
		return Decision{}, &AbroadError{Rule: r.ID, Kind: in.Kind, Regime: in.Regime, Country: venueCountry(in.EventCountry), Basis: r.Basis}
	}
	acc := in.Seller.Accounts.withDefaults()
	d := Decision{
		Rule:           r.ID,
		RateBP:         r.RateBP,
		Category:       r.Category,
		VATEX:          r.VATEX,
		MentionKey:     r.Mention,
		PlaceOfSupply:  placeOfSupply(in),
		OutOfBase:      r.OutOfBase,
		RevenueAccount: r.Revenue.account(acc, in.Kind),
		DES:            r.DES,
	}
	if r.RateBP > 0 {
		// Services: VAT is due on receipt unless the seller opted for debits (art. 269-2 c CGI).
		d.VATAccount = acc.VATOnReceipts
		if in.Seller.VATOnDebits {
			d.VATAccount = acc.VATCollected
		}
	}
	// E-reporting concerns the partner, not the row: foreign businesses
	// (B2BINT) and individuals (B2C). A disbursement is no supply.
	d.EReporting = !r.OutOfBase && (in.Regime.foreignB2B() || !in.Regime.B2B())
	return d, nil
}

func match(in Input) (rule, bool) {
	abroad := !inFrance(in.EventCountry)
	scheme := in.Seller.VATScheme
	for _, r := range rules {
		if len(r.Kinds) > 0 && !contains(r.Kinds, in.Kind) {
			continue
		}
		if len(r.Regimes) > 0 && !contains(r.Regimes, in.Regime) {
			continue
		}
		if r.Venue == venueAbroad && !abroad {
			continue
		}
		switch r.Seller {
		case franchise:
			if scheme != Franchise293B {
				continue
			}
		case attestation:
			if !in.Seller.Attestation261.ValidOn(in.SupplyDate) {
				continue
			}
		}
		return r, true
	}
	return rule{}, false
}

func contains[T comparable](list []T, x T) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

// venueCountry normalises the venue; Monaco is inside the French VAT territory.
func venueCountry(c string) string {
	c = normCountry(c)
	if c == "MC" {
		return "FR"
	}
	return c
}

// inFrance: a DOM venue counts as abroad here, its VAT differs from the
// metropole's and is left to the accountant.
func inFrance(venue string) bool { return venueCountry(venue) == "FR" }

// placeOfSupply follows step 2 of DOMAIN §3.1.
func placeOfSupply(in Input) string {
	switch {
	case in.Kind == TrainingEvent:
		return venueCountry(in.EventCountry)
	case in.Regime.foreignB2B():
		if in.ClientCountry == "" {
			return ""
		}
		return normCountry(in.ClientCountry)
	case in.Regime == DOMTaxed || in.Regime == DOMUntaxed:
		if c := strings.ToUpper(strings.TrimSpace(in.ClientCountry)); c == "GP" || c == "MQ" || c == "RE" || c == "GF" || c == "YT" {
			return c
		}
	}
	return "FR"
}

func (rv revenue) account(a Accounts, k ServiceKind) string {
	switch rv {
	case revByKind:
		switch {
		case k == Commission:
			return a.RevenueCommission
		case k.Training():
			return a.RevenueTaxable
		}
		return a.RevenueOther
	case revExemptFPC:
		return a.RevenueExemptFPC
	case revEU:
		return a.RevenueEU
	case revNonEU:
		return a.RevenueNonEU
	case revDOM:
		return a.RevenueDOM
	case revDOMUntaxed:
		return a.RevenueDOMUntaxed
	case revTransit:
		return a.Transit
	}
	return ""
}

// withDefaults fills the accounts left empty with DefaultAccounts, so a
// partly configured entity never books to an empty account.
func (a Accounts) withDefaults() Accounts {
	d := DefaultAccounts()
	for _, f := range []struct {
		v   *string
		def string
	}{
		{&a.Client, d.Client}, {&a.RevenueTaxable, d.RevenueTaxable}, {&a.RevenueExemptFPC, d.RevenueExemptFPC},
		{&a.RevenueEU, d.RevenueEU}, {&a.RevenueNonEU, d.RevenueNonEU}, {&a.RevenueDOM, d.RevenueDOM},
		{&a.RevenueDOMUntaxed, d.RevenueDOMUntaxed}, {&a.RevenueCommission, d.RevenueCommission},
		{&a.RevenueOther, d.RevenueOther}, {&a.VATCollected, d.VATCollected}, {&a.VATOnReceipts, d.VATOnReceipts},
		{&a.Transit, d.Transit}, {&a.Bank, d.Bank},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
	}
	return a
}
