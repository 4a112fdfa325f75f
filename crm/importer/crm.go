package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/phone"
)

// outcomes maps what crm reports to the import report's outcomes.
var outcomes = map[crm.Outcome]Outcome{crm.Inserted: Inserted, crm.Updated: Updated, crm.Unchanged: Unchanged}

// Employees imports a client's employee file (format in ReadEmployees):
// each row is upserted by its external id, so a re-import updates instead
// of duplicating; bad rows are reported with their line and the rest imported.
func Employees(ctx context.Context, r io.Reader, employees *crm.Employees, clientID int64) (Report, error) {
	return ReadEmployees(ctx, r, func(ctx context.Context, line int, e EmployeeRow) (Outcome, error) {
		in := crm.EmployeeInput{ExternalID: e.ExternalID, FirstName: e.FirstName, LastName: e.LastName, Email: e.Email,
			Phone: e.Phone, JobTitle: e.JobTitle, DepartmentName: e.Department, Establishment: e.Establishment}
		if !e.BirthDate.IsZero() {
			in.BirthDate = &e.BirthDate
		}
		if !e.HireDate.IsZero() {
			in.HireDate = &e.HireDate
		}
		_, o, err := employees.Upsert(ctx, clientID, in)
		return outcomes[o], err
	})
}

// Calls imports an Asterisk Master.csv into the call log. A call between an
// internal extension and an outside number is outgoing when the extension
// called, incoming otherwise; it is linked to the contact whose number
// matches, or waits in the triage list. Internal calls (extension to
// extension) are skipped as unchanged: they are not exchanges with clients
// or providers. The CDR uniqueid makes a re-import add nothing.
func Calls(ctx context.Context, r io.Reader, calls *crm.Calls, loc *time.Location) (Report, error) {
	return ReadCalls(ctx, r, loc, func(ctx context.Context, line int, c CDR) (Outcome, error) {
		src, srcErr := phone.Normalize(firstNonEmpty(c.CallerID, c.Src), "FR")
		dst, dstErr := phone.Normalize(c.Dst, "FR")
		in := crm.CallInput{StartedAt: c.Start, DurationS: c.BillSec, Outcome: callOutcome(c.Disposition),
			Source: "asterisk", ExternalID: firstNonEmpty(c.UniqueID, fmt.Sprintf("%s/%s/%s", c.Start.Format(time.RFC3339), c.Src, c.Dst))}
		switch {
		case srcErr == nil:
			in.Direction, in.Number = "in", src
		case errors.Is(srcErr, phone.ErrShortNumber) && dstErr == nil:
			in.Direction, in.Number = "out", dst
		case errors.Is(srcErr, phone.ErrShortNumber) && errors.Is(dstErr, phone.ErrShortNumber):
			return Unchanged, nil
		default:
			return 0, fmt.Errorf("neither %q nor %q is a phone number: %w", c.Src, c.Dst, errs.ErrInvalid)
		}
		_, o, err := calls.Log(ctx, in)
		return outcomes[o], err
	})
}

// callOutcome maps an Asterisk disposition to a call outcome.
func callOutcome(disposition string) string {
	switch strings.ToUpper(strings.TrimSpace(disposition)) {
	case "ANSWERED":
		return "answered"
	case "BUSY":
		return "busy"
	case "NO ANSWER":
		return "no_answer"
	default:
		return "failed"
	}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
