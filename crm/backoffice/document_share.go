package backoffice

import (
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// documentShare shows a document on the extranet of a client it is linked to.
func (h *handlers) documentShare(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "documents.document", "documents")
	p.Form["client_id"] = c.FormValue("client_id")
	var client int64
	if v := optionalID(p.Form["client_id"]); v != nil {
		client = *v
	}
	if _, err := h.Documents.Share(c.UserContext(), id, client); err != nil {
		return h.renderDocumentFailed(c, p, id, err, "share_")
	}
	web.Flash(c, "documents.shared_done")
	return c.Redirect(documentPath(id)+"#sharing", fiber.StatusSeeOther)
}

// documentUnshare takes a document off its client's extranet.
func (h *handlers) documentUnshare(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.Documents.Unshare(c.UserContext(), id); err != nil {
		return err
	}
	web.Flash(c, "documents.unshared_done")
	return c.Redirect(documentPath(id)+"#sharing", fiber.StatusSeeOther)
}
