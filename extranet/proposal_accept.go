package extranet

import (
	"errors"
	"strconv"

	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// proposalAccept accepts a proposal for the company; the domain refuses an
// expired one or one no longer awaiting a decision (shown on the page), a
// role that may not decide (403) and a proposal out of scope (404).
func (h *handlers) proposalAccept(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := h.Proposals.AcceptFor(c.UserContext(), viewerOf(c), id); err != nil {
		return h.proposalFailed(c, id, err)
	}
	web.Flash(c, "ex.proposals.accepted")
	return c.Redirect("/proposals/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

// proposalFailed shows the proposal again with the domain's refusal: the
// reason's error next to its field, any other on top of the page.
func (h *handlers) proposalFailed(c *fiber.Ctx, id int64, err error) error {
	var inv *errs.Invalid
	if !errors.As(err, &inv) {
		return err
	}
	p := web.NewPage(c, "ex.proposals.one")
	p.Form["reason"] = c.FormValue("reason")
	for f, key := range inv.Fields {
		if f == "reason" {
			p.Fields[f] = i18n.T(p.Lang, key)
		} else {
			p.Error = i18n.T(p.Lang, key)
		}
	}
	c.Status(fiber.StatusUnprocessableEntity)
	return h.renderProposal(c, p, id)
}
