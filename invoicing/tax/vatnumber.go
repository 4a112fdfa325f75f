package tax

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// ErrInvalidVAT is returned (wrapped in *VATFormatError) for a VAT number
// whose shape or check key is wrong.
var ErrInvalidVAT = errors.New("tax: invalid VAT number")

// VATFormatError says why a VAT number was rejected.
type VATFormatError struct {
	Number string // normalised input
	Reason string
}

func (e *VATFormatError) Error() string {
	return fmt.Sprintf("tax: VAT number %q is not valid: %s", e.Number, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalidVAT) true.
func (e *VATFormatError) Unwrap() error { return ErrInvalidVAT }

// NormalizeVAT upper-cases a VAT number and drops spaces, dots, dashes,
// slashes and underscores, as people type them ("fr 40 303.265.045").
func NormalizeVAT(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '\t', '.', '-', '/', '_', '\u00a0':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// vatFormats are the shapes of the number after the prefix, per VIES prefix
// (EL for Greece, XI for Northern Ireland, which keeps EU VAT for goods).
var vatFormats = map[string]*regexp.Regexp{
	"AT": regexp.MustCompile(`^U\d{8}$`),
	"BE": regexp.MustCompile(`^[01]\d{9}$`),
	"BG": regexp.MustCompile(`^\d{9,10}$`),
	"CY": regexp.MustCompile(`^\d{8}[A-Z]$`),
	"CZ": regexp.MustCompile(`^\d{8,10}$`),
	"DE": regexp.MustCompile(`^\d{9}$`),
	"DK": regexp.MustCompile(`^\d{8}$`),
	"EE": regexp.MustCompile(`^\d{9}$`),
	"EL": regexp.MustCompile(`^\d{9}$`),
	"ES": regexp.MustCompile(`^[0-9A-Z]\d{7}[0-9A-Z]$`),
	"FI": regexp.MustCompile(`^\d{8}$`),
	"FR": regexp.MustCompile(`^[0-9A-HJ-NP-Z]{2}\d{9}$`),
	"HR": regexp.MustCompile(`^\d{11}$`),
	"HU": regexp.MustCompile(`^\d{8}$`),
	"IE": regexp.MustCompile(`^(\d{7}[A-WY][A-I]?|\d[0-9A-Z+*]\d{5}[A-WY])$`),
	"IT": regexp.MustCompile(`^\d{11}$`),
	"LT": regexp.MustCompile(`^(\d{9}|\d{12})$`),
	"LU": regexp.MustCompile(`^\d{8}$`),
	"LV": regexp.MustCompile(`^\d{11}$`),
	"MT": regexp.MustCompile(`^\d{8}$`),
	"NL": regexp.MustCompile(`^\d{9}B\d{2}$`),
	"PL": regexp.MustCompile(`^\d{10}$`),
	"PT": regexp.MustCompile(`^\d{9}$`),
	"RO": regexp.MustCompile(`^[1-9]\d{1,9}$`),
	"SE": regexp.MustCompile(`^\d{10}01$`),
	"SI": regexp.MustCompile(`^[1-9]\d{7}$`),
	"SK": regexp.MustCompile(`^[1-9]\d{9}$`),
	"XI": regexp.MustCompile(`^(\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$`),
}

// CheckVATFormat checks the shape of a VAT number (normalised first) and,
// for French numbers with a numeric key, the key and the SIREN's Luhn digit.
// It returns the VIES country prefix: "EL" for Greece ("GR" is accepted as
// input), "XI" for Northern Ireland. It says nothing of the number being
// registered: that is VIES's job.
func CheckVATFormat(s string) (country string, err error) {
	n := NormalizeVAT(s)
	if len(n) < 4 {
		return "", &VATFormatError{Number: n, Reason: "too short: a VAT number is a two-letter country prefix and at least two characters"}
	}
	prefix, rest := n[:2], n[2:]
	if prefix == "GR" {
		prefix = "EL"
	}
	re, ok := vatFormats[prefix]
	if !ok {
		return "", &VATFormatError{Number: n, Reason: fmt.Sprintf("%q is not the prefix of an EU member state", n[:2])}
	}
	if !re.MatchString(rest) {
		return "", &VATFormatError{Number: n, Reason: fmt.Sprintf("the format for %s is %s", prefix, describeFormat(prefix))}
	}
	if prefix == "FR" {
		if err := checkFrench(n, rest); err != nil {
			return "", err
		}
	}
	return prefix, nil
}

// checkFrench: FR + 2-character key + SIREN. A numeric key is
// (12 + 3 × (SIREN mod 97)) mod 97; letter keys (numbers issued to
// businesses without a SIREN) have no public algorithm and pass on shape.
func checkFrench(n, rest string) error {
	key, siren := rest[:2], rest[2:]
	k, err := strconv.Atoi(key)
	if err != nil {
		return nil
	}
	if !LuhnValid(siren) {
		return &VATFormatError{Number: n, Reason: fmt.Sprintf("%s is not a valid SIREN (Luhn check)", siren)}
	}
	sn, _ := strconv.Atoi(siren)
	if want := (12 + 3*(sn%97)) % 97; k != want {
		return &VATFormatError{Number: n, Reason: fmt.Sprintf("the key for SIREN %s is %02d, not %s", siren, want, key)}
	}
	return nil
}

// FrenchVAT returns the French VAT number of a SIREN, with its numeric key.
func FrenchVAT(siren string) (string, error) {
	if len(siren) != 9 || !LuhnValid(siren) {
		return "", &VATFormatError{Number: siren, Reason: "not a valid SIREN (9 digits, Luhn check)"}
	}
	sn, _ := strconv.Atoi(siren)
	return fmt.Sprintf("FR%02d%s", (12+3*(sn%97))%97, siren), nil
}

// LuhnValid reports whether a digit string passes the Luhn check (SIREN, SIRET).
func LuhnValid(digits string) bool {
	if digits == "" {
		return false
	}
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if (len(digits)-1-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// describeFormat turns a pattern into a message a user can act on.
func describeFormat(prefix string) string {
	switch prefix {
	case "FR":
		return "FR + 2-character key + 9-digit SIREN (FR40303265045)"
	case "AT":
		return "ATU + 8 digits"
	case "NL":
		return "NL + 9 digits + B + 2 digits"
	case "SE":
		return "SE + 10 digits + 01"
	}
	return prefix + " followed by " + strings.TrimSuffix(strings.TrimPrefix(vatFormats[prefix].String(), "^"), "$")
}
