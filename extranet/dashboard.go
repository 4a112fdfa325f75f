package extranet

import (
	"errors"
	"slices"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// The dashboard's bounds: how far ahead sessions are shown, and how many
// needs and sessions at most.
const (
	upcomingDays       = 60
	dashboardRequests  = 20
	dashboardSessions  = 10
	dashboardProposals = 10
)

type dashboardData struct {
	Client    crm.Client
	Needs     []needRow
	Sessions  []sessionRow
	Proposals []proposalRow // sent, not expired: awaiting the company's decision
	// The user's tasks: proposals they may decide, wishes awaiting their decision.
	CanDecide      bool
	WishesToDecide int
	// The year's budget in total, for those who may see budgets (nil else).
	Budget *budgetRow
	Year   int
}

// dashboard shows the signed-in user's company as the user may see it:
// its open needs as a tracker, the coming sessions, the proposals awaiting
// a decision, what awaits the user and, for those who may see budgets, the
// year's budget gauge.
func (h *handlers) dashboard(c *fiber.Ctx) error {
	p := web.NewPage(c, "ex.dashboard.title")
	p.Nav = "dashboard"
	ctx, v := c.UserContext(), viewerOf(c)
	client, err := h.Clients.Get(ctx, v.ClientID)
	if err != nil {
		return err
	}
	d := dashboardData{Client: client, CanDecide: canDecide(v)}
	reqs, _, err := h.Requests.ListFor(ctx, v, crm.RequestFilter{Status: crm.RequestOpen, Page: crm.Page{Number: 1, Size: dashboardRequests}})
	if err != nil {
		return err
	}
	for _, r := range reqs {
		if crm.OpenStage(r.Stage) {
			d.Needs = append(d.Needs, newNeedRow(r))
		}
	}
	if d.Sessions, err = h.upcomingSessions(c, v); err != nil {
		return err
	}
	proposals, err := h.Proposals.AwaitingFor(ctx, v, time.Now(), dashboardProposals)
	if err != nil {
		return err
	}
	topics := map[int64]string{}
	for _, pr := range proposals {
		row, err := h.proposalRow(c, v, pr, topics)
		if err != nil {
			return err
		}
		d.Proposals = append(d.Proposals, row)
	}
	if d.WishesToDecide, err = h.wishesToDecide(c, v); err != nil {
		return err
	}
	d.Year = time.Now().In(i18n.Paris).Year()
	if h.Budgets == nil { // an extranet without the budgets module
		p.Data = d
		return h.tpl.Render(c, "dashboard", p)
	}
	switch sum, err := h.Budgets.SummaryFor(ctx, v, d.Year); {
	case errors.Is(err, errs.ErrNotFound): // the role sees no budget
	case err != nil:
		return err
	case len(sum.Lines) > 0:
		row := newBudgetRow(crm.BudgetLine{BudgetFigures: sum.Total})
		d.Budget = &row
	}
	p.Data = d
	return h.tpl.Render(c, "dashboard", p)
}

// needRow is a request with the steps of its tracker.
type needRow struct {
	crm.Request
	Steps []step
}

// step is one stage of the tracker: passed, current or to come.
type step struct {
	Stage         string
	Done, Current bool
}

// trackerStages are the stages an open need goes through, in order.
var trackerStages = []string{crm.StageQualifying, crm.StageSourcing, crm.StageProposal, crm.StageFunding,
	crm.StageToBook, crm.StageBooked, crm.StageDone}

func newNeedRow(r crm.Request) needRow {
	at := slices.Index(trackerStages, r.Stage)
	row := needRow{Request: r}
	for i, s := range trackerStages {
		row.Steps = append(row.Steps, step{Stage: s, Done: i < at, Current: i == at})
	}
	return row
}

// sessionRow is a coming session with its first day and trainees.
type sessionRow struct {
	crm.ClientBooking
	First    time.Time
	Trainees int
}

// upcomingSessions returns the sessions v sees with a day in the next
// upcomingDays days, soonest first.
func (h *handlers) upcomingSessions(c *fiber.Ctx, v crm.Viewer) ([]sessionRow, error) {
	ctx := c.UserContext()
	today := time.Now().In(i18n.Paris)
	from := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, upcomingDays)
	list, _, err := h.Bookings.ListFor(ctx, v, crm.BookingFilter{From: &from, To: &to, Page: crm.Page{Number: 1, Size: dashboardSessions}})
	if err != nil {
		return nil, err
	}
	var out []sessionRow
	for _, b := range list {
		if b.Status == "cancelled" {
			continue
		}
		full, err := h.Bookings.GetFor(ctx, v, b.ID) // with its slots and trainees
		if err != nil {
			return nil, err
		}
		row := sessionRow{ClientBooking: full, Trainees: len(full.TraineeIDs)}
		for _, s := range full.Slots {
			if !s.Day.Before(from) && (row.First.IsZero() || s.Day.Before(row.First)) {
				row.First = s.Day
			}
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b sessionRow) int { return a.First.Compare(b.First) })
	return out, nil
}

// wishesToDecide counts the individual requests awaiting v's decision, as
// their manager or as HR.
func (h *handlers) wishesToDecide(c *fiber.Ctx, v crm.Viewer) (int, error) {
	list, _, err := h.Wishes.ListFor(c.UserContext(), v, crm.WishFilter{Statuses: []string{crm.WishSubmitted,
		crm.WishManagerApproved, crm.WishManagerRefused}, Page: crm.Page{Number: 1, Size: 500}})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, w := range list {
		if slices.ContainsFunc(w.Next(v), func(m crm.WishMove) bool { return m.By != crm.ActWithdraw }) {
			n++
		}
	}
	return n, nil
}

// canDecide reports whether v's role decides the company's proposals.
func canDecide(v crm.Viewer) bool {
	return v.Can(crm.ActDecide, crm.Resource{Kind: crm.RecordProposal, ClientID: v.ClientID})
}

// expired is the domain's rule (Proposal.Expired) for the client's view.
func expired(p crm.ClientProposal) bool {
	return crm.Proposal{Status: p.Status, ValidUntil: p.ValidUntil}.Expired(time.Now())
}
