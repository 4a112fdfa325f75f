package backoffice

import (
	"errors"
	"net/url"
	"strconv"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// page starts a staff page: its title, the active navigation entry and the
// navigation counters (the user's overdue tasks).
func (h *handlers) page(c *fiber.Ctx, titleKey, nav string) *web.Page {
	p := web.NewPage(c, titleKey)
	p.Nav = nav
	// Tasks is nil only in apps built without the CRM services (some tests).
	if p.Session != nil && h.Tasks != nil {
		n, err := h.Tasks.CountOverdue(c.UserContext(), p.Session.User.ID, parisToday())
		if err != nil {
			// A counter must not break the page it decorates.
			h.Logger.Warn("overdue task counter", "err", err)
		}
		p.Badges["tasks"] = n
	}
	return p
}

// parisToday is the current date in Paris, the day tasks fall due.
func parisToday() time.Time {
	return time.Now().In(i18n.Paris)
}

// fieldErrors shows the messages of a validation error next to their
// fields (named prefix+field in the form) and reports whether err was one.
func fieldErrors(p *web.Page, err error, prefix string) bool {
	var inv *errs.Invalid
	if !errors.As(err, &inv) {
		return false
	}
	for f, k := range inv.Fields {
		p.Fields[prefix+f] = p.T(k)
	}
	return true
}

// paramID reads a numeric path parameter; anything else is a missing page.
func paramID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// currentQuery returns the request's query parameters, repeated ones included.
func currentQuery(c *fiber.Ctx) url.Values {
	v, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	return v
}

// formValues returns every value of a repeated form field (URL-encoded or multipart).
func formValues(c *fiber.Ctx, name string) []string {
	if mf, err := c.MultipartForm(); err == nil {
		return mf.Value[name]
	}
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// queryValues returns every value of a repeated query parameter.
func queryValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Context().QueryArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// recordURL is the page of a record, or "" for types without one.
func recordURL(r crm.Ref) string {
	switch r.Type {
	case crm.RecordClient:
		return "/clients/" + strconv.FormatInt(r.ID, 10)
	case crm.RecordContact:
		return "/contacts/" + strconv.FormatInt(r.ID, 10)
	case crm.RecordProvider:
		return "/providers/" + strconv.FormatInt(r.ID, 10)
	case crm.RecordRequest:
		return "/requests/" + strconv.FormatInt(r.ID, 10)
	// Consultations and proposals are shown on their request's page, where
	// these addresses redirect; a booking has its own page (attendance).
	case crm.RecordConsultation:
		return "/consultations/" + strconv.FormatInt(r.ID, 10)
	case crm.RecordProposal:
		return "/proposals/" + strconv.FormatInt(r.ID, 10)
	case crm.RecordBooking:
		return "/bookings/" + strconv.FormatInt(r.ID, 10)
	}
	return ""
}
