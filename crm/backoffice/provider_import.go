package backoffice

import (
	"context"
	"io"
	"time"

	"github.com/courtier-crm/courtier/crm/importer"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// The two files the provider import page reads.
const (
	importProviders = "providers" // the DGEFP public list of training providers
	importCourses   = "courses"   // a catalogue of courses
)

type providerImportData struct {
	Kind    string           // the file the report is of; "" before any upload
	Report  *importer.Report // nil until a file was read
	Rejects string           // the rejected rows as CSV, for the download button
}

// providerImportForm shows the two upload forms.
func (h *handlers) providerImportForm(c *fiber.Ctx) error {
	p := h.page(c, "providers.import.title", "providers")
	p.Form["at"] = parisToday().Format(htmlDate)
	p.Data = providerImportData{}
	return h.tpl.Render(c, "providers_import", p)
}

// providerImport reads an uploaded DGEFP list into the providers; the
// list's date confirms the Qualiopi status of every provider in it.
func (h *handlers) providerImport(c *fiber.Ctx) error {
	p := h.page(c, "providers.import.title", "providers")
	p.Form["at"] = c.FormValue("at")
	at, ok := dateInput(p.Form["at"])
	if !ok {
		p.Fields["at"] = p.T("error.date_invalid")
		c.Status(fiber.StatusUnprocessableEntity)
		p.Data = providerImportData{}
		return h.tpl.Render(c, "providers_import", p)
	}
	when := time.Now()
	if at != nil {
		// The list of a given day counts from noon, Paris time, that day.
		when = time.Date(at.Year(), at.Month(), at.Day(), 12, 0, 0, 0, i18n.Paris)
	}
	return h.runImport(c, p, importProviders, func(ctx context.Context, r io.Reader) (importer.Report, error) {
		return importer.Providers(ctx, r, h.Providers, when)
	})
}

// courseImport reads an uploaded catalogue of courses.
func (h *handlers) courseImport(c *fiber.Ctx) error {
	p := h.page(c, "providers.import.title", "providers")
	p.Form["at"] = parisToday().Format(htmlDate)
	return h.runImport(c, p, importCourses, func(ctx context.Context, r io.Reader) (importer.Report, error) {
		return importer.Courses(ctx, r, h.Courses)
	})
}

// runImport reads the uploaded file with run and shows its report: counts,
// each rejected line with its reason, and the staff edits the import kept.
func (h *handlers) runImport(c *fiber.Ctx, p *web.Page, kind string, run func(context.Context, io.Reader) (importer.Report, error)) error {
	d := providerImportData{Kind: kind}
	var err error
	if d.Report, d.Rejects, err = importUpload(c, p, kind+"_file", run); err != nil {
		return err
	}
	p.Data = d
	return h.tpl.Render(c, "providers_import", p)
}
