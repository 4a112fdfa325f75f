package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// BudgetFigures are the amounts of an envelope, or of a whole budget, in
// cents excluding VAT. Committed is what accepted proposals still commit
// beyond what is consumed, so an amount counts once: Remaining is Amount −
// Committed − Consumed (negative when overspent). Planned is for comparison
// and does not reduce Remaining.
type BudgetFigures struct {
	AmountCents    int64 `json:"amount_cents"`
	PlannedCents   int64 `json:"planned_cents"`
	CommittedCents int64 `json:"committed_cents"`
	ConsumedCents  int64 `json:"consumed_cents"`
	RemainingCents int64 `json:"remaining_cents"`
}

func (f *BudgetFigures) add(g BudgetFigures) {
	f.AmountCents += g.AmountCents
	f.PlannedCents += g.PlannedCents
	f.CommittedCents += g.CommittedCents
	f.ConsumedCents += g.ConsumedCents
	f.RemainingCents += g.RemainingCents
}

// BudgetLine is an envelope with its figures. EnvelopeID is 0 for a
// department and source that something is planned, committed or consumed
// for but that has no envelope (its amount is then 0).
type BudgetLine struct {
	EnvelopeID     int64  `json:"envelope_id"`
	Label          string `json:"label"`
	DepartmentID   *int64 `json:"department_id"`
	DepartmentName string `json:"department_name"`
	FundingSource  string `json:"funding_source"`
	BudgetFigures
}

// BudgetSummary is a client's budget of a year: one line per envelope
// (whole company first, then departments by name, sources in the order of
// FundingSources) and the total of the lines.
type BudgetSummary struct {
	ClientID int64         `json:"client_id"`
	Year     int           `json:"year"`
	Lines    []BudgetLine  `json:"lines"`
	Total    BudgetFigures `json:"total"`
}

// budgetKey is where an amount counts within a year: a department (0: the
// whole company) and a funding source.
type budgetKey struct {
	department int64
	source     string
}

func keyOf(department *int64, source string) budgetKey {
	if department == nil {
		return budgetKey{source: source}
	}
	return budgetKey{*department, source}
}

// Summary returns the client's budget of a year with, per envelope, what
// is planned, committed, consumed and remaining (see docs/plans-budgets.md
// for the attribution rules), keeping the envelopes of departments.
func (s *Budgets) Summary(ctx context.Context, clientID int64, year int, departments []int64) (BudgetSummary, error) {
	if !validYear(year) {
		return BudgetSummary{}, errs.NewInvalid("year", "error.invalid")
	}
	var one int
	if err := s.db.Get(ctx, &one, "SELECT 1 FROM clients WHERE id = ?", clientID); err != nil {
		return BudgetSummary{}, fmt.Errorf("crm: client %d: %w", clientID, err)
	}
	var depts []struct {
		ID      int64  `db:"id"`
		Name    string `db:"name"`
		NameKey string `db:"name_key"`
	}
	if err := s.db.Select(ctx, &depts, "SELECT id, name, name_key FROM client_departments WHERE client_id = ? ORDER BY name_key, id", clientID); err != nil {
		return BudgetSummary{}, fmt.Errorf("crm: departments of client %d: %w", clientID, err)
	}
	envelopes, err := s.List(ctx, clientID, year, nil)
	if err != nil {
		return BudgetSummary{}, err
	}
	rows := map[budgetKey]*BudgetLine{}
	line := func(k budgetKey) *BudgetLine {
		if l, ok := rows[k]; ok {
			return l
		}
		l := &BudgetLine{FundingSource: k.source}
		if k.department != 0 {
			id := k.department
			l.DepartmentID = &id
		}
		rows[k] = l
		return l
	}
	for _, e := range envelopes {
		l := line(keyOf(e.DepartmentID, e.FundingSource))
		l.EnvelopeID, l.Label, l.AmountCents = e.ID, e.Label, e.AmountCents
	}
	planned, err := plannedByKey(ctx, s.db, clientID, year)
	if err != nil {
		return BudgetSummary{}, err
	}
	for k, cents := range planned {
		line(k).PlannedCents += cents
	}
	spent, err := spendingByRequest(ctx, s.db, clientID)
	if err != nil {
		return BudgetSummary{}, err
	}
	for _, r := range spent {
		if r.year == year {
			l := line(r.key)
			l.CommittedCents += r.committed
			l.ConsumedCents += r.consumed
		}
	}

	rank := map[int64]int{}
	names := map[int64]string{}
	for i, d := range depts {
		rank[d.ID], names[d.ID] = i+1, d.Name
	}
	out := BudgetSummary{ClientID: clientID, Year: year, Lines: []BudgetLine{}}
	for k, l := range rows {
		if !inDepartments(l.DepartmentID, departments) {
			continue
		}
		l.DepartmentName = names[k.department]
		l.RemainingCents = l.AmountCents - l.CommittedCents - l.ConsumedCents
		out.Lines = append(out.Lines, *l)
		out.Total.add(l.BudgetFigures)
	}
	slices.SortFunc(out.Lines, func(a, b BudgetLine) int {
		ka, kb := keyOf(a.DepartmentID, a.FundingSource), keyOf(b.DepartmentID, b.FundingSource)
		if c := rank[ka.department] - rank[kb.department]; c != 0 {
			return c
		}
		return slices.Index(FundingSources, ka.source) - slices.Index(FundingSources, kb.source)
	})
	return out, nil
}

