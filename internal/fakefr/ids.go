package fakefr

import (
	"fmt"
	"strconv"
)

// LuhnValid reports whether s is a non-empty string of ASCII digits whose
// Luhn checksum is valid, as required of SIREN and SIRET numbers.
func LuhnValid(s string) bool {
	if s == "" {
		return false
	}
	sum := 0
	for i := range len(s) {
		c := s[len(s)-1-i]
		if c < '0' || c > '9' {
			return false
		}
		sum += luhnDigit(int(c-'0'), i%2 == 1)
	}
	return sum%10 == 0
}

func luhnDigit(d int, double bool) int {
	if !double {
		return d
	}
	if d *= 2; d > 9 {
		d -= 9
	}
	return d
}

// withLuhnKey appends the digit that makes digits Luhn-valid.
func withLuhnKey(digits []byte) string {
	sum := 0
	for i := range digits {
		// The key will sit at position 0 from the right, so the last digit
		// given here is at position 1 and is doubled.
		sum += luhnDigit(int(digits[len(digits)-1-i]-'0'), i%2 == 0)
	}
	return string(append(digits, byte('0'+(10-sum%10)%10)))
}

// SIREN returns a random Luhn-valid 9-digit company number. It may happen to
// be the number of a real company.
func (g *Gen) SIREN() string {
	return g.sirenWithPrefix(byte('3' + g.r.IntN(7)))
}

// sirenWithPrefix fixes the first digit: 2 for public bodies, 3–9 for companies.
func (g *Gen) sirenWithPrefix(first byte) string {
	d := make([]byte, 8, 9)
	d[0] = first
	for i := 1; i < 8; i++ {
		d[i] = byte('0' + g.r.IntN(10))
	}
	return withLuhnKey(d)
}

// SIRET returns a Luhn-valid 14-digit establishment number for siren, whose
// NIC looks like a real one: a small establishment rank and a check digit
// ("00012", "00036"…). It returns "" if siren is not 9 digits.
func (g *Gen) SIRET(siren string) string {
	if len(siren) != 9 || !isDigits(siren) {
		return ""
	}
	rank := 1
	if g.r.IntN(3) == 0 {
		rank += g.r.IntN(40)
	}
	return withLuhnKey(fmt.Appendf(make([]byte, 0, 14), "%s%04d", siren, rank))
}

// IntraEUVAT returns the French intra-EU VAT number of a SIREN: "FR", the
// key (12 + 3 × (SIREN mod 97)) mod 97 on two digits, then the SIREN.
// It returns "" if siren is not 9 digits.
func IntraEUVAT(siren string) string {
	if len(siren) != 9 || !isDigits(siren) {
		return ""
	}
	n, _ := strconv.Atoi(siren)
	return fmt.Sprintf("FR%02d%s", (12+3*(n%97))%97, siren)
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
