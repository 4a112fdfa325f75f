package tax

import "testing"

func TestDeriveRegime(t *testing.T) {
	tests := []struct {
		name string
		f    ClientFacts
		want Regime
	}{
		{"French company, country empty", ClientFacts{Status: Business}, FRB2B},
		{"French company", ClientFacts{Country: "fr", PostCode: "75008", Status: Business}, FRB2B},
		{"French town hall", ClientFacts{Country: "FR", PostCode: "69001", Status: Public}, FRPublic},
		{"French individual", ClientFacts{Country: "FR", Status: Individual}, FRB2C},
		{"unknown status counts as individual", ClientFacts{Country: "FR"}, FRB2C},
		{"Monaco company", ClientFacts{Country: "MC", PostCode: "98000", Status: Business}, FRB2B},
		{"Monaco given as FR 980xx", ClientFacts{Country: "FR", PostCode: "98000", Status: Business}, FRB2B},
		{"Guadeloupe by country", ClientFacts{Country: "GP", Status: Business}, DOMTaxed},
		{"Martinique by post code", ClientFacts{Country: "FR", PostCode: "97200", Status: Business}, DOMTaxed},
		{"La Réunion by post code with a space", ClientFacts{Country: "FR", PostCode: "974 00", Status: Business}, DOMTaxed},
		{"Guyane by post code", ClientFacts{Country: "FR", PostCode: "97300", Status: Business}, DOMUntaxed},
		{"Mayotte by country", ClientFacts{Country: "YT", Status: Business}, DOMUntaxed},
		{"Mayotte by post code, public body", ClientFacts{Country: "FR", PostCode: "97600", Status: Public}, DOMUntaxed},
		{"individual in La Réunion: B2C, taxed where the supplier is", ClientFacts{Country: "RE", Status: Individual}, FRB2C},
		{"individual in Guyane", ClientFacts{Country: "FR", PostCode: "97300", Status: Individual}, FRB2C},
		{"Saint-Pierre-et-Miquelon is outside the EU VAT area", ClientFacts{Country: "FR", PostCode: "97500", Status: Business}, NonEUB2B},
		{"New Caledonia", ClientFacts{Country: "NC", Status: Business}, NonEUB2B},
		{"Polynesian individual by post code", ClientFacts{Country: "FR", PostCode: "98714", Status: Individual}, NonEUB2C},
		{"German company, VAT valid", ClientFacts{Country: "DE", Status: Business, VATNumber: "DE123456789", VATValid: true}, EUB2B},
		{"German company, VAT not checked", ClientFacts{Country: "DE", Status: Business, VATNumber: "DE123456789"}, EUB2C},
		{"German company, no VAT number", ClientFacts{Country: "DE", Status: Business, VATValid: true}, EUB2C},
		{"Greek company given as EL", ClientFacts{Country: "EL", Status: Business, VATNumber: "EL123456789", VATValid: true}, EUB2B},
		{"Belgian public body with a VAT number", ClientFacts{Country: "BE", Status: Public, VATNumber: "BE0123456789", VATValid: true}, EUB2B},
		{"Italian individual", ClientFacts{Country: "IT", Status: Individual}, EUB2C},
		{"Canary Islands company", ClientFacts{Country: "ES", PostCode: "35001", Status: Business, VATNumber: "ESB12345678", VATValid: true}, NonEUB2B},
		{"Madrid company", ClientFacts{Country: "ES", PostCode: "28001", Status: Business, VATNumber: "ESB12345678", VATValid: true}, EUB2B},
		{"Åland individual", ClientFacts{Country: "FI", PostCode: "22100", Status: Individual}, NonEUB2C},
		{"Swiss company", ClientFacts{Country: "CH", Status: Business}, NonEUB2B},
		{"UK company", ClientFacts{Country: "GB", Status: Business, VATNumber: "GB123456789"}, NonEUB2B},
		{"Northern Ireland company: services are non-EU", ClientFacts{Country: "XI", Status: Business, VATNumber: "XI123456789", VATValid: true}, NonEUB2B},
		{"US individual", ClientFacts{Country: "US", Status: Individual}, NonEUB2C},
		{"foreign public body", ClientFacts{Country: "CA", Status: Public}, NonEUB2B},
	}
	for _, tt := range tests {
		if got := DeriveRegime(tt.f); got != tt.want {
			t.Errorf("%s: DeriveRegime = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestIsEU(t *testing.T) {
	members := []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
		"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
	if len(members) != 27 {
		t.Fatal("27 member states")
	}
	for _, c := range members {
		if !IsEU(c) {
			t.Errorf("IsEU(%s) = false", c)
		}
	}
	for _, c := range []string{"EL", "el", " de "} {
		if !IsEU(c) {
			t.Errorf("IsEU(%q) = false", c)
		}
	}
	for _, c := range []string{"GB", "XI", "CH", "NO", "MC", "GP", "RE", "US", "ZZ"} {
		if IsEU(c) {
			t.Errorf("IsEU(%s) = true", c)
		}
	}
}

func TestRegimePredicates(t *testing.T) {
	tests := []struct {
		r             Regime
		b2b, domestic bool
		bar           string
		eInvoice      bool
	}{
		{FRB2B, true, true, "B2B", true},
		{FRPublic, true, true, "B2G", true},
		{FRB2C, false, true, "B2C", false},
		{DOMTaxed, true, true, "B2B", true},
		{DOMUntaxed, true, true, "B2B", true},
		{EUB2B, true, false, "B2BINT", false},
		{EUB2C, false, false, "B2C", false},
		{NonEUB2B, true, false, "B2BINT", false},
		{NonEUB2C, false, false, "B2C", false},
	}
	if len(tests) != len(Regimes()) {
		t.Fatalf("%d cases for %d regimes", len(tests), len(Regimes()))
	}
	for _, tt := range tests {
		if !tt.r.Valid() || tt.r.B2B() != tt.b2b || tt.r.Domestic() != tt.domestic {
			t.Errorf("%s: Valid/B2B/Domestic = %v/%v/%v", tt.r, tt.r.Valid(), tt.r.B2B(), tt.r.Domestic())
		}
		if bar, e := Flow(tt.r); bar != tt.bar || e != tt.eInvoice {
			t.Errorf("Flow(%s) = %s, %v; want %s, %v", tt.r, bar, e, tt.bar, tt.eInvoice)
		}
	}
	if Regime("fr_b2b").Valid() {
		t.Error("regimes are case-sensitive")
	}
	if bar, e := Flow("X"); bar != "" || e {
		t.Error("Flow of an unknown regime")
	}
	for _, k := range ServiceKinds() {
		if !k.Valid() {
			t.Errorf("%s not valid", k)
		}
	}
	if ServiceKind("COMMISSIONS").Valid() || Status("company").Valid() || VATScheme("").Valid() {
		t.Error("unknown values accepted")
	}
}
