package extranet

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type wishShowData struct {
	Wish    crm.Wish
	History []crm.WishChange
	Moves   []crm.WishMove // the buttons: what the user may do now
}

// wishShow shows an individual request, its history and the moves the
// user may make on it; a request out of the user's scope is a 404.
func (h *handlers) wishShow(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := web.NewPage(c, "wish.title")
	return h.renderWish(c, p, v, id)
}

// renderWish renders the page of wish id as v sees it.
func (h *handlers) renderWish(c *fiber.Ctx, p *web.Page, v crm.Viewer, id int64) error {
	w, err := h.Wishes.GetFor(c.UserContext(), v, id)
	if err != nil {
		return err
	}
	hist, err := h.Wishes.HistoryFor(c.UserContext(), v, id)
	if err != nil {
		return err
	}
	p.Nav = "wishes"
	p.Title = w.Topic
	p.Data = wishShowData{Wish: w, History: hist, Moves: w.Next(v)}
	return h.tpl.Render(c, "wish", p)
}
