package backoffice

import (
	"slices"
	"strconv"
	"strings"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// documentLink links a document to one more record (its type and number).
func (h *handlers) documentLink(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p := h.page(c, "documents.document", "documents")
	p.Form["link_type"], p.Form["link_id"] = c.FormValue("link_type"), c.FormValue("link_id")
	rid, perr := strconv.ParseInt(strings.TrimSpace(p.Form["link_id"]), 10, 64)
	if perr != nil || rid <= 0 || !slices.Contains(documentRecordTypes, p.Form["link_type"]) {
		err = invalid("links", "error.invalid")
	} else {
		_, err = h.Documents.Link(c.UserContext(), id, documents.Link{Type: p.Form["link_type"], ID: rid})
	}
	if err != nil {
		return h.renderDocumentFailed(c, p, id, err, "link_")
	}
	web.Flash(c, "documents.linked")
	return c.Redirect(documentPath(id)+"#links", fiber.StatusSeeOther)
}

// documentUnlink removes a link ("type:id"); the owner client's link goes
// only once the document is no longer shared.
func (h *handlers) documentUnlink(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	l, ok := parseDocLink(c.FormValue("link"))
	if !ok {
		return fiber.ErrBadRequest
	}
	if _, err := h.Documents.Unlink(c.UserContext(), id, l); err != nil {
		return h.renderDocumentFailed(c, h.page(c, "documents.document", "documents"), id, err, "link_")
	}
	web.Flash(c, "documents.unlinked")
	return c.Redirect(documentPath(id)+"#links", fiber.StatusSeeOther)
}
