package backoffice

import (
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// The layouts of the HTML date and date-time inputs.
const (
	htmlDate     = "2006-01-02"
	htmlDateTime = "2006-01-02T15:04"
)

// parseRef reads a record reference written "type:id" (e.g. "client:42").
func parseRef(s string) (crm.Ref, bool) {
	typ, id, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 || typ == "" {
		return crm.Ref{}, false
	}
	return crm.Ref{Type: typ, ID: n}, true
}

// refString writes a reference the way parseRef reads it.
func refString(r crm.Ref) string { return r.Type + ":" + strconv.FormatInt(r.ID, 10) }

// parseRefs reads the references of a form, skipping malformed ones.
func parseRefs(values []string) []crm.Ref {
	var out []crm.Ref
	for _, v := range values {
		if r, ok := parseRef(v); ok {
			out = append(out, r)
		}
	}
	return out
}

// parisDateTime reads a date-time input typed in Paris time and returns it
// in UTC; empty is the zero time.
func parisDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation(htmlDateTime, s, i18n.Paris)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// dateInput reads a date input; empty is nil.
func dateInput(s string) (*time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	t, err := time.Parse(htmlDate, s)
	if err != nil {
		return nil, false
	}
	return &t, true
}

// durationInput reads a call duration typed "m:ss", "h:mm:ss" or a number of minutes.
func durationInput(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	total := 0
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (i > 0 && n > 59) {
			return 0, false
		}
		total = total*60 + n
	}
	if len(parts) == 1 {
		total *= 60
	}
	return total, true
}

// formatDuration writes seconds as "m:ss" (or "h:mm:ss").
func formatDuration(s int) string {
	if s >= 3600 {
		return strconv.Itoa(s/3600) + ":" + pad2(s%3600/60) + ":" + pad2(s%60)
	}
	return strconv.Itoa(s/60) + ":" + pad2(s%60)
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// optionalID reads an optional id from a select ("" or "0" is none).
func optionalID(s string) *int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return nil
	}
	return &n
}

// idString writes an optional id for a form value ("" for none).
func idString(id *int64) string {
	if id == nil {
		return ""
	}
	return strconv.FormatInt(*id, 10)
}

// checked is the form value of a checkbox.
func checked(b bool) string {
	if b {
		return "on"
	}
	return ""
}
