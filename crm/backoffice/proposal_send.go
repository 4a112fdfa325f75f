package backoffice

import (
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// proposalSend sends a draft proposal to the client, by e-mail to the
// address typed, else to the request's contact.
func (h *handlers) proposalSend(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	o, err := h.Proposals.Get(ctx, id)
	if err != nil {
		return err
	}
	var to []crm.MailAddress
	if addr := strings.TrimSpace(c.FormValue("to")); addr != "" {
		to = append(to, crm.MailAddress{Email: addr})
	}
	if _, err := h.Proposals.Send(ctx, id, to); err != nil {
		p := h.page(c, "requests.title", "requests")
		key := "send_" + itoa(id)
		p.Form[key+"_to"] = c.FormValue("to")
		if !refused(p, err, key) {
			return err
		}
		return h.renderRequestFailed(c, p, o.RequestID)
	}
	return redirectToRequest(c, o.RequestID, "proposal-"+itoa(id), "proposals.sent")
}
