package extranet

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// documentDownload sends the current version of a document shared with the
// signed-in user's company, always as an attachment. Any other document
// (another company's, not shared, unknown) is 404, the same answer for all.
func (h *handlers) documentDownload(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	client := web.SessionOf(c).User.ClientID
	rc, v, err := h.Documents.OpenShared(c.UserContext(), client, id, 0)
	if errors.Is(err, errs.ErrNotFound) {
		// Shared with this client but without its content: a lost blob, a
		// server fault to log rather than a missing page.
		if _, gerr := h.Documents.GetShared(c.UserContext(), client, id); gerr == nil {
			return fmt.Errorf("extranet: content of document %d lost (see courtier documents verify): %v", id, err)
		}
	}
	if err != nil {
		return err
	}
	return web.SendDownload(c, web.Download{Name: v.FileName, Type: v.MimeType, Size: v.Size, Body: rc}, h.Logger)
}
