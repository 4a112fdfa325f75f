package backoffice

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// documentDelete deletes an uploaded document with its versions; a
// generated one is immutable and refuses.
func (h *handlers) documentDelete(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if c.FormValue("confirm") == "" {
		err = invalid("confirm", "error.required")
	} else {
		err = h.Documents.Delete(c.UserContext(), id)
	}
	if err != nil {
		return h.renderDocumentFailed(c, h.page(c, "documents.document", "documents"), id, err, "delete_")
	}
	web.Flash(c, "documents.deleted")
	return c.Redirect("/documents", fiber.StatusSeeOther)
}
