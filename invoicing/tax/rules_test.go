package tax

import (
	"errors"
	"testing"
	"time"
)

var (
	supply = time.Date(2026, 10, 15, 9, 0, 0, 0, time.UTC)
	att    = Attestation{Granted: true, EffectiveFrom: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), DocumentRef: "doc-3511"}
	normal = Seller{VATScheme: Normal}
	exempt = Seller{VATScheme: Normal, Attestation261: att}
	franch = Seller{VATScheme: Franchise293B}
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// decideCase expects either a decision from Rule or a refusal by Rule.
type decideCase struct {
	name   string
	in     Input
	rule   string
	refuse bool
	// Checked when non-zero / non-empty (Category "-" means empty).
	category, vatex, mention, place, revenue, vatAccount string
	rate                                                 int64
	des, eReporting, outOfBase                           bool
}

// ruleCases holds at least one case per row of the table (TestEveryRuleHasACase)
// and the edge cases of DOMAIN §3.
var ruleCases = []decideCase{
	// One per row.
	{name: "disbursement to a French business", in: Input{Seller: exempt, Regime: FRB2B, Kind: Disbursement},
		rule: "disbursement", category: "-", mention: MentionDisbursement, revenue: "467000", vatAccount: "-", place: "FR", outOfBase: true},
	{name: "inter session held in Belgium for a French business", in: Input{Seller: exempt, Regime: FRB2B, Kind: TrainingEvent, EventCountry: "BE"},
		rule: "event-abroad", refuse: true},
	{name: "individual's course given in Spain", in: Input{Seller: normal, Regime: FRB2C, Kind: TrainingFPC, EventCountry: "es"},
		rule: "b2c-training-abroad", refuse: true},
	{name: "intra course for a German business, exempt seller", in: Input{Seller: exempt, Regime: EUB2B, Kind: TrainingFPC, ClientCountry: "DE"},
		rule: "eu-b2b-reverse-charge", category: "AE", vatex: "VATEX-EU-AE", mention: MentionReverseCharge, place: "DE",
		revenue: "706300", vatAccount: "-", des: true, eReporting: true},
	{name: "consulting for a Swiss business", in: Input{Seller: normal, Regime: NonEUB2B, Kind: ServiceOther, ClientCountry: "CH"},
		rule: "non-eu-b2b", category: "G", vatex: "VATEX-EU-G", mention: MentionNonEU, place: "CH", revenue: "706400", vatAccount: "-", eReporting: true},
	{name: "course for a Guyane business, exempt seller", in: Input{Seller: exempt, Regime: DOMUntaxed, Kind: TrainingFPC, ClientCountry: "GF"},
		rule: "dom-untaxed", category: "E", vatex: "-", mention: MentionDOMUntaxed, place: "GF", revenue: "706600", vatAccount: "-"},
	{name: "franchise seller, course for a French business", in: Input{Seller: franch, Regime: FRB2B, Kind: TrainingFPC},
		rule: "franchise-293b", category: "E", vatex: "VATEX-FR-FRANCHISE", mention: MentionFranchise, place: "FR", revenue: "706100", vatAccount: "-"},
	{name: "exempt course for a French business", in: Input{Seller: exempt, Regime: FRB2B, Kind: TrainingFPC},
		rule: "fr-exempt-261", category: "E", vatex: "VATEX-FR-CGI261-4", mention: MentionExempt261, place: "FR", revenue: "706200", vatAccount: "-"},
	{name: "course for a Réunion business, no attestation", in: Input{Seller: normal, Regime: DOMTaxed, Kind: TrainingFPC, ClientCountry: "RE"},
		rule: "dom-taxed", category: "S", rate: 850, vatex: "-", mention: "-", place: "RE", revenue: "706500", vatAccount: "445740"},
	{name: "commission, exempt seller: never exempt", in: Input{Seller: exempt, Regime: FRB2B, Kind: Commission},
		rule: "fr-commission", category: "S", rate: 2000, vatex: "-", mention: "-", place: "FR", revenue: "706700", vatAccount: "445740"},
	{name: "course without attestation", in: Input{Seller: normal, Regime: FRB2B, Kind: TrainingFPC},
		rule: "fr-training", category: "S", rate: 2000, vatex: "-", mention: "-", place: "FR", revenue: "706100", vatAccount: "445740"},
	{name: "room rental by an attestation holder", in: Input{Seller: exempt, Regime: FRPublic, Kind: ServiceOther},
		rule: "fr-other", category: "S", rate: 2000, place: "FR", revenue: "706800", vatAccount: "445740"},

	// Attestation dates.
	{name: "attestation granted, supply the day before it takes effect", in: Input{Seller: exempt, Regime: FRB2B, Kind: TrainingFPC, SupplyDate: day(2024, 12, 31)},
		rule: "fr-training", rate: 2000},
	{name: "attestation granted, supply on the day it takes effect", in: Input{Seller: exempt, Regime: FRB2B, Kind: TrainingFPC, SupplyDate: day(2025, 1, 1)},
		rule: "fr-exempt-261"},
	{name: "attestation revoked before the supply", in: Input{Seller: Seller{Attestation261: Attestation{Granted: true, EffectiveFrom: day(2025, 1, 1), RevokedOn: day(2026, 6, 1)}}, Regime: FRB2B, Kind: TrainingFPC},
		rule: "fr-training", rate: 2000},
	{name: "attestation revoked on the supply day", in: Input{Seller: Seller{Attestation261: Attestation{Granted: true, EffectiveFrom: day(2025, 1, 1), RevokedOn: day(2026, 10, 15)}}, Regime: FRB2B, Kind: TrainingFPC},
		rule: "fr-training", rate: 2000},
	{name: "attestation revoked the day after the supply", in: Input{Seller: Seller{Attestation261: Attestation{Granted: true, EffectiveFrom: day(2025, 1, 1), RevokedOn: day(2026, 10, 16)}}, Regime: FRB2B, Kind: TrainingFPC},
		rule: "fr-exempt-261"},
	{name: "attestation requested, not granted", in: Input{Seller: Seller{Attestation261: Attestation{EffectiveFrom: day(2025, 1, 1)}}, Regime: FRB2B, Kind: TrainingFPC},
		rule: "fr-training"},
	{name: "attestation granted without an effective date", in: Input{Seller: Seller{Attestation261: Attestation{Granted: true}}, Regime: FRB2B, Kind: TrainingFPC},
		rule: "fr-training"},
	{name: "supply late in the evening in Paris, attestation effective next day UTC", in: Input{Seller: Seller{Attestation261: Attestation{Granted: true, EffectiveFrom: day(2026, 10, 16)}}, Regime: FRB2B, Kind: TrainingFPC,
		SupplyDate: time.Date(2026, 10, 15, 23, 30, 0, 0, time.FixedZone("CEST", 2*3600))},
		rule: "fr-training"},

	// Events.
	{name: "inter session in France for a German business, exempt seller", in: Input{Seller: exempt, Regime: EUB2B, Kind: TrainingEvent, ClientCountry: "DE"},
		rule: "fr-exempt-261", category: "E", place: "FR", revenue: "706200", eReporting: true},
	{name: "inter session in France for a US business, no attestation", in: Input{Seller: normal, Regime: NonEUB2B, Kind: TrainingEvent, EventCountry: "FR", ClientCountry: "US"},
		rule: "fr-training", category: "S", rate: 2000, place: "FR", revenue: "706100", vatAccount: "445740", eReporting: true},
	{name: "seminar in Monaco is in the French VAT territory", in: Input{Seller: normal, Regime: EUB2B, Kind: TrainingEvent, EventCountry: "MC"},
		rule: "fr-training", place: "FR", rate: 2000},
	{name: "inter session in Paris for a Martinique business: metropole rate", in: Input{Seller: normal, Regime: DOMTaxed, Kind: TrainingEvent, ClientCountry: "MQ"},
		rule: "fr-training", rate: 2000, place: "FR", revenue: "706100"},
	{name: "inter session in Paris for a Mayotte business", in: Input{Seller: normal, Regime: DOMUntaxed, Kind: TrainingEvent},
		rule: "fr-training", rate: 2000, place: "FR"},
	{name: "inter session held in Guadeloupe: left to the accountant", in: Input{Seller: normal, Regime: DOMTaxed, Kind: TrainingEvent, EventCountry: "GP"},
		rule: "event-abroad", refuse: true},
	{name: "event abroad for an individual: the event row refuses first", in: Input{Seller: normal, Regime: FRB2C, Kind: TrainingEvent, EventCountry: "IT"},
		rule: "event-abroad", refuse: true},
	{name: "event held in the client's own country", in: Input{Seller: normal, Regime: EUB2B, Kind: TrainingEvent, EventCountry: "DE", ClientCountry: "DE"},
		rule: "event-abroad", refuse: true},
	{name: "meals of an individual's course abroad", in: Input{Seller: exempt, Regime: EUB2C, Kind: TrainingLinked, EventCountry: "BE"},
		rule: "b2c-training-abroad", refuse: true},

	// Other edges.
	{name: "intra course abroad for a French business: general rule, France", in: Input{Seller: normal, Regime: FRB2B, Kind: TrainingFPC, EventCountry: "BE"},
		rule: "fr-training", rate: 2000, place: "FR"},
	{name: "consulting given abroad to an individual is not a training row", in: Input{Seller: normal, Regime: FRB2C, Kind: ServiceOther, EventCountry: "BE"},
		rule: "fr-other", rate: 2000, eReporting: true},
	{name: "course material, exempt seller", in: Input{Seller: exempt, Regime: FRB2B, Kind: TrainingLinked},
		rule: "fr-exempt-261", revenue: "706200"},
	{name: "exempt course for a Réunion business", in: Input{Seller: exempt, Regime: DOMTaxed, Kind: TrainingFPC, ClientCountry: "RE"},
		rule: "fr-exempt-261", place: "RE"},
	{name: "commission for a Réunion provider", in: Input{Seller: normal, Regime: DOMTaxed, Kind: Commission, ClientCountry: "RE"},
		rule: "dom-taxed", rate: 850, revenue: "706500"},
	{name: "franchise seller, Guadeloupe business", in: Input{Seller: franch, Regime: DOMTaxed, Kind: ServiceOther, ClientCountry: "GP"},
		rule: "franchise-293b", revenue: "706800", place: "GP"},
	{name: "franchise seller, Belgian business: reverse charge first", in: Input{Seller: franch, Regime: EUB2B, Kind: TrainingFPC, ClientCountry: "BE"},
		rule: "eu-b2b-reverse-charge", des: true},
	{name: "commission for a Belgian provider", in: Input{Seller: normal, Regime: EUB2B, Kind: Commission, ClientCountry: "BE"},
		rule: "eu-b2b-reverse-charge", revenue: "706300", des: true, eReporting: true},
	{name: "commission for a Mayotte provider", in: Input{Seller: normal, Regime: DOMUntaxed, Kind: Commission},
		rule: "dom-untaxed", place: "FR"},
	{name: "Italian individual: French VAT, e-reported", in: Input{Seller: normal, Regime: EUB2C, Kind: TrainingFPC},
		rule: "fr-training", rate: 2000, place: "FR", eReporting: true},
	{name: "franchise seller, franchise row before exemption", in: Input{Seller: Seller{VATScheme: Franchise293B, Attestation261: att}, Regime: FRB2C, Kind: TrainingFPC},
		rule: "franchise-293b", eReporting: true},
	{name: "VAT on debits books 44571", in: Input{Seller: Seller{VATOnDebits: true}, Regime: FRB2B, Kind: TrainingFPC},
		rule: "fr-training", vatAccount: "445710"},
	{name: "disbursement for a German business stays out of e-reporting", in: Input{Seller: normal, Regime: EUB2B, Kind: Disbursement},
		rule: "disbursement", outOfBase: true},
	{name: "the seller's own accounts, others defaulted", in: Input{Seller: Seller{Accounts: Accounts{RevenueTaxable: "706010"}}, Regime: FRB2B, Kind: TrainingFPC},
		rule: "fr-training", revenue: "706010", vatAccount: "445740"},
	{name: "EU business, client country not given", in: Input{Seller: normal, Regime: EUB2B, Kind: ServiceOther},
		rule: "eu-b2b-reverse-charge", place: "-", des: true},
	{name: "Greek client given as EL", in: Input{Seller: normal, Regime: EUB2B, Kind: ServiceOther, ClientCountry: "EL"},
		rule: "eu-b2b-reverse-charge", place: "GR", des: true},
}

