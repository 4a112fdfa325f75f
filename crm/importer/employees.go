package importer

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// EmployeeRow is one employee (a potential trainee) of a client company.
type EmployeeRow struct {
	ExternalID, LastName, FirstName, Email, Phone, JobTitle, Department, Establishment string
	BirthDate, HireDate                                                                time.Time // zero if empty
}

// employeeColumns are the accepted headers of an employee file, canonical
// name first, then aliases in order of preference.
var employeeColumns = map[string][]string{
	"external_id": {"matricule", "id salarié", "n° salarié", "n° de salarié", "numéro salarié", "numéro de salarié",
		"n° matricule", "numéro de matricule", "identifiant", "identifiant salarié", "external id", "employee id", "employee number"},
	"last_name":  {"nom", "nom de famille", "nom d'usage", "last name", "surname", "family name"},
	"first_name": {"prénom", "first name", "given name"},
	"email":      {"e-mail", "courriel", "adresse e-mail", "adresse mail", "mail", "email professionnel", "e-mail professionnel", "email address"},
	"phone": {"téléphone", "tél", "téléphone professionnel", "téléphone portable", "tél portable", "portable",
		"tél mobile", "mobile", "phone number", "mobile phone"},
	"job_title":     {"poste", "fonction", "intitulé du poste", "intitulé de poste", "emploi", "job title", "position"},
	"department":    {"service", "département", "direction", "dept"},
	"establishment": {"établissement", "site", "etablissement"},
	"siret":         {"siret", "siret établissement", "n° siret"},
	"birth_date":    {"date de naissance", "né le", "née le", "né(e) le", "naissance", "birth date", "date of birth", "dob"},
	"hire_date": {"date d'entrée", "date d'embauche", "embauche", "entrée", "date d'entrée dans l'entreprise",
		"hire date", "start date"},
}

// ReadEmployees imports a client's employee file, calling upsert for each
// valid row. The report counts outcomes and rejected rows; the error is
// non-nil when the file cannot be read at all (empty, missing columns), when
// ctx ends, or when upsert fails with an error that is neither
// errs.ErrInvalid nor errs.ErrConflict (those reject the row).
//
// File format, for the user documentation:
//
//   - CSV as Excel saves it: separator ';', ',' or tab (detected), UTF-8 with
//     or without BOM, or Windows-1252; one header line, then one employee
//     per line. Blank lines are ignored; a trailing separator is accepted.
//   - Columns are found by their header, in any order, ignoring case,
//     accents and punctuation; a bracketed note is ignored ("Date de
//     naissance (jj/mm/aaaa)"). Unknown columns are ignored.
//   - Required: "Matricule" (also "ID salarié", "N° salarié",
//     "Identifiant", "External ID", "Employee ID") and "Nom" ("Last name").
//     Each row must have both values.
//   - Optional: "Prénom" ("First name"); "E-mail" ("Courriel", "Mail");
//     "Téléphone" ("Tél", "Portable", "Mobile", "Phone"); "Poste"
//     ("Fonction", "Job title"); "Service" ("Département", "Direction");
//     "Établissement" ("Site") or "SIRET" (the SIRET wins when a row has
//     both); "Date de naissance" ("Birth date"); "Date d'entrée" ("Date
//     d'embauche", "Hire date").
//   - Dates are dd/mm/yyyy (or d/m/yyyy) or yyyy-mm-dd.
//   - A row whose required values are missing or whose dates are invalid is
//     rejected with its line number; the others are imported. Re-importing
//     the same file updates employees by their Matricule.
func ReadEmployees(ctx context.Context, r io.Reader, upsert func(ctx context.Context, line int, e EmployeeRow) (Outcome, error)) (Report, error) {
	rd, err := NewReader(r, Options{Header: true})
	if err != nil {
		return Report{}, fmt.Errorf("importer: employees: %w", err)
	}
	cols, err := rd.Columns(employeeColumns, "external_id", "last_name")
	if err != nil {
		return Report{}, fmt.Errorf("importer: employees: %w", err)
	}
	return run(ctx, "employees", rd, func(rec Record) (EmployeeRow, string) { return parseEmployee(cols, rec) }, upsert)
}

// parseEmployee builds the row and lists every problem found in it.
func parseEmployee(c Columns, rec Record) (EmployeeRow, string) {
	e := EmployeeRow{
		ExternalID:    c.Get(rec, "external_id"),
		LastName:      c.Get(rec, "last_name"),
		FirstName:     c.Get(rec, "first_name"),
		Email:         c.Get(rec, "email"),
		Phone:         c.Get(rec, "phone"),
		JobTitle:      c.Get(rec, "job_title"),
		Department:    c.Get(rec, "department"),
		Establishment: c.Get(rec, "siret"),
	}
	if e.Establishment == "" {
		e.Establishment = c.Get(rec, "establishment")
	}
	var problems []string
	if e.ExternalID == "" {
		problems = append(problems, "missing external id (matricule)")
	}
	if e.LastName == "" {
		problems = append(problems, "missing last name (nom)")
	}
	var err error
	if e.BirthDate, err = ParseDate(c.Get(rec, "birth_date")); err != nil {
		problems = append(problems, fmt.Sprintf("birth date %q is not dd/mm/yyyy or yyyy-mm-dd", c.Get(rec, "birth_date")))
	}
	if e.HireDate, err = ParseDate(c.Get(rec, "hire_date")); err != nil {
		problems = append(problems, fmt.Sprintf("hire date %q is not dd/mm/yyyy or yyyy-mm-dd", c.Get(rec, "hire_date")))
	}
	return e, strings.Join(problems, "; ")
}
