package backoffice

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// documentTags replaces a document's tags, typed separated by commas.
func (h *handlers) documentTags(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	tags := c.FormValue("tags")
	if _, err := h.Documents.SetTags(c.UserContext(), id, splitTags(tags)); err != nil {
		p := h.page(c, "documents.document", "documents")
		p.Form["tags"] = tags
		return h.renderDocumentFailed(c, p, id, err, "")
	}
	web.Flash(c, "documents.tags_saved")
	return c.Redirect(documentPath(id), fiber.StatusSeeOther)
}