func TestDecide(t *testing.T) {
	for _, c := range ruleCases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			if in.SupplyDate.IsZero() {
				in.SupplyDate = supply
			}
			d, err := Decide(in)
			if c.refuse {
				var ae *AbroadError
				if !errors.Is(err, ErrTaxableAbroad) || !errors.As(err, &ae) {
					t.Fatalf("got %+v, %v; want an *AbroadError", d, err)
				}
				if ae.Rule != c.rule {
					t.Errorf("refused by %s, want %s", ae.Rule, c.rule)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if d.Rule != c.rule {
				t.Fatalf("rule %s, want %s (%+v)", d.Rule, c.rule, d)
			}
			str := func(field, got, want string) {
				if want == "-" {
					want = ""
				} else if want == "" {
					return
				}
				if got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			str("Category", d.Category, c.category)
			str("VATEX", d.VATEX, c.vatex)
			str("MentionKey", d.MentionKey, c.mention)
			str("PlaceOfSupply", d.PlaceOfSupply, c.place)
			str("RevenueAccount", d.RevenueAccount, c.revenue)
			str("VATAccount", d.VATAccount, c.vatAccount)
			if c.rate != 0 && d.RateBP != c.rate {
				t.Errorf("RateBP = %d, want %d", d.RateBP, c.rate)
			}
			if d.DES != c.des {
				t.Errorf("DES = %v, want %v", d.DES, c.des)
			}
			if d.OutOfBase != c.outOfBase {
				t.Errorf("OutOfBase = %v, want %v", d.OutOfBase, c.outOfBase)
			}
			// E-reporting is checked where the case says so, and must be false
			// for domestic B2B clients and disbursements.
			if c.eReporting && !d.EReporting {
				t.Errorf("EReporting = false, want true")
			}
			if (in.Regime.Domestic() && in.Regime.B2B() || d.OutOfBase) && d.EReporting {
				t.Errorf("EReporting = true for a domestic business or a disbursement")
			}
		})
	}
}

