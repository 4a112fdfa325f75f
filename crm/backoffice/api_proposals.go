package backoffice

import (
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// apiProposal is the staff view of a proposal: with the providers' cost and
// the broker's fee, its validity as a full-date, whether it expired and
// whether staff decided it on the client's behalf.
type apiProposal struct {
	crm.Proposal
	ValidUntil apiDay `json:"valid_until"`
	Expired    bool   `json:"expired"`
	OnBehalf   bool   `json:"on_behalf"`
}

func newAPIProposal(p crm.Proposal) apiProposal {
	if p.Lines == nil {
		p.Lines = []crm.ProposalLine{}
	}
	return apiProposal{Proposal: p, ValidUntil: apiDay(p.ValidUntil), Expired: p.Expired(time.Now()), OnBehalf: p.OnBehalf()}
}

// apiProposalList lists the proposals of a request, oldest first.
func (h *handlers) apiProposalList(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Requests.Get(c.UserContext(), id); err != nil {
		return err
	}
	list, err := h.Proposals.List(c.UserContext(), id)
	if err != nil {
		return err
	}
	items := make([]apiProposal, 0, len(list))
	for _, p := range list {
		items = append(items, newAPIProposal(p))
	}
	return c.JSON(apiItems(items))
}

type apiProposalInput struct {
	Mode            string                  `json:"contracting_mode"`
	Lines           []crm.ProposalLineInput `json:"lines"`
	CommissionCents int64                   `json:"commission_cents"`
	ValidUntil      *apiDate                `json:"valid_until"`
	Message         string                  `json:"message"`
}

// apiProposalCreate builds a draft proposal from retained answers of the request.
func (h *handlers) apiProposalCreate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in apiProposalInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := h.Proposals.Create(c.UserContext(), crm.ProposalInput{RequestID: id, Mode: in.Mode, Lines: in.Lines,
		CommissionCents: in.CommissionCents, ValidUntil: dueTime(in.ValidUntil), Message: in.Message})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(newAPIProposal(p))
}

func (h *handlers) apiProposalGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.Proposals.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(newAPIProposal(p))
}

// apiProposalSend mails a draft to the addresses of the body, or to the
// request's contact when the body names none.
func (h *handlers) apiProposalSend(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		To []crm.MailAddress `json:"to"`
	}
	if err := decodeOptional(c, &in); err != nil {
		return err
	}
	p, err := h.Proposals.Send(c.UserContext(), id, in.To)
	if err != nil {
		return err
	}
	return c.JSON(newAPIProposal(p))
}

// apiProposalAccept records the client's acceptance, taken by staff: it is
// recorded as made on the client's behalf.
func (h *handlers) apiProposalAccept(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.Proposals.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	p, err := h.Proposals.Accept(c.UserContext(), cur.ClientID, id)
	if err != nil {
		return err
	}
	return c.JSON(newAPIProposal(p))
}

// apiProposalDecline records that the client declines, with its reason, on its behalf.
func (h *handlers) apiProposalDecline(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	cur, err := h.Proposals.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	p, err := h.Proposals.Decline(c.UserContext(), cur.ClientID, id, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(newAPIProposal(p))
}
