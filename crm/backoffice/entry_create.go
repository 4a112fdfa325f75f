package backoffice

import (
	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// noteFields are the inputs of the note and meeting form of record pages.
var noteFields = []string{"note_kind", "note_title", "note_body", "note_occurred_at"}

// entryCreate adds a note or a meeting to the timeline of the records of
// the page it was written on (the "link" values, the page's record first).
func (h *handlers) entryCreate(c *fiber.Ctx) error {
	links := parseRefs(formValues(c, "link"))
	if len(links) == 0 {
		return fiber.ErrBadRequest
	}
	p := h.page(c, "timeline.title", "")
	for _, f := range noteFields {
		p.Form[f] = c.FormValue(f)
	}
	at, ok := parisDateTime(p.Form["note_occurred_at"])
	if !ok {
		p.Fields["note_occurred_at"] = p.T("error.datetime_invalid")
		return h.renderRecord(c, p, links[0])
	}
	_, err := h.Timeline.Add(c.UserContext(), crm.NewEntry{Kind: p.Form["note_kind"], Title: p.Form["note_title"],
		Body: p.Form["note_body"], OccurredAt: at, Links: links})
	if err != nil {
		if !fieldErrors(p, err, "note_") {
			return err
		}
		return h.renderRecord(c, p, links[0])
	}
	web.Flash(c, "timeline.added")
	return c.Redirect(recordURL(links[0])+"#timeline", fiber.StatusSeeOther)
}
