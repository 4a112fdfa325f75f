package extranet

import (
	"strconv"

	"github.com/courtier-crm/courtier/crm"
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
func idParam(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}
