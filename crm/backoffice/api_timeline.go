package backoffice

import (
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/gofiber/fiber/v2"
)

// apiTimelineFilter reads record_type, record_id, with_contacts, kind
// (repeatable), q, limit and offset.
func apiTimelineFilter(c *fiber.Ctx, kinds []string) crm.TimelineFilter {
	if kinds == nil {
		kinds = queryValues(c, "kind")
	}
	return crm.TimelineFilter{Record: apiRef(c), WithContacts: c.QueryBool("with_contacts"), Kinds: kinds,
		Query: c.Query("q"), Limit: c.QueryInt("limit", 50), Offset: max(0, c.QueryInt("offset"))}
}

// apiEntries answers one page of timeline entries with whether more follow.
func (h *handlers) apiEntries(c *fiber.Ctx, f crm.TimelineFilter) error {
	entries, more, err := h.Timeline.List(c.UserContext(), f)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []crm.Entry{}
	}
	for i := range entries {
		if entries[i].Links == nil {
			entries[i].Links = []crm.Ref{}
		}
	}
	return c.JSON(fiber.Map{"items": entries, "more": more, "offset": f.Offset})
}

func (h *handlers) apiTimelineList(c *fiber.Ctx) error {
	return h.apiEntries(c, apiTimelineFilter(c, nil))
}

type apiEntryInput struct {
	Kind       string    `json:"kind"`
	Title      string    `json:"title"`
	Body       string    `json:"body"`
	OccurredAt time.Time `json:"occurred_at"`
	Links      []crm.Ref `json:"links"`
}

// apiTimelineCreate adds a note or a meeting linked to records.
func (h *handlers) apiTimelineCreate(c *fiber.Ctx) error {
	var in apiEntryInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, err := h.Timeline.Add(c.UserContext(), crm.NewEntry{Kind: in.Kind, Title: in.Title, Body: in.Body,
		OccurredAt: in.OccurredAt, Links: in.Links})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

// apiTimelineLink links an existing entry to more records.
func (h *handlers) apiTimelineLink(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Links []crm.Ref `json:"links"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if len(in.Links) == 0 {
		return invalid("links", "error.required")
	}
	if err := h.Timeline.Link(c.UserContext(), id, in.Links...); err != nil {
		return err
	}
	e, err := h.Timeline.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(e)
}
