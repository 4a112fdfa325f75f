package phone

import "strings"

// Format returns an E.164 number grouped for display: "+33 1 23 45 67 89",
// "+262 262 12 34 56", "+1 212 555 0123". Input that is not E.164 is
// returned unchanged, so a legacy value still shows.
func Format(e164 string) string {
	if !isE164(e164) {
		return e164
	}
	d := e164[1:]
	cc := d[:ccLen(d)]
	nsn := d[len(cc):]
	var groups []int
	switch n := len(nsn); {
	case cc == "33" && n == 9:
		groups = []int{1, 2, 2, 2, 2}
	case (overseasCCs[cc] || cc == "34") && n == 9:
		groups = []int{3, 2, 2, 2}
	case (cc == "508" || cc == "681" || cc == "687") && n == 6,
		(cc == "689" || cc == "377") && n == 8:
		groups = pairs(n)
	case cc == "377" && n == 9:
		groups = []int{1, 2, 2, 2, 2}
	case cc == "269" && n == 7:
		// Comoros. Mayotte left +269 for +262 in 2007.
		groups = []int{3, 2, 2}
	case cc == "1" && n == 10:
		groups = []int{3, 3, 4}
	case cc == "41" && n == 9:
		groups = []int{2, 3, 2, 2}
	case cc == "32" && n == 9:
		groups = []int{3, 2, 2, 2}
	case cc == "32" && n == 8 && strings.ContainsRune("2349", rune(nsn[0])):
		// Brussels, Antwerp, Liège and Ghent have one-digit area codes.
		groups = []int{1, 3, 2, 2}
	case cc == "32" && n == 8:
		groups = pairs(n)
	default:
		groups = threes(n)
	}
	var b strings.Builder
	b.WriteString("+" + cc)
	for _, g := range groups {
		b.WriteString(" " + nsn[:g])
		nsn = nsn[g:]
	}
	return b.String()
}

// TelURI returns the RFC 3966 URI of an E.164 number for a tel: link, or ""
// when e164 is not one, so a template can leave the link out.
func TelURI(e164 string) string {
	if !isE164(e164) {
		return ""
	}
	return "tel:" + e164
}

// isE164 reports a '+' and 8 to 15 digits, the shape Normalize returns.
func isE164(s string) bool {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	return strings.Trim(s[1:], "0123456789") == ""
}

func pairs(n int) []int {
	g := make([]int, n/2)
	for i := range g {
		g[i] = 2
	}
	return g
}

// threes groups digits by three from the left, except that a remainder of
// one makes the last group four ("123 456 7890") and a remainder of two
// makes the first group two ("12 345 678").
func threes(n int) []int {
	if n <= 4 {
		return []int{n}
	}
	var g []int
	last := 0
	switch n % 3 {
	case 1:
		last, n = 4, n-4
	case 2:
		g, n = append(g, 2), n-2
	}
	for ; n > 0; n -= 3 {
		g = append(g, 3)
	}
	if last > 0 {
		g = append(g, last)
	}
	return g
}
