package extranet

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// requestsPerPage is the size of a page of the request list.
const requestsPerPage = 30

type requestListData struct {
	Rows                 []crm.Request
	Total                int
	Query, Stage, Status string
	Stages, Statuses     []string
	CanCreate            bool
	Prev, Next           string // URLs of the neighbour pages, "" at either end
}

// requestList lists the company's needs the user sees, newest first,
// filtered by stage, status and words of the topic or objectives.
func (h *handlers) requestList(c *fiber.Ctx) error {
	p := web.NewPage(c, "ex.requests.title")
	p.Nav = "requests"
	v := viewerOf(c)
	page := max(1, c.QueryInt("page", 1))
	d := requestListData{Query: c.Query("q"), Stage: c.Query("stage"), Status: c.Query("status"), Stages: crm.Stages,
		Statuses: []string{crm.RequestOpen, crm.RequestCancelled}, CanCreate: canCreateRequest(v)}
	if !slices.Contains(d.Stages, d.Stage) {
		d.Stage = ""
	}
	if !slices.Contains(d.Statuses, d.Status) {
		d.Status = ""
	}
	var err error
	d.Rows, d.Total, err = h.Requests.ListFor(c.UserContext(), v, crm.RequestFilter{Query: d.Query, Stage: d.Stage, Status: d.Status,
		Page: crm.Page{Number: page, Size: requestsPerPage}})
	if err != nil {
		return err
	}
	link := func(n int) string {
		return "/requests?" + url.Values{"q": {d.Query}, "stage": {d.Stage}, "status": {d.Status}, "page": {strconv.Itoa(n)}}.Encode()
	}
	if page > 1 {
		d.Prev = link(page - 1)
	}
	if page*requestsPerPage < d.Total {
		d.Next = link(page + 1)
	}
	p.Data = d
	return h.tpl.Render(c, "requests", p)
}

// canCreateRequest reports whether v's role raises needs for the company.
func canCreateRequest(v crm.Viewer) bool {
	return v.Can(crm.ActCreate, crm.Resource{Kind: crm.RecordRequest, ClientID: v.ClientID, Author: v.UserID})
}
