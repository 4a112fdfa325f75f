package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/internal/errs"
)

// Outcome is what storing one record did.
type Outcome int

// The outcomes a sink reports; the zero value is none of them, so a sink
// that forgets to set it is caught.
const (
	Inserted Outcome = iota + 1
	Updated
	Unchanged
)

// Report counts what an import did and keeps every rejected record.
type Report struct {
	Inserted, Updated, Unchanged, Rejected int
	Errors                                 []RowError
	// Conflicts are records imported except for fields staff had edited,
	// which were kept (the reason names them).
	Conflicts []RowError
}

// Add counts one stored record; an unknown outcome counts nothing.
func (r *Report) Add(o Outcome) {
	switch o {
	case Inserted:
		r.Inserted++
	case Updated:
		r.Updated++
	case Unchanged:
		r.Unchanged++
	}
}

// Reject counts one rejected record and keeps it for WriteRejects.
func (r *Report) Reject(e RowError) {
	r.Rejected++
	r.Errors = append(r.Errors, e)
}

// String summarises the report on one line:
// "1,204 inserted, 3 updated, 0 unchanged, 2 rejected".
func (r Report) String() string {
	s := fmt.Sprintf("%s inserted, %s updated, %s unchanged, %s rejected",
		thousands(r.Inserted), thousands(r.Updated), thousands(r.Unchanged), thousands(r.Rejected))
	if len(r.Conflicts) > 0 {
		s += fmt.Sprintf(", %s with staff edits kept", thousands(len(r.Conflicts)))
	}
	return s
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

// WriteRejects writes the rejected records as CSV for Excel (UTF-8 with a
// byte order mark, ';', CRLF) with the columns line;reason;raw, so a user
// can correct the raw rows and import them again.
func (r Report) WriteRejects(w io.Writer) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("importer: write rejects: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	cw.Write([]string{"line", "reason", "raw"})
	for _, e := range r.Errors {
		cw.Write([]string{strconv.Itoa(e.Line), e.Reason, e.Raw})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("importer: write rejects: %w", err)
	}
	return nil
}

// settle records what the sink did with the record at line: an outcome, a
// rejection when the sink's error is a validation error or a conflict, or an
// error to abort the import with when it is anything else. raw is called
// only for a rejection, to spare a copy of every good record.
func (r *Report) settle(line int, raw func() string, o Outcome, err error) error {
	if err == nil {
		if o < Inserted || o > Unchanged {
			return fmt.Errorf("line %d: sink returned no outcome (%d)", line, o)
		}
		r.Add(o)
		return nil
	}
	if !errors.Is(err, errs.ErrInvalid) && !errors.Is(err, errs.ErrConflict) {
		return fmt.Errorf("line %d: %w", line, err)
	}
	reason := err.Error()
	var inv *errs.Invalid
	if errors.As(err, &inv) && len(inv.Fields) > 0 {
		fields := make([]string, 0, len(inv.Fields))
		for f := range inv.Fields {
			fields = append(fields, f)
		}
		slices.Sort(fields)
		reason = "invalid " + strings.Join(fields, ", ")
	}
	r.Reject(RowError{Line: line, Reason: reason, Raw: raw()})
	return nil
}
