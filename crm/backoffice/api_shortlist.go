package backoffice

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// apiShortlistList is the token owner's shortlist, latest first.
func (h *handlers) apiShortlistList(c *fiber.Ctx) error {
	items, err := h.Shortlists.List(c.UserContext(), web.SessionOf(c).User.ID)
	if err != nil {
		return err
	}
	return c.JSON(apiItems(items))
}

type apiShortlistInput struct {
	ProviderID int64  `json:"provider_id"`
	CourseID   *int64 `json:"course_id"`
	Query      string `json:"query"`
	Note       string `json:"note"`
}

// apiShortlistAdd puts a provider (and one of its courses) on the token
// owner's shortlist; adding it again returns the same item.
func (h *handlers) apiShortlistAdd(c *fiber.Ctx) error {
	var in apiShortlistInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.ProviderID <= 0 {
		return invalid("provider_id", "error.required")
	}
	it, err := h.Shortlists.Add(c.UserContext(), web.SessionOf(c).User.ID, in.ProviderID, in.CourseID, in.Query, in.Note)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(it)
}

// apiShortlistRemove takes an item off the token owner's shortlist; another
// user's item is 404.
func (h *handlers) apiShortlistRemove(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Shortlists.Remove(c.UserContext(), web.SessionOf(c).User.ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
