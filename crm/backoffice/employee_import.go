package backoffice

import (
	"context"
	"io"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/importer"
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
	if d.Report, d.Rejects, err = importUpload(c, p, "file", func(ctx context.Context, r io.Reader) (importer.Report, error) {
		return importer.Employees(ctx, r, h.Employees, id)
	}); err != nil {
		return err
	}
	p.Data = d
	return h.tpl.Render(c, "employees_import", p)
}

// employeeRejects sends back the rejected rows of an employee import.
func (h *handlers) employeeRejects(c *fiber.Ctx) error {
	if _, err := paramID(c, "id"); err != nil {
		return err
	}
	return h.importRejects(c)
}
