package backoffice

import "github.com/gofiber/fiber/v2"

type historyData struct {
	Timeline timelineView
}

// history searches the whole timeline: words (accent-insensitive) and kinds.
func (h *handlers) history(c *fiber.Ctx) error {
	p := h.page(c, "history.title", "history")
	v, err := h.loadTimeline(c, "/history", timelineFilter(c, nil, false, historyTimelinePage), h.newNames())
	if err != nil {
		return err
	}
	p.Data = historyData{Timeline: v}
	return h.tpl.Render(c, "history", p)
}
