package importer

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
)

// ParseDate reads a calendar date as French files write it: dd/mm/yyyy or
// d/m/yyyy (also with '-' or '.'), or ISO yyyy-mm-dd. A time after the date
// ("15/03/1985 00:00", Excel's habit) is ignored. The result is midnight UTC;
// an empty string gives the zero time and no error. Errors wrap
// errs.ErrInvalid.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	date, _, _ := strings.Cut(s, " ")
	date, _, _ = strings.Cut(date, "T")
	parts := strings.FieldsFunc(date, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	bad := fmt.Errorf("importer: date %q: want dd/mm/yyyy or yyyy-mm-dd: %w", s, errs.ErrInvalid)
	if len(parts) != 3 || strings.Count(date, string(date[len(parts[0])])) != 2 {
		return time.Time{}, bad
	}
	y, m, d := parts[2], parts[1], parts[0]
	if len(parts[0]) == 4 {
		y, d = parts[0], parts[2]
	}
	if len(y) != 4 || len(m) < 1 || len(m) > 2 || len(d) < 1 || len(d) > 2 {
		return time.Time{}, bad
	}
	yy, err1 := strconv.Atoi(y)
	mm, err2 := strconv.Atoi(m)
	dd, err3 := strconv.Atoi(d)
	if err1 != nil || err2 != nil || err3 != nil || yy < 1000 {
		return time.Time{}, bad
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	// time.Date normalises 31/02 to 3 March: compare to catch it.
	if t.Day() != dd || int(t.Month()) != mm {
		return time.Time{}, bad
	}
	return t, nil
}

// ParseBool reads the yes/no values of French and English files:
// true/false, vrai/faux, oui/non, yes/no, o/n, y/n, x (a ticked box), 1/0;
// case is ignored and an empty string is false. Errors wrap errs.ErrInvalid.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "vrai", "oui", "yes", "o", "y", "x", "1":
		return true, nil
	case "false", "faux", "non", "no", "n", "0", "":
		return false, nil
	}
	return false, fmt.Errorf("importer: %q is not yes or no: %w", s, errs.ErrInvalid)
}

// ParseEuros reads an amount of euros as French and English files write it
// and returns it in cents, without going through floating point: "1200",
// "1 200,50", "1.200,50 €", "1,200.50", "1200.5", "0,99 EUR", "950 € HT".
// The decimal separator is a comma or a dot that appears once, with one or
// two digits after it; spaces (also no-break ones) and the other mark may
// separate thousands, in groups of three digits. A single separator with
// three digits after it ("12,345", "1.200") is refused, as it reads as
// thousands to some and as decimals to others. An empty value or "-" means
// unknown and gives -1 without error. A negative amount is refused: prices
// are never negative. Errors wrap errs.ErrInvalid.
func ParseEuros(s string) (int64, error) {
	cents, why := parseEuros(s)
	if why != "" {
		return 0, fmt.Errorf("importer: amount %q: %s: %w", s, why, errs.ErrInvalid)
	}
	return cents, nil
}

// parseEuros is ParseEuros giving the reason of a failure in plain words,
// for reject reasons that name the column.
func parseEuros(s string) (cents int64, why string) {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" {
		return -1, ""
	}
	if strings.HasPrefix(s, "-") {
		return 0, "negative"
	}
	s = trimUnits(s)
	num := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9' || r == '.' || r == ',':
			num = append(num, byte(r))
		case r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\t':
			num = append(num, ' ')
		default:
			return 0, "not an amount of euros"
		}
	}
	if len(num) == 0 {
		return 0, "no digits"
	}
	whole, frac := string(num), ""
	if i := strings.LastIndexAny(whole, ".,"); i >= 0 && strings.Count(whole, whole[i:i+1]) == 1 {
		whole, frac = whole[:i], whole[i+1:]
		switch {
		case !isDigits(frac):
			return 0, "no digits after the decimal separator"
		case len(frac) == 3 && !strings.ContainsAny(whole, ".,"):
			return 0, "3 digits after the separator: write 12345 for thousands or 12,35 for decimals"
		case len(frac) > 2:
			return 0, "more than 2 decimals"
		}
	}
	groups := strings.FieldsFunc(whole, func(r rune) bool { return r == ' ' || r == '.' || r == ',' })
	if len(groups) == 0 {
		return 0, "no digits before the decimal separator"
	}
	if len(groups) > 1 || strings.ContainsAny(whole, " .,") {
		// Thousands separators: every group but the first has 3 digits, and
		// no separator is doubled or dangling.
		if strings.Join(groups, "x") != strings.Map(func(r rune) rune {
			if r == ' ' || r == '.' || r == ',' {
				return 'x'
			}
			return r
		}, whole) {
			return 0, "misplaced thousands separator"
		}
		for i, g := range groups {
			if len(g) > 3 || i > 0 && len(g) != 3 {
				return 0, "thousands not in groups of 3 digits"
			}
		}
	}
	digits := strings.Join(groups, "")
	if len(digits) > 15 {
		return 0, "too large"
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return 0, "not an amount of euros"
	}
	cents = n * 100
	switch len(frac) {
	case 1:
		cents += int64(frac[0]-'0') * 10
	case 2:
		cents += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	return cents, ""
}

// trimUnits removes a currency sign or word and an "HT" (excluding VAT)
// mark before or after an amount.
func trimUnits(s string) string {
	for {
		t := strings.TrimSpace(s)
		low := strings.ToLower(t)
		for _, u := range []string{"€", "euros", "euro", "eur", "ht"} {
			if strings.HasSuffix(low, u) {
				t = t[:len(t)-len(u)]
				break
			}
			if strings.HasPrefix(low, u) {
				t = t[len(u):]
				break
			}
		}
		t = strings.TrimSpace(t)
		if t == s {
			return t
		}
		s = t
	}
}

// isDigits reports whether s is non-empty and made of ASCII digits only.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
