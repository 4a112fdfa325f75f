// Package phone turns the phone numbers French staff type and phone systems
// export into E.164 ("+33123456789"), the one form Courtier stores, and back
// into a readable form for display.
//
// Normalize accepts national French forms ("01 23 45 67 89", "01.23.45.67.89",
// "06-12-34-56-78"), international ones ("+33 (0)1 23 45 67 89",
// "0033123456789", "+49 30 1234567"), the bare "33123456789" Asterisk often
// logs, a leading label ("Tél. :") and a trailing extension ("poste 123",
// "x123", "ext. 12"), which is dropped. French overseas departments share the
// French ten-digit plan: "0262 12 34 56" is a Réunion number, +262 262 12 34 56.
package phone

import (
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/internal/errs"
)

// sentinel is an error category that unwraps to a broader one.
type sentinel struct {
	msg    string
	parent error
}

// Error returns the category name.
func (s *sentinel) Error() string { return s.msg }

// Unwrap returns the broader category.
func (s *sentinel) Unwrap() error { return s.parent }

var (
	// ErrInvalid is the category of every error Normalize returns; it wraps
	// errs.ErrInvalid so the web layer maps it to a field error.
	ErrInvalid error = &sentinel{"invalid phone number", errs.ErrInvalid}
	// ErrShortNumber reports a short number of 2 to 5 digits with no prefix
	// ("201", "3949"): not E.164, but callers importing call records can treat
	// it as an internal extension. It wraps ErrInvalid.
	ErrShortNumber error = &sentinel{"short number", ErrInvalid}
)

// numberError says why one input was rejected and unwraps to its category.
type numberError struct {
	raw, why string
	kind     error
}

// Error names the input and what is wrong with it.
func (e *numberError) Error() string { return "phone: " + quote(e.raw) + ": " + e.why }

// Unwrap returns the category, ErrInvalid or ErrShortNumber.
func (e *numberError) Unwrap() error { return e.kind }

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

func invalid(raw, why string) error { return &numberError{raw, why, ErrInvalid} }

// Normalize returns raw in E.164 form. National numbers are read in the
// numbering plan of region, an ISO 3166 code ("FR" when empty); international
// numbers ("+CC…", "00CC…") do not depend on it. Errors unwrap to ErrInvalid,
// or to ErrShortNumber for an internal extension.
func Normalize(raw, region string) (string, error) {
	if region == "" {
		region = "FR"
	}
	p, ok := regions[strings.ToUpper(region)]
	digits, plus, err := scan(raw)
	if err != nil {
		return "", err
	}
	if !plus {
		intl := "00"
		if ok {
			intl = p.intl
		}
		if rest, found := strings.CutPrefix(digits, intl); found {
			digits, plus = rest, true
		}
	}
	if plus {
		return international(raw, digits)
	}
	if len(digits) >= 2 && len(digits) <= 5 {
		return "", &numberError{raw, "short number, not a public one (an internal extension?)", ErrShortNumber}
	}
	if !ok {
		return "", invalid(raw, "national number in unsupported region "+quote(region)+": write it with +country code")
	}
	if p.french {
		return french(raw, digits)
	}
	if p.trunk != "" {
		digits = strings.TrimPrefix(digits, p.trunk)
	}
	return international(raw, p.cc+digits)
}

// plan is the little of a region's numbering plan that parsing needs.
type plan struct {
	cc     string // country calling code
	trunk  string // national prefix dropped after the country code, if any
	intl   string // international call prefix
	french bool   // uses the French ten-digit plan, overseas prefixes included
}

// regions lists the plans Courtier's clients need: France and its overseas
// territories, neighbours, and North America.
var regions = map[string]plan{
	"FR": {intl: "00", french: true},
	"RE": {intl: "00", french: true},
	"YT": {intl: "00", french: true},
	"GP": {intl: "00", french: true},
	"BL": {intl: "00", french: true},
	"MF": {intl: "00", french: true},
	"MQ": {intl: "00", french: true},
	"GF": {intl: "00", french: true},
	"PM": {cc: "508", intl: "00"},
	"WF": {cc: "681", intl: "00"},
	"NC": {cc: "687", intl: "00"},
	"PF": {cc: "689", intl: "00"},
	"MC": {cc: "377", intl: "00"},
	"LU": {cc: "352", intl: "00"},
	"ES": {cc: "34", intl: "00"},
	"PT": {cc: "351", intl: "00"},
	// Italian numbers keep their leading 0 after +39: no trunk prefix.
	"IT": {cc: "39", intl: "00"},
	"BE": {cc: "32", trunk: "0", intl: "00"},
	"CH": {cc: "41", trunk: "0", intl: "00"},
	"DE": {cc: "49", trunk: "0", intl: "00"},
	"AT": {cc: "43", trunk: "0", intl: "00"},
	"NL": {cc: "31", trunk: "0", intl: "00"},
	"GB": {cc: "44", trunk: "0", intl: "00"},
	"US": {cc: "1", trunk: "1", intl: "011"},
	"CA": {cc: "1", trunk: "1", intl: "011"},
}

