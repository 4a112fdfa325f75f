package crm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Employee is an employee of a client company: a trainee or future trainee.
// ExternalID is the client's own id (matricule), stable across imports.
type Employee struct {
	ID       int64 `db:"id" json:"id"`
	ClientID int64 `db:"client_id" json:"client_id"`
	EmployeeInput
	Department    string    `db:"department" json:"department"`
	Establishment string    `db:"establishment" json:"establishment"`
	CreatedAt     time.Time `db:"created_at" json:"created_at"`
	UpdatedAt     time.Time `db:"updated_at" json:"updated_at"`
}

// Name is the employee's display name.
func (e Employee) Name() string { return strings.TrimSpace(e.FirstName + " " + e.LastName) }

// EmployeeInput is what staff edit or an import provides. DepartmentName
// finds or creates the client's department; Establishment names one of the
// client's establishments by SIRET or by name.
type EmployeeInput struct {
	ExternalID     string     `db:"external_id" json:"external_id"`
	FirstName      string     `db:"first_name" json:"first_name"`
	LastName       string     `db:"last_name" json:"last_name"`
	Email          string     `db:"email" json:"email"`
	Phone          string     `db:"phone" json:"phone"`
	JobTitle       string     `db:"job_title" json:"job_title"`
	BirthDate      *time.Time `db:"birth_date" json:"birth_date,omitempty"`
	HireDate       *time.Time `db:"hire_date" json:"hire_date,omitempty"`
	Active         bool       `db:"active" json:"active"`
	DepartmentName string     `db:"-" json:"department_name,omitempty"`
	Establishment  string     `db:"-" json:"establishment,omitempty"`
}

func (in *EmployeeInput) normalize() error {
	inv := &errs.Invalid{}
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	if in.ExternalID == "" {
		inv.Add("external_id", "error.required")
	}
	in.FirstName, in.LastName, in.JobTitle = strings.TrimSpace(in.FirstName), strings.TrimSpace(in.LastName), strings.TrimSpace(in.JobTitle)
	if in.LastName == "" {
		inv.Add("last_name", "error.required")
	}
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	if in.Email != "" && !validEmail(in.Email) {
		inv.Add("email", "error.email_invalid")
	}
	if p, err := normalizePhone(in.Phone); err != nil {
		inv.Add("phone", "error.phone_invalid")
	} else {
		in.Phone = p
	}
	for _, d := range []**time.Time{&in.BirthDate, &in.HireDate} {
		if *d != nil {
			if (*d).IsZero() {
				*d = nil
			} else {
				t := time.Date((*d).Year(), (*d).Month(), (*d).Day(), 0, 0, 0, 0, time.UTC)
				*d = &t
			}
		}
	}
	in.Establishment = strings.TrimSpace(in.Establishment)
	return inv.OrNil()
}

// Employees is the employee service.
type Employees struct {
	db *db.DB
}

// NewEmployees returns the employee service.
func NewEmployees(d *db.DB) *Employees { return &Employees{db: d} }

const employeeColumns = `e.id, e.client_id, e.external_id, e.first_name, e.last_name, e.email, e.phone, e.job_title,
	e.birth_date, e.hire_date, e.active, e.created_at, e.updated_at,
	COALESCE(d.name, '') AS department, COALESCE(NULLIF(s.name, ''), s.city, '') AS establishment`

const employeeFrom = ` FROM employees e LEFT JOIN client_departments d ON d.id = e.department_id
	LEFT JOIN client_establishments s ON s.id = e.establishment_id`

// Outcome says what an upsert did.
type Outcome int

// Upsert outcomes.
const (
	Inserted Outcome = iota
	Updated
	Unchanged
)

// Upsert creates the client's employee with in.ExternalID, or updates it:
// a re-import of the same file changes nothing and reports Unchanged.
func (s *Employees) Upsert(ctx context.Context, clientID int64, in EmployeeInput) (Employee, Outcome, error) {
	in.Active = true
	if err := in.normalize(); err != nil {
		return Employee{}, 0, err
	}
	var id int64
	var outcome Outcome
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		id, outcome, err = upsertEmployee(ctx, tx, clientID, in)
		return err
	})
	if err != nil {
		return Employee{}, 0, err
	}
	e, err := s.Get(ctx, clientID, id)
	return e, outcome, err
}