// plannedByKey sums the estimated costs of the lines of the client's plan
// of year (its working version) by department and funding source.
func plannedByKey(ctx context.Context, q db.Querier, clientID int64, year int) (map[budgetKey]int64, error) {
	var rows []struct {
		DepartmentID *int64 `db:"department_id"`
		Source       string `db:"funding_source"`
		Cents        int64  `db:"cents"`
	}
	if err := q.Select(ctx, &rows, `SELECT l.department_id, l.funding_source, CAST(SUM(l.estimated_cost_cents) AS BIGINT) AS cents
		FROM plan_lines l JOIN plans p ON p.id = l.plan_id WHERE p.client_id = ? AND p.year = ?
		GROUP BY l.department_id, l.funding_source`, clientID, year); err != nil {
		return nil, fmt.Errorf("crm: planned budget of client %d: %w", clientID, err)
	}
	out := map[budgetKey]int64{}
	for _, r := range rows {
		out[keyOf(r.DepartmentID, r.Source)] += r.Cents
	}
	return out, nil
}

// requestSpend is what one request commits and consumes, and where it counts.
type requestSpend struct {
	requestID           int64
	year                int
	key                 budgetKey
	committed, consumed int64
}

// spendingByRequest attributes each request of the client that has an
// accepted proposal or a session done:
//   - linked to a line of one of the client's plans, it counts in the
//     plan's year, for the line's department and funding source;
//   - otherwise it counts for the whole company, in the year its period
//     starts (else the year its proposal was accepted, Paris time), with
//     the OPCO source when it names a funding body, else the company's.
//
// Consumed is consumedByRequest; committed is what the accepted proposal
// still commits beyond it, nothing once the request is cancelled or all
// its sessions are done.
func spendingByRequest(ctx context.Context, q db.Querier, clientID int64) ([]requestSpend, error) {
	var rows []struct {
		ID            int64      `db:"id"`
		Status        string     `db:"status"`
		Delivery      string     `db:"delivery"`
		FundingBody   string     `db:"funding_body"`
		PeriodFrom    *time.Time `db:"period_from"`
		PlanYear      *int       `db:"plan_year"`
		DepartmentID  *int64     `db:"department_id"`
		Source        *string    `db:"funding_source"`
		AcceptedCents *int64     `db:"accepted_cents"`
		DecidedAt     *time.Time `db:"decided_at"`
	}
	// The plan line must be of a plan of the same client: a link to another
	// client's line is ignored rather than counted in a foreign budget.
	if err := q.Select(ctx, &rows, `SELECT r.id, r.status, r.delivery, r.funding_body, r.period_from,
		l.year AS plan_year, l.department_id, l.funding_source, o.client_price_cents AS accepted_cents, o.decided_at
		FROM requests r
		LEFT JOIN proposals o ON o.request_id = r.id AND o.status = 'accepted'
		LEFT JOIN (SELECT pl.id, pl.department_id, pl.funding_source, p.year FROM plan_lines pl
			JOIN plans p ON p.id = pl.plan_id WHERE p.client_id = ?) l ON l.id = r.plan_line_id
		WHERE r.client_id = ? AND (o.id IS NOT NULL
			OR EXISTS (SELECT 1 FROM bookings b WHERE b.request_id = r.id AND b.status = 'done'))
		ORDER BY r.id, o.id`, clientID, clientID); err != nil {
		return nil, fmt.Errorf("crm: budget spending of client %d: %w", clientID, err)
	}
	consumed, err := consumedByRequest(ctx, q, clientID)
	if err != nil {
		return nil, err
	}
	var out []requestSpend
	closed := map[int64]bool{} // cancelled, or every session done: nothing more to commit
	for i, r := range rows {
		if i > 0 && rows[i-1].ID == r.ID { // a second accepted proposal: add its price
			if r.AcceptedCents != nil {
				out[len(out)-1].committed += *r.AcceptedCents
			}
			continue
		}
		closed[r.ID] = r.Status == RequestCancelled || r.Delivery == DeliveryDone
		sp := requestSpend{requestID: r.ID, consumed: consumed[r.ID]}
		if r.AcceptedCents != nil {
			sp.committed = *r.AcceptedCents
		}
		if r.PlanYear != nil {
			sp.year, sp.key = *r.PlanYear, keyOf(r.DepartmentID, *r.Source)
		} else {
			sp.key = budgetKey{source: SourceCompany}
			if strings.TrimSpace(r.FundingBody) != "" {
				sp.key.source = SourceOPCO
			}
			switch {
			case r.PeriodFrom != nil:
				sp.year = r.PeriodFrom.Year()
			case r.DecidedAt != nil:
				sp.year = r.DecidedAt.In(i18n.Paris).Year()
			}
		}
		out = append(out, sp)
	}
	for i := range out {
		if closed[out[i].requestID] {
			out[i].committed = 0
		} else {
			out[i].committed = max(0, out[i].committed-out[i].consumed)
		}
	}
	return out, nil
}

