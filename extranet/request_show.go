package extranet

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type requestData struct {
	Request   crm.Request
	Steps     []step
	History   []crm.TrackChange
	Proposals []crm.ClientProposal
	Sessions  []crm.ClientBooking
}

// requestShow shows a need the user sees: its tracks, the moves of its
// tracks (without staff's notes), its proposals and its sessions.
func (h *handlers) requestShow(c *fiber.Ctx) error {
	p := web.NewPage(c, "ex.requests.one")
	p.Nav = "requests"
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx, v := c.UserContext(), viewerOf(c)
	r, err := h.Requests.GetFor(ctx, v, id)
	if err != nil {
		return err
	}
	d := requestData{Request: r, Steps: newNeedRow(r).Steps}
	if d.History, err = h.Requests.HistoryFor(ctx, v, id); err != nil {
		return err
	}
	if d.Proposals, err = h.Proposals.ListFor(ctx, v, id); err != nil {
		return err
	}
	if d.Sessions, _, err = h.Bookings.ListFor(ctx, v, crm.BookingFilter{RequestID: id}); err != nil {
		return err
	}
	p.Title = r.Topic
	p.Data = d
	return h.tpl.Render(c, "request", p)
}
