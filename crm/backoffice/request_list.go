package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/gofiber/fiber/v2"
)

// requestsPerPage is the size of a page of the request list.
const requestsPerPage = 50

type requestListData struct {
	Rows   []crm.Request
	Filter crm.RequestFilter
	Client *crm.Client // the client filtered on
	Staff  []auth.User
	Pager  pager
	// The values each filter offers.
	Stages, Statuses, Sourcing, Decisions, Funding, Priorities []string
}

// requestFilter reads the request list's filters from the query: client,
// owner, stage, status, sourcing, decision, funding, priority, q and page.
func requestFilter(c *fiber.Ctx) crm.RequestFilter {
	return crm.RequestFilter{ClientID: int64(c.QueryInt("client")), OwnerID: int64(c.QueryInt("owner")), Query: c.Query("q"),
		Stage: c.Query("stage"), Status: c.Query("status"), Sourcing: c.Query("sourcing"), Decision: c.Query("decision"),
		Funding: c.Query("funding"), Priority: c.Query("priority"), Page: crm.Page{Number: pageParam(c.Query("page")), Size: requestsPerPage}}
}

// requestList shows the requests, newest first, with their stage.
func (h *handlers) requestList(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p := h.page(c, "requests.title", "requests")
	f := requestFilter(c)
	rows, total, err := h.Requests.List(ctx, f)
	if err != nil {
		return err
	}
	d := requestListData{Rows: rows, Filter: f, Stages: crm.Stages, Statuses: []string{crm.RequestOpen, crm.RequestCancelled},
		Sourcing:   []string{crm.SourcingQualifying, crm.SourcingConsulting, crm.SourcingQuotesIn, crm.SourcingProposalSent},
		Decisions:  []string{crm.DecisionPending, crm.DecisionAccepted, crm.DecisionDeclined},
		Funding:    []string{crm.FundingNotNeeded, crm.FundingRequested, crm.FundingAgreed, crm.FundingRefused},
		Priorities: crm.RequestPriorities}
	if d.Staff, err = h.Auth.ListUsers(ctx, 0); err != nil {
		return err
	}
	if f.ClientID != 0 {
		cl, err := h.Clients.Get(ctx, f.ClientID)
		if err != nil {
			return err
		}
		d.Client = &cl
	}
	q := currentQuery(c)
	q.Del("page")
	d.Pager = newPager(p.Lang, "/requests", q, "page", "", f.Page.Number, requestsPerPage, total)
	p.Data = d
	return h.tpl.Render(c, "requests", p)
}