// french reads a number without international prefix in the French plan.
func french(raw, d string) (string, error) {
	switch {
	case len(d) == 10 && d[0] == '0' && d[1] != '0':
		d = d[1:]
	case len(d) == 9 && d[0] != '0':
		// Spreadsheets store 0612345678 as the integer 612345678: the lost
		// trunk 0 is the only reading of nine digits in the French plan.
	case len(d) == 11 && strings.HasPrefix(d, "33") && d[2] != '0':
		// Asterisk and some trunks log "33123456789": +33 without its plus.
		d = d[2:]
	case len(d) == 12 && overseasCCs[d[:3]] && overseasCC(d[3:]) == d[:3]:
		// The same for an overseas line ("262262123456"), accepted only when
		// the number behind the code belongs to that code.
		return "+" + d, nil
	default:
		return "", invalid(raw, "want 10 digits starting with 0 for a French number")
	}
	return "+" + overseasCC(d) + d, nil
}

// overseasCCs are the country codes of the overseas departments that share
// the French ten-digit plan.
var overseasCCs = map[string]bool{"262": true, "590": true, "594": true, "596": true}

// overseasPrefixes maps the leading digits of a French national number (after
// its 0) to the overseas country code that serves it; anything else is +33.
// Source: the ARCEP numbering plan, as reflected in libphonenumber metadata.
// Fixed 0262/0263 and mobile 0692/0693/0709 are Réunion and 0269/0639 Mayotte
// (both +262 since 2007); 0590/0690/0691 Guadeloupe, Saint-Barthélemy and
// Saint-Martin; 0594/0694 Guyane; 0596/0696/0697 Martinique; 0939x, 0947x and
// 0976x are the overseas VoIP blocks.
var overseasPrefixes = map[string]string{
	"262": "262", "263": "262", "269": "262", "639": "262", "692": "262", "693": "262", "709": "262",
	"590": "590", "690": "590", "691": "590",
	"594": "594", "694": "594",
	"596": "596", "696": "596", "697": "596",
	"9395": "590", "9396": "594", "9397": "596", "9398": "262", "9399": "262",
	"9475": "590", "9476": "594", "9477": "596", "9478": "262", "9479": "262",
	"9760": "590", "9761": "590", "9768": "590",
	"9762": "262", "9763": "262", "9769": "262",
	"9766": "596", "9767": "596",
	// 06 39 98 is ARCEP's block for fiction (films, tests, our seed data), a
	// metropolitan mobile range although 0639 is otherwise Mayotte.
	"63998": "33",
}

// overseasCC returns the country code of a 9-digit French national
// significant number, longest prefix first.
func overseasCC(nsn string) string {
	for n := 5; n >= 3; n-- {
		if len(nsn) >= n {
			if cc, ok := overseasPrefixes[nsn[:n]]; ok {
				return cc
			}
		}
	}
	return "33"
}

// international validates country code + number and returns it with a plus.
func international(raw, d string) (string, error) {
	if d == "" || d[0] == '0' {
		return "", invalid(raw, "country code missing after the international prefix")
	}
	cc := d[:ccLen(d)]
	nsn := d[len(cc):]
	if cc == "33" || overseasCCs[cc] {
		// "+33 06 12 34 56 78": the trunk 0 typed after the country code.
		if len(nsn) == 10 && nsn[0] == '0' {
			nsn = nsn[1:]
		}
		if len(nsn) != 9 || nsn[0] == '0' {
			return "", invalid(raw, "want 9 digits after +"+cc)
		}
		if cc == "33" {
			// "+33 2 62…" is what a naive 0→+33 conversion makes of a
			// Réunion number; those ranges are not metropolitan, so no
			// real +33 number is rewritten.
			cc = overseasCC(nsn)
		}
		return "+" + cc + nsn, nil
	}
	if n, ok := nsnLen[cc]; ok {
		if len(nsn) != n {
			return "", invalid(raw, "want "+strconv.Itoa(n)+" digits after +"+cc)
		}
		return "+" + d, nil
	}
	// E.164 allows 15 digits; below 8 no public number exists in practice.
	if len(d) < 8 || len(d) > 15 {
		return "", invalid(raw, "want 8 to 15 digits with the country code, got "+strconv.Itoa(len(d)))
	}
	return "+" + d, nil
}

// nsnLen is the fixed length of the national number behind a few country
// codes whose plans are closed and short enough to check.
var nsnLen = map[string]int{"1": 10, "508": 6, "681": 6, "687": 6, "689": 8}

// ccLen returns the length of the country code at the start of d. Codes are
// prefix-free: 1 and 7 are one digit, the codes below are two, all else three.
func ccLen(d string) int {
	if d[0] == '1' || d[0] == '7' {
		return 1
	}
	if len(d) >= 2 && twoDigitCCs[d[:2]] {
		return 2
	}
	return min(3, len(d))
}

var twoDigitCCs = map[string]bool{}

func init() {
	for _, cc := range strings.Fields("20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 " +
		"51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98") {
		twoDigitCCs[cc] = true
	}
}
