package crm

import (
	"strconv"
	"strings"
)

// digitsOnly strips the spaces and dots people type inside identifiers.
func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

// ValidSIREN reports whether s is 9 digits with a valid Luhn key.
func ValidSIREN(s string) bool { return len(s) == 9 && allDigits(s) && luhn(s) }

// ValidSIRET reports whether s is 14 digits with a valid Luhn key. La Poste's
// establishments (SIREN 356000000) use a different rule: the digit sum is a
// multiple of 5 (INSEE).
func ValidSIRET(s string) bool {
	if len(s) != 14 || !allDigits(s) {
		return false
	}
	if strings.HasPrefix(s, "356000000") {
		sum := 0
		for _, c := range s {
			sum += int(c - '0')
		}
		return sum%5 == 0
	}
	return luhn(s)
}

// FrenchVATNumber returns the intra-EU VAT number of a French SIREN:
// "FR" + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97.
func FrenchVATNumber(siren string) string {
	n, err := strconv.Atoi(siren)
	if err != nil || len(siren) != 9 {
		return ""
	}
	return "FR" + pad2((12+3*(n%97))%97) + siren
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// validVATNumber checks the shape of an intra-EU VAT number (country prefix
// and 2–13 characters) and the key of a French one; whether it is registered
// is VIES's business, checked at invoicing time.
func validVATNumber(v string) bool {
	if len(v) < 4 || len(v) > 15 {
		return false
	}
	cc := v[:2]
	if !euCountries[cc] && cc != "EL" && cc != "XI" {
		return false
	}
	for _, r := range v[2:] {
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	if cc == "FR" && len(v) == 13 && allDigits(v[2:]) {
		return FrenchVATNumber(v[4:]) == v
	}
	return true
}

// euCountries are the EU member states (ISO 3166 codes), for VAT rules.
var euCountries = map[string]bool{"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true, "DK": true,
	"EE": true, "ES": true, "FI": true, "FR": true, "GR": true, "HR": true, "HU": true, "IE": true, "IT": true, "LT": true,
	"LU": true, "LV": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
