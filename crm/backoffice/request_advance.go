package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// requestAdvance makes a manual move of a track (cancel or reopen the
// request, quotes are in, the funding steps). A refused move shows the
// request again with the reason, beside the form it came from.
func (h *handlers) requestAdvance(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "requests.title", "requests")
	track, to := c.FormValue("track"), c.FormValue("to")
	key := "move_" + track + "_" + to
	p.Form[key+"_reason"], p.Form[key+"_amount"] = c.FormValue("reason"), c.FormValue("amount")
	m := crm.TrackMove{Track: track, To: to, Reason: multiline(p.Form[key+"_reason"])}
	amount, ok := i18n.ParseMoney(p.Form[key+"_amount"])
	if !ok {
		p.Fields[key+"_amount_cents"] = p.T("error.euros")
		p.Error = p.T("requests.refused", p.T("error.euros"))
		return h.renderRequestFailed(c, p, id)
	}
	m.AmountCents = amount
	if _, err := h.Requests.Advance(c.UserContext(), id, m); err != nil {
		if !refused(p, err, key) {
			return err
		}
		return h.renderRequestFailed(c, p, id)
	}
	return redirectToRequest(c, id, "tracks", "requests.moved")
}

// renderRequestFailed shows a request again after one of its actions was refused.
func (h *handlers) renderRequestFailed(c *fiber.Ctx, p *web.Page, id int64) error {
	c.Status(fiber.StatusUnprocessableEntity)
	p.Path = requestPath(id)
	return h.renderRequest(c, p, id)
}
