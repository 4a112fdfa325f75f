package backoffice

import (
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// shortlistAdd puts a provider (and one of its courses) on the user's
// shortlist with the search text it was found by, and goes back to the
// search. Adding an item twice keeps one.
func (h *handlers) shortlistAdd(c *fiber.Ctx) error {
	providerID := optionalID(c.FormValue("provider_id"))
	if providerID == nil {
		return errs.NewInvalid("provider_id", "error.required")
	}
	user := web.SessionOf(c).User.ID
	if _, err := h.Shortlists.Add(c.UserContext(), user, *providerID, optionalID(c.FormValue("course_id")),
		c.FormValue("query"), c.FormValue("note")); err != nil {
		return err
	}
	web.Flash(c, "shortlist.added")
	return c.Redirect(web.Back(c, "/shortlist"), fiber.StatusSeeOther)
}
