package extranet

import (
	"errors"
	"strconv"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// wishViewerKey is where wishViewer keeps the request's viewer.
type wishViewerKey struct{}

// wishViewer returns the signed-in user as the access policy sees them,
// loaded once per request; a deactivated or removed user is a 404.
func (h *handlers) wishViewer(c *fiber.Ctx) (crm.Viewer, error) {
	if v, ok := c.Locals(wishViewerKey{}).(crm.Viewer); ok {
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
	c.Locals(wishViewerKey{}, v)
	return v, nil
}

// wishPathID reads a numeric route parameter; anything else is a 404.
func wishPathID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// wishInvalid puts the messages of a validation error next to their
// fields (renamed by names, when given) and reports whether err was one.
func wishInvalid(p *web.Page, err error, names map[string]string) bool {
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
