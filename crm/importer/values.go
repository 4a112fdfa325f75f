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
