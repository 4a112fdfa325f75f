package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// wishMove makes one move of an individual request (a button of its
// page): the manager's decision, HR's, a withdrawal or sending it again.
// Refusing without a reason shows the page again with the message next
// to the reason of that button.
func (h *handlers) wishMove(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	to, reason := c.FormValue("to"), c.FormValue("reason")
	ctx := c.UserContext()
	switch to {
	case crm.WishManagerApproved, crm.WishManagerRefused:
		_, err = h.Wishes.ManagerDecide(ctx, v, id, to == crm.WishManagerApproved, reason)
	case crm.WishHRApproved, crm.WishHRRefused:
		_, err = h.Wishes.HRArbitrate(ctx, v, id, to == crm.WishHRApproved, reason)
	case crm.WishSent:
		_, err = h.Wishes.Send(ctx, v, id)
	case crm.WishWithdrawn:
		_, err = h.Wishes.Withdraw(ctx, v, id, reason)
	default:
		return fiber.ErrUnprocessableEntity
	}
	if err == nil {
		web.Flash(c, "ex.wish.moved."+to)
		return c.Redirect("/wishes/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
	}
	p := web.NewPage(c, "wish.title")
	if !fieldErrors(p, err, map[string]string{"reason": "reason_" + to}) {
		return err
	}
	p.Form["reason_"+to] = reason
	c.Status(fiber.StatusUnprocessableEntity)
	return h.renderWish(c, p, v, id)
}
