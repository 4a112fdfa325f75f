package crm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Viewer is a signed-in extranet user as the access policy sees them: their
// company, role, the departments they manage and the employee record they are.
//
// Extranet handlers must read and change client records only through the
// methods that take a Viewer (GetFor, ListFor, CreateFor, AcceptFor, the
// Wishes methods...): each applies Viewer.Can or its SQL form, so that a
// record out of the user's scope is errs.ErrNotFound (a 404, as for a
// record of another company) and an action the role may not take on a
// record it sees is errs.ErrForbidden. The methods taking a bare client id
// are for the back office.
type Viewer struct {
	ClientID      int64
	UserID        int64
	Name          string
	Role          string
	DepartmentIDs []int64 // the departments a manager answers for
	EmployeeID    *int64  // the employee record the user is, if known
}

// context returns ctx acting as v: the audit log and the records v creates
// name v, whatever actor ctx carried (its IP is kept).
func (v Viewer) context(ctx context.Context) context.Context {
	a := audit.ActorFrom(ctx)
	if a.Kind == audit.ActorExtranet && a.ID == v.UserID {
		return ctx
	}
	return audit.WithActor(ctx, audit.Actor{Kind: audit.ActorExtranet, ID: v.UserID, Label: v.Name, IP: a.IP})
}

// Viewers loads extranet users as viewers and ties them to the company's
// departments and employees.
type Viewers struct {
	db *db.DB
}

// NewViewers returns the viewer service.
func NewViewers(d *db.DB) *Viewers { return &Viewers{db: d} }

// Load returns the viewer of an active extranet user; an unknown or
// deactivated user is errs.ErrNotFound.
func (s *Viewers) Load(ctx context.Context, userID int64) (Viewer, error) {
	v, active, err := loadViewer(ctx, s.db, userID)
	if err == nil && !active {
		err = fmt.Errorf("crm: extranet user %d is deactivated: %w", userID, errs.ErrNotFound)
	}
	return v, err
}

// loadViewer reads a user with the departments and the employee record of
// its own company only, whatever the rows say.
func loadViewer(ctx context.Context, q db.Querier, userID int64) (Viewer, bool, error) {
	var u struct {
		ClientID   int64  `db:"client_id"`
		Name       string `db:"name"`
		Role       string `db:"role"`
		Active     bool   `db:"active"`
		EmployeeID *int64 `db:"employee_id"`
	}
	err := q.Get(ctx, &u, `SELECT u.client_id, u.name, u.role, u.active, e.id AS employee_id FROM extranet_users u
		LEFT JOIN employees e ON e.id = u.employee_id AND e.client_id = u.client_id WHERE u.id = ?`, userID)
	if err != nil {
		return Viewer{}, false, fmt.Errorf("crm: load extranet user %d: %w", userID, err)
	}
	v := Viewer{ClientID: u.ClientID, UserID: userID, Name: u.Name, Role: u.Role, EmployeeID: u.EmployeeID}
	if err := q.Select(ctx, &v.DepartmentIDs, `SELECT ud.department_id FROM extranet_user_departments ud
		JOIN client_departments d ON d.id = ud.department_id WHERE ud.user_id = ? AND d.client_id = ?
		ORDER BY ud.department_id`, userID, u.ClientID); err != nil {
		return Viewer{}, false, fmt.Errorf("crm: load departments of extranet user %d: %w", userID, err)
	}
	return v, u.Active, nil
}

// Assignment ties an extranet user to the company: the departments a
// manager answers for (managers only) and the employee record the user is.
type Assignment struct {
	DepartmentIDs []int64 `json:"department_ids"`
	EmployeeID    *int64  `json:"employee_id"`
}

// Assign sets the departments and employee record of a user of the client
// (back office); a user of another client is errs.ErrNotFound.
func (s *Viewers) Assign(ctx context.Context, clientID, userID int64, a Assignment) (Viewer, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		return assignUser(ctx, tx, clientID, userID, a)
	})
	if err != nil {
		return Viewer{}, err
	}
	v, _, err := loadViewer(ctx, s.db, userID)
	return v, err
}

// AssignFor is Assign by an HR admin of the user's company; for anyone
// else a user they may not see is errs.ErrNotFound, one they may not
// manage errs.ErrForbidden.
func (s *Viewers) AssignFor(ctx context.Context, v Viewer, userID int64, a Assignment) (Viewer, error) {
	var clientID int64
	if err := s.db.Get(ctx, &clientID, "SELECT client_id FROM extranet_users WHERE id = ?", userID); err != nil {
		return Viewer{}, fmt.Errorf("crm: load extranet user %d: %w", userID, err)
	}
	res := Resource{Kind: RecordExtranetUser, ClientID: clientID}
	switch {
	case !v.Can(ActView, res):
		return Viewer{}, fmt.Errorf("crm: extranet user %d for user %d: %w", userID, v.UserID, errs.ErrNotFound)
	case !v.Can(ActManage, res):
		return Viewer{}, fmt.Errorf("crm: manage extranet user %d as %s: %w", userID, v.Role, errs.ErrForbidden)
	}
	return s.Assign(v.context(ctx), v.ClientID, userID, a)
}

func assignUser(ctx context.Context, tx *db.Tx, clientID, userID int64, a Assignment) error {
	var role string
	if err := tx.Get(ctx, &role, "SELECT role FROM extranet_users WHERE id = ? AND client_id = ?", userID, clientID); err != nil {
		return fmt.Errorf("crm: load extranet user %d: %w", userID, err)
	}
	var depts []int64
	for _, d := range a.DepartmentIDs {
		if d != 0 && !slices.Contains(depts, d) {
			depts = append(depts, d)
		}
	}
	if len(depts) > 0 && role != RoleManager {
		return errs.NewInvalid("department_ids", "error.departments_managers_only")
	}
	if err := checkOfClient(ctx, tx, "client_departments", clientID, depts, "department_ids"); err != nil {
		return err
	}
	if a.EmployeeID != nil && *a.EmployeeID == 0 {
		a.EmployeeID = nil
	}
	if a.EmployeeID != nil {
		if err := checkEmployees(ctx, tx, clientID, []int64{*a.EmployeeID}, "employee_id"); err != nil {
			return err
		}
		var other int
		if err := tx.Get(ctx, &other, "SELECT COUNT(*) FROM extranet_users WHERE employee_id = ? AND id <> ?", *a.EmployeeID, userID); err != nil {
			return fmt.Errorf("crm: check employee %d: %w", *a.EmployeeID, err)
		}
		if other > 0 {
			return errs.NewInvalid("employee_id", "error.employee_linked")
		}
	}
	if _, err := tx.Exec(ctx, "DELETE FROM extranet_user_departments WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("crm: departments of extranet user %d: %w", userID, err)
	}
	rows := make([][]any, len(depts))
	for i, d := range depts {
		rows[i] = []any{userID, d}
	}
	if err := insertRows(ctx, tx, "extranet_user_departments (user_id, department_id)", "", rows); err != nil {
		return fmt.Errorf("crm: departments of extranet user %d: %w", userID, err)
	}
	if _, err := tx.Exec(ctx, "UPDATE extranet_users SET employee_id = ?, updated_at = ? WHERE id = ?",
		a.EmployeeID, time.Now().UTC(), userID); err != nil {
		return fmt.Errorf("crm: employee of extranet user %d: %w", userID, err)
	}
	return audit.Record(ctx, tx, audit.Event{Action: "extranet_user.assign", Entity: RecordExtranetUser, EntityID: userID,
		Details: map[string]any{"department_ids": depts, "employee_id": a.EmployeeID}})
}
