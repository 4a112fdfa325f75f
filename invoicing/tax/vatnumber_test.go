package tax

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeVAT(t *testing.T) {
	tests := map[string]string{
		"fr 40 303.265.045":    "FR40303265045",
		" DE-123/456_789 ":     "DE123456789",
		"nl\u00a0123456789b01": "NL123456789B01",
		"":                     "",
	}
	for in, want := range tests {
		if got := NormalizeVAT(in); got != want {
			t.Errorf("NormalizeVAT(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckVATFormat(t *testing.T) {
	valid := []struct{ in, country string }{
		{"FR40303265045", "FR"},
		{"fr 40 303 265 045", "FR"},
		{"FR96552100554", "FR"},
		{"FR39356000000", "FR"}, // La Poste
		{"FRXA303265045", "FR"}, // letter key: shape only
		{"ATU12345678", "AT"},
		{"BE0123456789", "BE"},
		{"BG123456789", "BG"},
		{"BG1234567890", "BG"},
		{"CY12345678L", "CY"},
		{"CZ12345678", "CZ"},
		{"CZ1234567890", "CZ"},
		{"DE123456789", "DE"},
		{"DK12345678", "DK"},
		{"EE123456789", "EE"},
		{"EL123456789", "EL"},
		{"GR123456789", "EL"},
		{"ESB12345678", "ES"},
		{"ES12345678Z", "ES"},
		{"FI12345678", "FI"},
		{"HR12345678901", "HR"},
		{"HU12345678", "HU"},
		{"IE1234567T", "IE"},
		{"IE1234567WA", "IE"},
		{"IE1A23456T", "IE"},
		{"IT12345678901", "IT"},
		{"LT123456789", "LT"},
		{"LT123456789012", "LT"},
		{"LU12345678", "LU"},
		{"LV12345678901", "LV"},
		{"MT12345678", "MT"},
		{"NL123456789B01", "NL"},
		{"PL1234567890", "PL"},
		{"PT123456789", "PT"},
		{"RO12", "RO"},
		{"RO1234567890", "RO"},
		{"SE123456789001", "SE"},
		{"SI12345678", "SI"},
		{"SK1234567890", "SK"},
		{"XI123456789", "XI"},
		{"XIGD123", "XI"},
	}
	for _, tt := range valid {
		got, err := CheckVATFormat(tt.in)
		if err != nil || got != tt.country {
			t.Errorf("CheckVATFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.country)
		}
	}
	invalid := []struct{ in, reason string }{
		{"", "too short"},
		{"FR", "too short"},
		{"GB123456789", "not the prefix of an EU member state"},
		{"US123456789", "not the prefix"},
		{"FR41303265045", "the key for SIREN 303265045 is 40"},
		{"FR00123456789", "not a valid SIREN"},
		{"FR4030326504", "the format for FR"},
		{"FRIO303265045", "the format for FR"}, // I and O are not key letters
		{"ATU1234567", "ATU + 8 digits"},
		{"AT12345678", "ATU + 8 digits"},
		{"BE2123456789", "the format for BE"},
		{"DE12345678", "the format for DE"},
		{"NL123456789A01", "NL + 9 digits + B"},
		{"SE123456789002", "SE + 10 digits + 01"},
		{"RO0123", "the format for RO"},
		{"SI01234567", "the format for SI"},
		{"XIGD999", "the format for XI"},
	}
	for _, tt := range invalid {
		_, err := CheckVATFormat(tt.in)
		var fe *VATFormatError
		if !errors.Is(err, ErrInvalidVAT) || !errors.As(err, &fe) {
			t.Errorf("CheckVATFormat(%q) = %v, want a *VATFormatError", tt.in, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("CheckVATFormat(%q): %q does not say %q", tt.in, err, tt.reason)
		}
	}
}

func TestFrenchVAT(t *testing.T) {
	for siren, want := range map[string]string{"303265045": "FR40303265045", "552100554": "FR96552100554", "732829320": "FR44732829320"} {
		got, err := FrenchVAT(siren)
		if err != nil || got != want {
			t.Errorf("FrenchVAT(%s) = %s, %v; want %s", siren, got, err, want)
		}
		if _, err := CheckVATFormat(got); err != nil {
			t.Errorf("round trip %s: %v", got, err)
		}
	}
	for _, bad := range []string{"123456789", "30326504", "30326504x"} {
		if _, err := FrenchVAT(bad); !errors.Is(err, ErrInvalidVAT) {
			t.Errorf("FrenchVAT(%s) = %v", bad, err)
		}
	}
}

func TestLuhnValid(t *testing.T) {
	tests := map[string]bool{
		"303265045": true, "552100554": true, "732829320": true,
		"73282932000074": true, // a SIRET
		"123456789":      false, "": false, "12a": false, "0": true,
	}
	for in, want := range tests {
		if got := LuhnValid(in); got != want {
			t.Errorf("LuhnValid(%q) = %v, want %v", in, got, want)
		}
	}
}
