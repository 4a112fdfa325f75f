package backoffice

import (
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/gofiber/fiber/v2"
)

// unansweredPerPage is the size of a page of the unanswered consultations.
const unansweredPerPage = 50

type unansweredData struct {
	Rows    []consultationView
	All     bool // everybody's requests, not only the user's
	Overdue bool
	Pager   pager
}

// consultationUnanswered lists the consultations waiting for an answer,
// earliest due first, to remind the providers: the user's requests, or
// everybody's (all=1); overdue=1 keeps the late ones.
func (h *handlers) consultationUnanswered(c *fiber.Ctx) error {
	p := h.page(c, "unanswered.title", "requests")
	d := unansweredData{All: c.Query("all") == "1", Overdue: c.Query("overdue") == "1"}
	f := crm.UnansweredFilter{OverdueOnly: d.Overdue, Page: crm.Page{Number: pageParam(c.Query("page")), Size: unansweredPerPage}}
	if !d.All {
		f.OwnerID = p.User().ID
	}
	rows, total, err := h.Consultations.Unanswered(c.UserContext(), f)
	if err != nil {
		return err
	}
	now := time.Now()
	for _, k := range rows {
		d.Rows = append(d.Rows, newConsultationView(p.Lang, k, now))
	}
	q := currentQuery(c)
	q.Del("page")
	d.Pager = newPager(p.Lang, "/consultations", q, "page", "", f.Page.Number, unansweredPerPage, total)
	setDefault(p.Form, "remind_due_at", now.In(i18n.Paris).AddDate(0, 0, crm.DefaultAnswerDays).Format(htmlDate))
	p.Data = d
	return h.tpl.Render(c, "consultations_unanswered", p)
}
