package extranet

import (
	"bytes"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/gofiber/fiber/v2"
)

// The sessions a feed holds: from three months back to a year ahead.
const (
	feedMonthsBack  = 3
	feedMonthsAhead = 12
)

// planningFeed serves a private calendar feed (/ics/<token>.ics) without a
// session: the token is the key. An unknown or revoked token, or the feed
// of a deactivated user, is a 404.
func (h *handlers) planningFeed(c *fiber.Ctx) error {
	token, ok := strings.CutSuffix(c.Params("file"), ".ics")
	if !ok || token == "" {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	userID, err := h.CalendarFeeds.UserOf(ctx, token)
	if err != nil {
		return err
	}
	v, err := h.Viewers.Load(ctx, userID)
	if err != nil {
		return err
	}
	now := time.Now()
	today := now.In(i18n.Paris)
	from := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -feedMonthsBack, 0)
	sessions, err := h.Bookings.CalendarFor(ctx, v, from, from.AddDate(0, feedMonthsBack+feedMonthsAhead, 0))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := crm.WriteICS(&buf, i18n.T(i18n.FR, "app.extranet"), sessions, now); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	return c.Send(buf.Bytes())
}
