package backoffice

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// Form inputs of numbers, amounts and dates, typed the French way or the
// English way ("1 200,50" or "1200.50"), and their values in forms and pages.

// numberText removes the spaces and currency marks around a typed number and
// makes a decimal comma a dot.
func numberText(s string) string {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "", "EUR", "", "eur", "").Replace(strings.TrimSpace(s))
	return strings.Replace(s, ",", ".", 1)
}

// eurosString writes cents for a form input: "950" or "950,50" (nil is "").
func eurosString(lang string, cents *int64) string {
	if cents == nil {
		return ""
	}
	if *cents%100 == 0 {
		return strconv.FormatInt(*cents/100, 10)
	}
	return decimalText(lang, float64(*cents)/100, 2)
}

// decimalInput reads a decimal number; empty is nil.
func decimalInput(s string) (*float64, bool) {
	s = numberText(s)
	if s == "" {
		return nil, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, false
	}
	return &v, true
}

// decimalString writes an optional decimal for a form input.
func decimalString(lang string, v *float64) string {
	if v == nil {
		return ""
	}
	return decimalText(lang, *v, -1)
}

// decimalText writes v with prec decimals (-1: as few as needed) and the
// language's decimal mark.
func decimalText(lang string, v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if i18n.Normalize(lang) == i18n.FR {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// intInput reads an optional whole number; empty is nil.
func intInput(s string) (*int, bool) {
	s = numberText(s)
	if s == "" {
		return nil, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, false
	}
	return &n, true
}

// intString writes an optional whole number for a form input.
func intString(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// dateString writes an optional date for a date input.
func dateString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(htmlDate)
}

// datesInput reads dates separated by commas, semicolons or spaces, typed
// 31/03/2026 or 2026-03-31, as YYYY-MM-DD.
func datesInput(s string) ([]string, bool) {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' }) {
		t, err := time.Parse(htmlDate, f)
		if err != nil {
			if t, err = time.Parse("02/01/2006", f); err != nil {
				return nil, false
			}
		}
		out = append(out, t.Format(htmlDate))
	}
	return out, true
}

// datesString writes YYYY-MM-DD dates for the form, as datesInput reads them.
func datesString(dates []string) string {
	return strings.Join(dates, ", ")
}

// multiline makes the line breaks a browser sends (CRLF) plain newlines, so
// that a text saved again unchanged compares equal.
func multiline(s string) string {
	return strings.ReplaceAll(s, "\r\n", "\n")
}