// TestEveryRuleHasACase fails when a row of the table has no test case naming it.
func TestEveryRuleHasACase(t *testing.T) {
	seen := map[string]bool{}
	ids := map[string]bool{}
	for _, r := range rules {
		if ids[r.ID] {
			t.Errorf("rule id %s used twice", r.ID)
		}
		ids[r.ID] = true
	}
	for _, c := range ruleCases {
		if !ids[c.rule] {
			t.Errorf("case %q names unknown rule %s", c.name, c.rule)
		}
		seen[c.rule] = true
	}
	for _, r := range rules {
		if !seen[r.ID] {
			t.Errorf("rule %s has no test case", r.ID)
		}
	}
}

// TestTableIsTotal runs every combination of regime, kind, seller and venue:
// each gets a decision or a refusal, never "no rule", and the outcome obeys
// the invariants of EN 16931 and DOMAIN §3.
func TestTableIsTotal(t *testing.T) {
	sellers := map[string]Seller{"normal": normal, "exempt": exempt, "franchise": franch}
	for _, r := range Regimes() {
		for _, k := range ServiceKinds() {
			for sn, s := range sellers {
				for _, venue := range []string{"", "FR", "MC", "BE", "US", "GP"} {
					in := Input{Seller: s, Regime: r, Kind: k, SupplyDate: supply, EventCountry: venue}
					d, err := Decide(in)
					if errors.Is(err, ErrTaxableAbroad) {
						if inFrance(venue) {
							t.Errorf("%s %s %s venue %q: refused although held in France", r, k, sn, venue)
						}
						continue
					}
					if err != nil {
						t.Fatalf("%s %s %s venue %q: %v", r, k, sn, venue, err)
					}
					checkInvariants(t, in, d)
				}
			}
		}
	}
}