// consumedByRequest is what the client has consumed, per request: what
// was invoiced for each booking, excluding VAT, whoever paid it (the
// client or its OPCO) and less credit notes; a session done but not yet
// invoiced counts at its agreed price. It is the one place that says what
// "consumed" is. It reads the invoices table that invoicing writes (crm
// does not import invoicing: a read of issued, frozen rows is enough).
func consumedByRequest(ctx context.Context, q db.Querier, clientID int64) (map[int64]int64, error) {
	var rows []struct {
		RequestID int64 `db:"request_id"`
		Cents     int64 `db:"cents"`
	}
	if err := q.Select(ctx, &rows, `SELECT b.request_id, CAST(SUM(CASE WHEN inv.n > 0 THEN inv.cents
			WHEN b.status = 'done' THEN b.price_cents ELSE 0 END) AS BIGINT) AS cents
		FROM bookings b JOIN requests r ON r.id = b.request_id
		LEFT JOIN (SELECT booking_id, COUNT(*) AS n, SUM(net_cents + out_of_base_cents) AS cents FROM invoices
			WHERE client_id = ? AND status = 'issued' AND booking_id IS NOT NULL GROUP BY booking_id) inv ON inv.booking_id = b.id
		WHERE r.client_id = ? GROUP BY b.request_id`, clientID, clientID); err != nil {
		return nil, fmt.Errorf("crm: consumed budget of client %d: %w", clientID, err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.RequestID] = r.Cents
	}
	return out, nil
}
