package extranet

import (
	"errors"
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// viewerKey is where withViewer keeps the signed-in user's crm.Viewer.
const viewerKey = "extranet.viewer"

// withViewer loads the signed-in user as a crm.Viewer (role, company,
// departments, employee record) for the handlers after it; it follows
// web.RequireLogin. A user deactivated since signing in is not found.
func (h *handlers) withViewer(c *fiber.Ctx) error {
	v, err := h.Viewers.Load(c.UserContext(), web.SessionOf(c).User.ID)
	if err != nil {
		return err
	}
	c.Locals(viewerKey, v)
	return c.Next()
}

// viewerOf returns the viewer withViewer loaded; without it, the zero
// Viewer, which the policy denies everything.
func viewerOf(c *fiber.Ctx) crm.Viewer {
	v, _ := c.Locals(viewerKey).(crm.Viewer)
	return v
}

// idParam reads the :id of the path; anything but a positive number is 404.
func idParam(c *fiber.Ctx) (int64, error) { return pathID(c, "id") }

// viewer returns the viewer withViewer loaded, or loads it for a route
// without the middleware; a deactivated or removed user is a 404.
func (h *handlers) viewer(c *fiber.Ctx) (crm.Viewer, error) {
	if v, ok := c.Locals(viewerKey).(crm.Viewer); ok {
		return v, nil
	}
	s := web.SessionOf(c)
	if s == nil {
		return crm.Viewer{}, fiber.ErrUnauthorized
	}
	v, err := h.Viewers.Load(c.UserContext(), s.User.ID)
	if err != nil {
		return crm.Viewer{}, err
	}
	c.Locals(viewerKey, v)
	return v, nil
}

// pathID reads a numeric route parameter; anything else is a 404.
func pathID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// fieldErrors puts the messages of a validation error next to their
// fields (renamed by names, when given) and reports whether err was one.
func fieldErrors(p *web.Page, err error, names map[string]string) bool {
	var inv *errs.Invalid
	if !errors.As(err, &inv) {
		return false
	}
	for f, key := range inv.Fields {
		if n, ok := names[f]; ok {
			f = n
		}
		p.Fields[f] = p.T(key)
	}
	p.Error = p.T("ex.form.errors")
	return true
}