func checkInvariants(t *testing.T, in Input, d Decision) {
	t.Helper()
	where := string(in.Regime) + " " + string(in.Kind) + " " + d.Rule
	switch d.Category {
	case "S":
		if d.RateBP != 2000 && d.RateBP != 850 || d.VATEX != "" || d.VATAccount == "" {
			t.Errorf("%s: S needs a French rate, no VATEX and a VAT account: %+v", where, d)
		}
	case "E", "AE", "G":
		if d.RateBP != 0 || d.VATAccount != "" || d.MentionKey == "" {
			t.Errorf("%s: %s needs rate 0, no VAT account and a mention: %+v", where, d.Category, d)
		}
	case "":
		if !d.OutOfBase {
			t.Errorf("%s: no category outside a disbursement", where)
		}
	default:
		t.Errorf("%s: category %q", where, d.Category)
	}
	if d.DES != (d.Category == "AE") {
		t.Errorf("%s: DES must go with reverse charge", where)
	}
	if d.RevenueAccount == "" {
		t.Errorf("%s: no revenue account", where)
	}
	if in.Kind == Commission && d.Rule == "fr-exempt-261" {
		t.Errorf("%s: a commission is never exempt", where)
	}
	if d.MentionKey != "" {
		if _, err := Text(d.MentionKey, "fr", in.SupplyDate); err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}
}

func TestDecideInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   Input
	}{
		{"unknown regime", Input{Regime: "FR", Kind: TrainingFPC, SupplyDate: supply}},
		{"empty regime", Input{Kind: TrainingFPC, SupplyDate: supply}},
		{"unknown kind", Input{Regime: FRB2B, Kind: "TRAINING", SupplyDate: supply}},
		{"unknown scheme", Input{Seller: Seller{VATScheme: "MICRO"}, Regime: FRB2B, Kind: TrainingFPC, SupplyDate: supply}},
		{"no supply date", Input{Regime: FRB2B, Kind: TrainingFPC}},
	}
	for _, tt := range tests {
		if _, err := Decide(tt.in); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: got %v, want ErrInvalidInput", tt.name, err)
		}
	}
}

func TestAbroadErrorMessage(t *testing.T) {
	_, err := Decide(Input{Regime: FRB2B, Kind: TrainingEvent, SupplyDate: supply, EventCountry: "be"})
	want := "tax: TRAINING_EVENT sold to a FR_B2B client is taxable in BE"
	if err == nil || len(err.Error()) < len(want) || err.Error()[:len(want)] != want {
		t.Errorf("message %q, want it to start with %q", err, want)
	}
}

func TestAttestationValidOn(t *testing.T) {
	a := Attestation{Granted: true, EffectiveFrom: day(2025, 3, 10), RevokedOn: day(2026, 1, 1)}
	tests := []struct {
		on   time.Time
		want bool
	}{
		{day(2025, 3, 9), false},
		{day(2025, 3, 10), true},
		{time.Date(2025, 3, 10, 23, 59, 0, 0, time.UTC), true},
		{day(2025, 12, 31), true},
		{day(2026, 1, 1), false},
		{time.Time{}, false},
	}
	for _, tt := range tests {
		if got := a.ValidOn(tt.on); got != tt.want {
			t.Errorf("ValidOn(%s) = %v, want %v", tt.on, got, tt.want)
		}
	}
	if (Attestation{EffectiveFrom: day(2020, 1, 1)}).ValidOn(day(2026, 1, 1)) {
		t.Error("an attestation not granted is valid")
	}
}
