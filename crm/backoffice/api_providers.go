package backoffice

import (
	"bytes"
	"context"
	"errors"
	"io"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/importer"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

// apiProvider is a provider in JSON, with when its Qualiopi status was
// last confirmed (by the public list or by staff).
type apiProvider struct {
	crm.Provider
	QualiopiConfirmed *time.Time `json:"qualiopi_confirmed"`
}

func newAPIProvider(p crm.Provider) apiProvider {
	return apiProvider{Provider: p, QualiopiConfirmed: p.QualiopiConfirmed()}
}

func apiProviders(list []crm.Provider) []apiProvider {
	out := make([]apiProvider, 0, len(list))
	for _, p := range list {
		out = append(out, newAPIProvider(p))
	}
	return out
}

// apiProviderInput is a provider in a request body; dates may be full-dates.
type apiProviderInput struct {
	crm.ProviderInput
	QualiopiConfirmedOn *apiDate `json:"qualiopi_confirmed_on"`
	LastDeclarationOn   *apiDate `json:"last_declaration_on"`
	FiscalStart         *apiDate `json:"fiscal_start"`
	FiscalEnd           *apiDate `json:"fiscal_end"`
}

// decodeProvider reads a provider body over cur (fields left out keep their value).
func decodeProvider(c *fiber.Ctx, cur crm.ProviderInput) (crm.ProviderInput, error) {
	in := apiProviderInput{ProviderInput: cur, QualiopiConfirmedOn: dateOf(cur.QualiopiConfirmedOn),
		LastDeclarationOn: dateOf(cur.LastDeclarationOn), FiscalStart: dateOf(cur.FiscalStart), FiscalEnd: dateOf(cur.FiscalEnd)}
	if err := decodeJSON(c, &in); err != nil {
		return cur, err
	}
	out := in.ProviderInput
	out.QualiopiConfirmedOn, out.LastDeclarationOn = in.QualiopiConfirmedOn.ptr(), in.LastDeclarationOn.ptr()
	out.FiscalStart, out.FiscalEnd = in.FiscalStart.ptr(), in.FiscalEnd.ptr()
	return out, nil
}

// dateOf is an optional date as an apiDate.
func dateOf(t *time.Time) *apiDate {
	if t == nil {
		return nil
	}
	return &apiDate{Time: *t}
}

func (h *handlers) apiProviderList(c *fiber.Ctx) error {
	page := apiPage(c)
	rows, total, err := h.Providers.List(c.UserContext(), crm.ProviderFilter{Query: c.Query("q"), Status: c.Query("status"),
		Region: c.Query("region"), Department: c.Query("department"), Page: page})
	if err != nil {
		return err
	}
	return c.JSON(newAPIList(apiProviders(rows), total, page))
}

func (h *handlers) apiProviderCreate(c *fiber.Ctx) error {
	in, err := decodeProvider(c, crm.ProviderInput{})
	if err != nil {
		return err
	}
	p, err := h.Providers.Create(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(newAPIProvider(p))
}

func (h *handlers) apiProviderGet(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.Providers.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(newAPIProvider(p))
}

// apiProviderUpdate saves a staff edit; fields left out keep their value,
// and every field changed becomes a staff value that imports keep.
func (h *handlers) apiProviderUpdate(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cur, err := h.Providers.Get(c.UserContext(), id)
	if err != nil {
		return err
	}
	in, err := decodeProvider(c, cur.ProviderInput)
	if err != nil {
		return err
	}
	p, err := h.Providers.Update(c.UserContext(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(newAPIProvider(p))
}

// apiProviderImport imports the DGEFP public list of the body. Query
// "date" (YYYY-MM-DD) is the list's date, today by default: it confirms
// the Qualiopi status of every provider listed.
func (h *handlers) apiProviderImport(c *fiber.Ctx) error {
	at := time.Now()
	if s := c.Query("date"); s != "" {
		d, err := time.ParseInLocation(time.DateOnly, s, time.UTC)
		if err != nil {
			return invalid("date", "error.date_invalid")
		}
		at = d.Add(12 * time.Hour)
	}
	return h.apiImport(c, func(ctx context.Context, r io.Reader) (importer.Report, error) {
		return importer.Providers(ctx, r, h.Providers, at)
	})
}

// apiCourseImport imports the catalogue of courses of the body.
func (h *handlers) apiCourseImport(c *fiber.Ctx) error {
	return h.apiImport(c, func(ctx context.Context, r io.Reader) (importer.Report, error) {
		return importer.Courses(ctx, r, h.Courses)
	})
}

// apiImport runs an import of the CSV body and answers its report, with
// the conflicts (staff edits kept) when there are some. A file that cannot
// be read at all is 422 with the reason in fields.file.
func (h *handlers) apiImport(c *fiber.Ctx, run func(context.Context, io.Reader) (importer.Report, error)) error {
	rep, err := run(c.UserContext(), bytes.NewReader(c.Body()))
	if errors.Is(err, errs.ErrInvalid) {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(web.APIError{Error: web.APIErrorBody{Status: fiber.StatusUnprocessableEntity,
			Code: "invalid", Message: "The file cannot be imported.", Fields: map[string]string{"file": err.Error()}}})
	}
	if err != nil {
		return err
	}
	out := struct {
		apiImportReport
		Conflicts []apiRejectedRow `json:"conflicts"`
	}{apiImportReport{Inserted: rep.Inserted, Updated: rep.Updated, Unchanged: rep.Unchanged, Rejected: rep.Rejected,
		Errors: []apiRejectedRow{}}, []apiRejectedRow{}}
	for _, e := range rep.Errors {
		out.Errors = append(out.Errors, apiRejectedRow{Line: e.Line, Reason: e.Reason, Raw: e.Raw})
	}
	for _, e := range rep.Conflicts {
		out.Conflicts = append(out.Conflicts, apiRejectedRow{Line: e.Line, Reason: e.Reason, Raw: e.Raw})
	}
	return c.JSON(out)
}
