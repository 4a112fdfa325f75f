package backoffice

import (
	"io"

	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// documentAddVersion uploads a new version of a document, which becomes
// its current one; an immutable (generated) document refuses it.
func (h *handlers) documentAddVersion(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var name string
	var content io.Reader
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		name, content = fh.Filename, f
	}
	if _, err := h.Documents.AddVersion(c.UserContext(), id, name, content); err != nil {
		return h.renderDocumentFailed(c, h.page(c, "documents.document", "documents"), id, err, "version_")
	}
	web.Flash(c, "documents.version_added")
	return c.Redirect(documentPath(id)+"#versions", fiber.StatusSeeOther)
}
