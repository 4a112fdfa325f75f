package backoffice

import (
	"github.com/gofiber/fiber/v2"
)

// proposalDecide records the client's decision on a sent proposal, taken
// by staff on the client's behalf (by phone, by mail): accepted, or
// declined with the client's reason.
func (h *handlers) proposalDecide(accept bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := paramID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		o, err := h.Proposals.Get(ctx, id)
		if err != nil {
			return err
		}
		key, flash := "accept_"+itoa(id), "proposals.accepted"
		if accept {
			_, err = h.Proposals.Accept(ctx, o.ClientID, id)
		} else {
			key, flash = "decline_"+itoa(id), "proposals.declined"
			_, err = h.Proposals.Decline(ctx, o.ClientID, id, multiline(c.FormValue("reason")))
		}
		if err != nil {
			p := h.page(c, "requests.title", "requests")
			p.Form[key+"_reason"] = c.FormValue("reason")
			if !refused(p, err, key) {
				return err
			}
			return h.renderRequestFailed(c, p, o.RequestID)
		}
		return redirectToRequest(c, o.RequestID, "proposal-"+itoa(id), flash)
	}
}
