package extranet

import (
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// planningEvent is a half-day of a session on a day of the grid.
type planningEvent struct {
	Start, End string
	Title      string
	Status     string
}

type planningDay struct {
	Date    time.Time
	InMonth bool
	Events  []planningEvent
}

type planningData struct {
	Month      time.Time
	Prev, Next string // YYYY-MM
	List       bool
	Weeks      [][]planningDay
	Sessions   []crm.CalendarSession
	Feed       *crm.CalendarFeed
	FeedURL    string // shown once, right after the feed is created
}

// planningMonth reads ?month=YYYY-MM (this month in Paris by default); a
// malformed or out-of-range month is a 404.
func planningMonth(c *fiber.Ctx) (time.Time, error) {
	s := c.Query("month")
	if s == "" {
		now := time.Now().In(i18n.Paris)
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC), nil
	}
	m, err := time.Parse("2006-01", s)
	if err != nil || m.Year() < 2000 || m.Year() > 2100 {
		return time.Time{}, fiber.ErrNotFound
	}
	return m, nil
}

// planningShow shows the sessions of a month the user may see, as a grid
// (Monday first) or a list (?view=list) with their trainees, and the
// private calendar feed.
func (h *handlers) planningShow(c *fiber.Ctx) error {
	v, err := h.viewer(c)
	if err != nil {
		return err
	}
	month, err := planningMonth(c)
	if err != nil {
		return err
	}
	return h.renderPlanning(c, web.NewPage(c, "ex.planning.title"), v, month, c.Query("view") == "list", "")
}

func (h *handlers) renderPlanning(c *fiber.Ctx, p *web.Page, v crm.Viewer, month time.Time, list bool, feedURL string) error {
	ctx := c.UserContext()
	last := month.AddDate(0, 1, -1)
	sessions, err := h.Bookings.CalendarFor(ctx, v, month, last)
	if err != nil {
		return err
	}
	feed, err := h.CalendarFeeds.ActiveFor(ctx, v)
	if err != nil {
		return err
	}
	d := planningData{Month: month, Prev: month.AddDate(0, -1, 0).Format("2006-01"), Next: month.AddDate(0, 1, 0).Format("2006-01"),
		List: list, Sessions: sessions, Feed: feed, FeedURL: feedURL}
	events := map[string][]planningEvent{}
	for _, s := range sessions {
		for _, sl := range s.Slots {
			k := sl.Day.Format(time.DateOnly)
			events[k] = append(events[k], planningEvent{Start: sl.Start, End: sl.End, Title: s.Title, Status: s.Status})
		}
	}
	start := month.AddDate(0, 0, -((int(month.Weekday()) + 6) % 7)) // the Monday of the first week
	for day := start; !day.After(last) || day.Weekday() != time.Monday; day = day.AddDate(0, 0, 1) {
		if day.Weekday() == time.Monday {
			d.Weeks = append(d.Weeks, nil)
		}
		w := len(d.Weeks) - 1
		d.Weeks[w] = append(d.Weeks[w], planningDay{Date: day, InMonth: day.Month() == month.Month(), Events: events[day.Format(time.DateOnly)]})
	}
	p.Nav = "planning"
	p.Data = d
	return h.tpl.Render(c, "planning", p)
}
