package backoffice

import (
	"github.com/gofiber/fiber/v2"
)

// proposalQuotation makes the proposal's quotation PDF (a new version of
// the one made before) and files it in the document store.
func (h *handlers) proposalQuotation(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	o, err := h.Proposals.Get(ctx, id)
	if err != nil {
		return err
	}
	if _, err := h.Paperwork.GenerateProposal(ctx, id); err != nil {
		p := h.page(c, "requests.title", "requests")
		if !refused(p, err, "quotation_"+itoa(id)) {
			return err
		}
		return h.renderRequestFailed(c, p, o.RequestID)
	}
	return redirectToRequest(c, o.RequestID, "proposal-"+itoa(id), "paperwork.generated")
}
