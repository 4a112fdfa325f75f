package phone

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// scan extracts the digits of raw and whether they follow a '+'. Before the
// first digit it skips a label ("Tél. :", "tel:"); after the number it drops
// an extension ("poste 12", "x12", "ext. 12", "#12", RFC 3966 ";ext=12") or a
// remark without digits ("(standard)"). Anything else is an error.
func scan(raw string) (digits string, plus bool, err error) {
	s := raw
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	d := make([]byte, 0, 16)
	var prev rune // the character before r, to tell a remark from a typo
	for i, size := 0, 0; i < len(s); i += size {
		var r rune
		r, size = utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= '0' && r <= '9':
			if len(d) == 20 {
				return "", false, invalid(raw, "too many digits")
			}
			d = append(d, byte(r))
		case r == '+' && len(d) == 0 && !plus:
			plus = true
		case r == '(' && strings.HasPrefix(s[i:], "(0)") && len(d) > 0 && len(d) <= 5 && (plus || strings.HasPrefix(string(d), "00")):
			// "+33 (0)1 23…": the trunk 0 of the national form, shown in
			// brackets after the country code, is not dialled from abroad.
			size = len("(0)")
		case isSeparator(r):
		case len(d) == 0 && !plus && (unicode.IsLetter(r) || r == ':'):
			// A label before the number.
		case len(d) > 0 && (isExtension(s[i:]) || remark(prev, s[i:])):
			return string(d), plus, nil
		default:
			return "", false, invalid(raw, "unexpected "+quote(string(r)))
		}
		prev = r
	}
	if len(d) == 0 {
		return "", false, invalid(raw, "no digits")
	}
	return string(d), plus, nil
}

// isSeparator reports the characters people put between digit groups.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '.', '-', '/', '(', ')', '\u00a0', '\u202f', '\u2009', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014':
		return true
	}
	return false
}

// extensionMarkers introduce an extension, longest first so that "poste"
// is not read as "p" followed by "oste".
var extensionMarkers = []string{"extension", "extn", "ext", "poste", "post", "x", "p", "#", ","}

// isExtension reports whether rest is an extension marker followed by digits.
func isExtension(rest string) bool {
	l := strings.ToLower(rest)
	for _, m := range extensionMarkers {
		after, ok := strings.CutPrefix(l, m)
		if !ok {
			continue
		}
		after = strings.TrimLeft(after, " .:=\t")
		return hasDigit(after) && strings.TrimFunc(after, func(r rune) bool { return r >= '0' && r <= '9' || isSeparator(r) }) == ""
	}
	return false
}

// remark reports trailing words without digits set apart from the number,
// as in "01 23 45 67 89 (standard)"; "1-800-FLOWERS" is not one.
func remark(prev rune, rest string) bool {
	return (unicode.IsSpace(prev) || prev == '(') && !hasDigit(rest)
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}
