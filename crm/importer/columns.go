package importer

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/courtier-crm/courtier/internal/errs"
)

// Columns maps canonical field names ("last_name") to the column indexes of
// one file. The zero value maps nothing.
type Columns struct {
	index map[string]int
}

// ColumnsError lists the header problems that prevent an import; it wraps
// errs.ErrInvalid.
type ColumnsError struct {
	Missing   []string // required canonical names with no matching column
	Ambiguous []string // canonical names matched by more than one column
	msg       string
}

// Error lists every problem and the columns found, for the user.
func (e *ColumnsError) Error() string { return e.msg }

// Unwrap makes errors.Is(err, errs.ErrInvalid) true.
func (e *ColumnsError) Unwrap() error { return errs.ErrInvalid }

// Columns finds, for each canonical name of want, the column whose header
// matches the name itself or one of its aliases, tried in order, ignoring
// case, accents, punctuation, spaces and a bracketed note: "Date d'entrée
// (jj/mm/aaaa)" matches "date d'entree" and "DateEntree". A name without a
// column is left out, which is an error only for the required names. Two
// columns matching the same alias are an error, as the file is ambiguous.
func (r *Reader) Columns(want map[string][]string, required ...string) (Columns, error) {
	byName := map[string][]int{}
	for i, h := range r.header {
		f := fold(h)
		byName[f] = append(byName[f], i)
	}
	c := Columns{index: map[string]int{}}
	var missing, ambiguous, notes []string
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, alias := range append([]string{name}, want[name]...) {
			idx := byName[fold(alias)]
			if len(idx) == 0 {
				continue
			}
			if len(idx) > 1 {
				ambiguous = append(ambiguous, name)
				notes = append(notes, fmt.Sprintf("%d columns named %q", len(idx), r.header[idx[0]]))
			}
			c.index[name] = idx[0]
			break
		}
	}
	for _, name := range required {
		if _, ok := c.index[name]; !ok {
			missing = append(missing, name)
			notes = append(notes, fmt.Sprintf("missing column %s (headers accepted: %s)", name, quoteAll(want[name])))
		}
	}
	if len(notes) == 0 {
		return c, nil
	}
	msg := "importer: " + strings.Join(notes, "; ") + "; columns found: " + quoteAll(r.header)
	return Columns{}, &ColumnsError{Missing: missing, Ambiguous: ambiguous, msg: msg}
}

// Get returns the trimmed value of the named column in rec, or "" when the
// file has no such column.
func (c Columns) Get(rec Record, name string) string {
	i, ok := c.index[name]
	if !ok || i >= len(rec.Fields) {
		return ""
	}
	return strings.TrimSpace(rec.Fields[i])
}

// Has reports whether the file has the named column.
func (c Columns) Has(name string) bool {
	_, ok := c.index[name]
	return ok
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// fold reduces a header to lower-case letters and digits: accents removed
// (NFKD, so "Nº" gives "no"), ligatures expanded, everything else dropped,
// and a bracketed note removed when something is left without it.
func fold(s string) string {
	if i := strings.IndexAny(s, "(["); i > 0 && strings.TrimSpace(s[:i]) != "" {
		s = s[:i]
	}
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
