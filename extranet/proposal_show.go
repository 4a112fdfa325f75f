package extranet

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type proposalData struct {
	proposalRow
	Others    int  // the request's other proposals the user sees, to compare
	CanDecide bool // the user's role decides proposals and this one awaits it
}

// proposalShow shows a proposal as the client sees it (prices to pay, no
// cost nor fee), with the forms to accept or decline it.
func (h *handlers) proposalShow(c *fiber.Ctx) error {
	p := web.NewPage(c, "ex.proposals.one")
	id, err := idParam(c)
	if err != nil {
		return err
	}
	return h.renderProposal(c, p, id)
}

// renderProposal renders proposal id on p, which may carry a form's errors.
func (h *handlers) renderProposal(c *fiber.Ctx, p *web.Page, id int64) error {
	p.Nav = "proposals"
	ctx, v := c.UserContext(), viewerOf(c)
	pr, err := h.Proposals.GetFor(ctx, v, id)
	if err != nil {
		return err
	}
	row, err := h.proposalRow(c, v, pr, map[int64]string{})
	if err != nil {
		return err
	}
	siblings, err := h.Proposals.ListFor(ctx, v, pr.RequestID)
	if err != nil {
		return err
	}
	p.Title = p.T("ex.proposals.heading", row.Topic)
	p.Data = proposalData{proposalRow: row, Others: len(siblings) - 1,
		CanDecide: canDecide(v) && pr.Status == crm.ProposalSent}
	return h.tpl.Render(c, "proposal", p)
}
