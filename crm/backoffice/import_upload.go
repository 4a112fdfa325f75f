package backoffice

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/courtier-crm/courtier/crm/importer"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// importUpload runs an import on the uploaded file and returns its report
// (nil when no file came, or it could not be read: the page then says why,
// next to the field or at its top) and the rejected rows as CSV.
func importUpload(c *fiber.Ctx, p *web.Page, field string, run func(context.Context, io.Reader) (importer.Report, error)) (*importer.Report, string, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		c.Status(fiber.StatusUnprocessableEntity)
		p.Fields[field] = p.T("error.required")
		return nil, "", nil
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	rep, err := run(c.UserContext(), f)
	if errors.Is(err, errs.ErrInvalid) { // empty file, missing columns
		c.Status(fiber.StatusUnprocessableEntity)
		p.Error = p.T("employees.import.unreadable", err.Error())
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	var rejects strings.Builder
	if rep.Rejected > 0 {
		if err := rep.WriteRejects(&rejects); err != nil {
			return nil, "", err
		}
	}
	return &rep, rejects.String(), nil
}

// importRejects sends back the rejected rows of an import, carried by the
// report page's form, as a CSV download to correct and import again.
func (h *handlers) importRejects(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="rejets.csv"`)
	return c.SendString(c.FormValue("rejects"))
}
