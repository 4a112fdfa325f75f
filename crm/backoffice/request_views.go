package backoffice

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// itoa writes an id.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// requestName names a request in links: "#12 Excel avancé".
func requestName(id int64, topic string) string {
	return "#" + strconv.FormatInt(id, 10) + " " + topic
}

// requestAnchor is the place of a consultation, proposal or booking on its
// request's page: /requests/12#consultation-5.
func requestAnchor(requestID int64, kind string, id int64) string {
	return "/requests/" + strconv.FormatInt(requestID, 10) + "#" + kind + "-" + strconv.FormatInt(id, 10)
}

// refused shows the messages of a refused action: all of them at the top of
// the page (some concern no input: a track that does not allow it), and each
// next to its field, named form+"_"+field (field alone when form is ""). It
// reports whether err was a validation error.
func refused(p *web.Page, err error, form string) bool {
	var inv *errs.Invalid
	if !errors.As(err, &inv) {
		return false
	}
	var msgs []string
	for f, k := range inv.Fields {
		msg := p.T(k)
		if form != "" {
			f = form + "_" + f
		}
		p.Fields[f] = msg
		if !slices.Contains(msgs, msg) {
			msgs = append(msgs, msg)
		}
	}
	slices.Sort(msgs)
	p.Error = p.T("requests.refused", strings.Join(msgs, " "))
	return true
}

// renamed moves the messages of domain fields to the form inputs that hold
// them (budget_cents is typed in euros in "budget").
func renamed(p *web.Page, names map[string]string) {
	for from, to := range names {
		if msg, ok := p.Fields[from]; ok {
			p.Fields[to] = msg
			delete(p.Fields, from)
		}
	}
}

// sinceText says how long ago t was, roughly: "3 j", "5 h", "< 1 h".
func sinceText(lang string, d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return i18n.T(lang, "duration.days", int(d/(24*time.Hour)))
	case d >= time.Hour:
		return i18n.T(lang, "duration.hours", int(d/time.Hour))
	}
	return i18n.T(lang, "duration.less_hour")
}

// hoursText writes hours with the language's decimal mark: "7 h", "3,5 h".
func hoursText(lang string, h float64) string {
	return decimalText(lang, float64(int(h*100+0.5))/100, -1) + " h"
}

// moveView is a manual move of a track offered on the request page. Key
// names its form, so that a refused move shows its messages beside it.
type moveView struct {
	crm.Transition
	Key string
}

// trackView is one track of a request: its state, its last change and the
// moves staff may make by hand from there.
type trackView struct {
	Track  string
	State  string
	Change *crm.TrackChange
	Moves  []moveView
	Amount *int64 // the funding agreed
}

// requestTracks lays the tracks of a request side by side. A cancelled
// request only offers to reopen it.
func requestTracks(r crm.Request, history []crm.TrackChange) []trackView {
	var out []trackView
	for _, track := range []string{crm.TrackRequest, crm.TrackSourcing, crm.TrackDecision, crm.TrackFunding, crm.TrackDelivery} {
		v := trackView{Track: track, State: r.Get(track)}
		for i := len(history) - 1; i >= 0; i-- {
			if history[i].Track == track {
				v.Change = &history[i]
				break
			}
		}
		if track == crm.TrackFunding && v.State == crm.FundingAgreed {
			v.Amount = r.FundingAmountCents
		}
		for _, t := range crm.Transitions {
			if t.Track == track && t.From == v.State && t.Manual && (r.Status == crm.RequestOpen || track == crm.TrackRequest) {
				v.Moves = append(v.Moves, moveView{Transition: t, Key: "move_" + track + "_" + t.To})
			}
		}
		out = append(out, v)
	}
	return out
}

// requestPath is the page of request id.
func requestPath(id int64) string { return recordURL(crm.Ref{Type: crm.RecordRequest, ID: id}) }

// redirectToRequest goes back to a request's page at a section, with a notice.
func redirectToRequest(c *fiber.Ctx, id int64, anchor, flash string) error {
	if flash != "" {
		web.Flash(c, flash)
	}
	return c.Redirect(requestPath(id)+"#"+anchor, fiber.StatusSeeOther)
}
