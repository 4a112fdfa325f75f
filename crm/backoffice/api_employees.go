package backoffice

import (
	"bytes"
	"errors"
	"net/url"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/importer"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/web"
	"github.com/gofiber/fiber/v2"
)

func (h *handlers) apiEmployeeList(c *fiber.Ctx) error {
	id, err := h.apiClientID(c)
	if err != nil {
		return err
	}
	f := crm.EmployeeFilter{Query: c.Query("q"), DepartmentID: int64(c.QueryInt("department_id")),
		ActiveOnly: c.QueryBool("active_only"), Page: apiPage(c)}
	rows, total, err := h.Employees.List(c.UserContext(), id, f)
	if err != nil {
		return err
	}
	return c.JSON(newAPIList(rows, total, f.Page))
}

// apiEmployeeInput is an employee in a request body; dates may be full-dates.
type apiEmployeeInput struct {
	FirstName      string   `json:"first_name"`
	LastName       string   `json:"last_name"`
	Email          string   `json:"email"`
	Phone          string   `json:"phone"`
	JobTitle       string   `json:"job_title"`
	BirthDate      *apiDate `json:"birth_date"`
	HireDate       *apiDate `json:"hire_date"`
	DepartmentName string   `json:"department_name"`
	Establishment  string   `json:"establishment"`
}

// outcomeNames are the API names of what an upsert did.
var outcomeNames = map[crm.Outcome]string{crm.Inserted: "inserted", crm.Updated: "updated", crm.Unchanged: "unchanged"}

// apiEmployeeUpsert creates or updates the client's employee with the
// external id of the path; 201 when it was created.
func (h *handlers) apiEmployeeUpsert(c *fiber.Ctx) error {
	id, err := h.apiClientID(c)
	if err != nil {
		return err
	}
	ext, err := url.PathUnescape(c.Params("external_id"))
	if err != nil {
		return fiber.ErrNotFound
	}
	var in apiEmployeeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, o, err := h.Employees.Upsert(c.UserContext(), id, crm.EmployeeInput{ExternalID: ext, FirstName: in.FirstName,
		LastName: in.LastName, Email: in.Email, Phone: in.Phone, JobTitle: in.JobTitle, BirthDate: in.BirthDate.ptr(),
		HireDate: in.HireDate.ptr(), DepartmentName: in.DepartmentName, Establishment: in.Establishment})
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if o == crm.Inserted {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(fiber.Map{"outcome": outcomeNames[o], "employee": e})
}

// apiImportReport is an import report in JSON.
type apiImportReport struct {
	Inserted  int              `json:"inserted"`
	Updated   int              `json:"updated"`
	Unchanged int              `json:"unchanged"`
	Rejected  int              `json:"rejected"`
	Errors    []apiRejectedRow `json:"errors"`
}

type apiRejectedRow struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
	Raw    string `json:"raw"`
}

// apiEmployeeImport imports the CSV file of the body into the client's
// employees and returns the report. A file that cannot be read at all
// (empty, required columns missing) is 422 with the reason in fields.file.
func (h *handlers) apiEmployeeImport(c *fiber.Ctx) error {
	id, err := h.apiClientID(c)
	if err != nil {
		return err
	}
	rep, err := importer.Employees(c.UserContext(), bytes.NewReader(c.Body()), h.Employees, id)
	if errors.Is(err, errs.ErrInvalid) {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(web.APIError{Error: web.APIErrorBody{Status: fiber.StatusUnprocessableEntity,
			Code: "invalid", Message: "The file cannot be imported.", Fields: map[string]string{"file": err.Error()}}})
	}
	if err != nil {
		return err
	}
	out := apiImportReport{Inserted: rep.Inserted, Updated: rep.Updated, Unchanged: rep.Unchanged, Rejected: rep.Rejected, Errors: []apiRejectedRow{}}
	for _, e := range rep.Errors {
		out.Errors = append(out.Errors, apiRejectedRow{Line: e.Line, Reason: e.Reason, Raw: e.Raw})
	}
	return c.JSON(out)
}
