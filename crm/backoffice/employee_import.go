package backoffice

import (
	"errors"
	"strings"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/importer"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/gofiber/fiber/v2"
)

type employeeImportData struct {
	Client  crm.Client
	Report  *importer.Report // nil until a file was read
	Rejects string           // the rejected rows as CSV, for the download button
}

// employeeImport reads an uploaded employee file into the client's
// employees and shows the report: counts, and each rejected line with its reason.
func (h *handlers) employeeImport(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	cl, err := h.Clients.Get(ctx, id)
	if err != nil {
		return err
	}
	p := h.page(c, "employees.import.title", "clients")
	p.Title = p.T("employees.import.title_of", cl.LegalName)
	d := employeeImportData{Client: cl}
	fh, err := c.FormFile("file")
	if err != nil {
		c.Status(fiber.StatusUnprocessableEntity)
		p.Fields["file"] = p.T("error.required")
	} else {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		rep, err := importer.Employees(ctx, f, h.Employees, id)
		switch {
		case errors.Is(err, errs.ErrInvalid): // empty file, missing columns
			c.Status(fiber.StatusUnprocessableEntity)
			p.Error = p.T("employees.import.unreadable", err.Error())
		case err != nil:
			return err
		default:
			d.Report = &rep
		}
		if rep.Rejected > 0 {
			var b strings.Builder
			if err := rep.WriteRejects(&b); err != nil {
				return err
			}
			d.Rejects = b.String()
		}
	}
	p.Data = d
	return h.tpl.Render(c, "employees_import", p)
}

// employeeRejects sends back the rejected rows of an import, carried by the
// report page's form, as a CSV download to correct and import again.
func (h *handlers) employeeRejects(c *fiber.Ctx) error {
	if _, err := paramID(c, "id"); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="rejets.csv"`)
	return c.SendString(c.FormValue("rejects"))
}
