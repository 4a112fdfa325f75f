package backoffice

import (
	"errors"
	"fmt"
	"slices"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// documentDownload sends a version of a document (?version=N, the current
// one by default) as a download, or shown in the browser with ?inline=1
// when it is a PDF or an image; any other type is always a download.
func (h *handlers) documentDownload(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	return h.sendDocument(c, id, c.Query("inline") == "1")
}

// sendDocument sends the version of the query; an unknown document or
// version is 404, and a damaged content a 500 (or a cut-short download), logged.
func (h *handlers) sendDocument(c *fiber.Ctx, id int64, inline bool) error {
	version, err := queryInt(c, "version")
	if err != nil {
		return err
	}
	rc, v, err := h.Documents.Open(c.UserContext(), id, version)
	if errors.Is(err, errs.ErrNotFound) {
		// A version that exists without its content is a lost blob: a
		// server fault to log, not a missing page.
		versions, verr := h.Documents.Versions(c.UserContext(), id)
		if verr == nil && slices.ContainsFunc(versions, func(x documents.Version) bool { return version == 0 || x.Version == version }) {
			return fmt.Errorf("backoffice: content of document %d lost (see courtier documents verify): %v", id, err)
		}
	}
	if err != nil {
		return err
	}
	return web.SendDownload(c, web.Download{Name: v.FileName, Type: v.MimeType, Size: v.Size, Body: rc, Inline: inline}, h.Logger)
}
