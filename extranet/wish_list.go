package extranet

import (
	"slices"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

type wishListData struct {
	Rows      []crm.Wish
	Total     int
	Status    string
	Statuses  []string
	CanSubmit bool
}

// wishList lists the individual requests the user may see, newest first,
// filtered by status.
func (h *handlers) wishList(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	p := web.NewPage(c, "wish.title")
	p.Nav = "wishes"
	d := wishListData{Statuses: crm.WishStatuses, CanSubmit: v.Role != crm.RoleEmployee || v.EmployeeID != nil}
	f := crm.WishFilter{Page: crm.Page{Size: 200}}
	if st := c.Query("status"); slices.Contains(crm.WishStatuses, st) {
		d.Status, f.Statuses = st, []string{st}
	}
	if d.Rows, d.Total, err = h.Wishes.ListFor(c.UserContext(), v, f); err != nil {
		return err
	}
	p.Data = d
	return h.tpl.Render(c, "wishes", p)
}
