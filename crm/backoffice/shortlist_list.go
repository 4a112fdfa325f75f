package backoffice

import (
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// consultChoices bounds the open requests the shortlist offers to consult for.
const consultChoices = 200

type shortlistData struct {
	Items []crm.ShortlistItem
	// The consultation form: for Request when one is given, else for one
	// of Requests; Chosen are the items ticked.
	Request  *crm.Request
	Requests []crm.Request
	Chosen   map[int64]bool
}

// shortlistList shows the current user's shortlist, latest first, and the
// form that consults the ticked providers about a request ("request" in the
// query picks it).
func (h *handlers) shortlistList(c *fiber.Ctx) error {
	p := h.page(c, "shortlist.title", "search")
	p.Form["request_id"] = c.Query("request")
	return h.renderShortlist(c, p, nil)
}

func (h *handlers) renderShortlist(c *fiber.Ctx, p *web.Page, chosen map[int64]bool) error {
	ctx := c.UserContext()
	items, err := h.Shortlists.List(ctx, p.User().ID)
	if err != nil {
		return err
	}
	d := shortlistData{Items: items, Chosen: chosen}
	if d.Chosen == nil {
		// Every item is ticked at first: the shortlist is what staff mean to consult.
		d.Chosen = map[int64]bool{}
		for _, it := range items {
			d.Chosen[it.ID] = true
		}
	}
	if id := optionalID(p.Form["request_id"]); id != nil {
		r, err := h.Requests.Get(ctx, *id)
		if err != nil {
			return err
		}
		d.Request = &r
		p.Title = p.T("shortlist.consult_for", requestName(r.ID, r.Topic))
	} else if d.Requests, _, err = h.Requests.List(ctx, crm.RequestFilter{Status: crm.RequestOpen,
		Page: crm.Page{Size: consultChoices}}); err != nil {
		return err
	}
	setDefault(p.Form, "due_at", time.Now().In(i18n.Paris).AddDate(0, 0, crm.DefaultAnswerDays).Format(htmlDate))
	p.Data = d
	return h.tpl.Render(c, "shortlist", p)
}

// dueInput reads the date answers are expected by: the end of that day in
// Paris, in UTC; empty is the zero time (the service's default delay).
func dueInput(s string) (time.Time, bool) {
	day, ok := dateInput(s)
	if !ok || day == nil {
		return time.Time{}, ok
	}
	return time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 0, 0, i18n.Paris).UTC(), true
}

// idList reads repeated id values, skipping malformed ones.
func idList(values []string) []int64 {
	var out []int64
	for _, v := range values {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}