func upsertEmployee(ctx context.Context, tx *db.Tx, clientID int64, in EmployeeInput) (int64, Outcome, error) {
	var deptID, estID *int64
	if in.DepartmentName != "" {
		d, err := departmentNamed(ctx, tx, clientID, in.DepartmentName)
		if err != nil {
			return 0, 0, err
		}
		deptID = &d.ID
	}
	if in.Establishment != "" {
		var id int64
		if err := tx.Get(ctx, &id, `SELECT id FROM client_establishments WHERE client_id = ? AND (siret = ? OR LOWER(name) = ?)
			ORDER BY id LIMIT 1`, clientID, digitsOnly(in.Establishment), strings.ToLower(in.Establishment)); err != nil {
			return 0, 0, errs.NewInvalid("establishment", "error.establishment_unknown")
		}
		estID = &id
	}
	var cur struct {
		ID int64 `db:"id"`
		EmployeeInput
		DepartmentID    *int64 `db:"department_id"`
		EstablishmentID *int64 `db:"establishment_id"`
	}
	err := tx.Get(ctx, &cur, `SELECT id, external_id, first_name, last_name, email, phone, job_title, birth_date, hire_date,
		active, department_id, establishment_id FROM employees WHERE client_id = ? AND external_id = ?`, clientID, in.ExternalID)
	now := time.Now().UTC()
	search := textsearch.Index(in.FirstName, in.LastName, in.ExternalID)
	switch {
	case errors.Is(err, errs.ErrNotFound):
		id, err := db.InsertID(ctx, tx, `INSERT INTO employees (client_id, external_id, first_name, last_name, email, phone,
			job_title, department_id, establishment_id, birth_date, hire_date, active, search_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, clientID, in.ExternalID, in.FirstName,
			in.LastName, in.Email, in.Phone, in.JobTitle, deptID, estID, in.BirthDate, in.HireDate, in.Active, search, now, now)
		if err != nil {
			return 0, 0, fmt.Errorf("crm: create employee %q: %w", in.ExternalID, err)
		}
		return id, Inserted, audit.Record(ctx, tx, audit.Event{Action: "employee.create", Entity: RecordEmployee, EntityID: id})
	case err != nil:
		return 0, 0, fmt.Errorf("crm: load employee %q: %w", in.ExternalID, err)
	}
	if sameEmployee(cur.EmployeeInput, in) && samePtr(cur.DepartmentID, deptID) && samePtr(cur.EstablishmentID, estID) {
		return cur.ID, Unchanged, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE employees SET first_name = ?, last_name = ?, email = ?, phone = ?, job_title = ?,
		department_id = ?, establishment_id = ?, birth_date = ?, hire_date = ?, active = ?, search_name = ?, updated_at = ?
		WHERE id = ?`, in.FirstName, in.LastName, in.Email, in.Phone, in.JobTitle, deptID, estID, in.BirthDate,
		in.HireDate, in.Active, search, now, cur.ID); err != nil {
		return 0, 0, fmt.Errorf("crm: update employee %q: %w", in.ExternalID, err)
	}
	return cur.ID, Updated, audit.Record(ctx, tx, audit.Event{Action: "employee.update", Entity: RecordEmployee, EntityID: cur.ID})
}

func sameEmployee(a, b EmployeeInput) bool {
	return a.FirstName == b.FirstName && a.LastName == b.LastName && a.Email == b.Email && a.Phone == b.Phone &&
		a.JobTitle == b.JobTitle && a.Active == b.Active && sameDate(a.BirthDate, b.BirthDate) && sameDate(a.HireDate, b.HireDate)
}

func sameDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Format(time.DateOnly) == b.Format(time.DateOnly)
}

func samePtr(a, b *int64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Get loads an employee of the client; another client's employee is ErrNotFound.
func (s *Employees) Get(ctx context.Context, clientID, id int64) (Employee, error) {
	var e Employee
	if err := s.db.Get(ctx, &e, "SELECT "+employeeColumns+employeeFrom+" WHERE e.client_id = ? AND e.id = ?", clientID, id); err != nil {
		return Employee{}, fmt.Errorf("crm: load employee %d: %w", id, err)
	}
	return e, nil
}

// SetActive marks an employee as present or gone (kept for the history).
func (s *Employees) SetActive(ctx context.Context, clientID, id int64, active bool) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE employees SET active = ?, updated_at = ? WHERE client_id = ? AND id = ?",
			active, time.Now().UTC(), clientID, id)
		if err != nil {
			return fmt.Errorf("crm: employee %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("crm: employee %d: %w", id, errs.ErrNotFound)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "employee.active", Entity: RecordEmployee, EntityID: id,
			Details: map[string]any{"active": active}})
	})
}

// EmployeeFilter selects a client's employees.
type EmployeeFilter struct {
	Query        string
	DepartmentID int64
	ActiveOnly   bool
	Page         Page
}

// List returns a client's employees matching f, by name, and the total.
func (s *Employees) List(ctx context.Context, clientID int64, f EmployeeFilter) ([]Employee, int, error) {
	where, args := []string{"e.client_id = ?"}, []any{clientID}
	w, a := nameMatch("e.search_name", f.Query)
	where, args = append(where, w...), append(args, a...)
	if f.DepartmentID != 0 {
		where, args = append(where, "e.department_id = ?"), append(args, f.DepartmentID)
	}
	if f.ActiveOnly {
		where = append(where, "e.active = TRUE")
	}
	return selectPage[Employee](ctx, s.db, "employees", employeeColumns, employeeFrom, " WHERE "+strings.Join(where, " AND "),
		"e.last_name, e.first_name, e.id", args, f.Page)
}
