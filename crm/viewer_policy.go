package crm

import (
	"fmt"
	"slices"
	"strings"
)

// Extranet roles (extranet_users.role); internal/auth creates the users.
const (
	RoleHRAdmin         = "hr_admin"         // the whole company, and its extranet users
	RoleTrainingOfficer = "training_officer" // the whole company
	RoleManager         = "manager"          // the employees of their departments
	RoleEmployee        = "employee"         // their own records
)

// ExtranetRoles lists the roles, widest first.
var ExtranetRoles = []string{RoleHRAdmin, RoleTrainingOfficer, RoleManager, RoleEmployee}

// Record types the policy covers besides those of the timeline.
const (
	RecordWish         = "wish"
	RecordExtranetUser = "extranet_user"
)

// Action is what a user does to a record.
type Action string

// Actions of the policy.
const (
	ActView          Action = "view"
	ActCreate        Action = "create"         // a request; a wish (submit)
	ActManagerDecide Action = "manager_decide" // approve or refuse a wish as the employee's manager
	ActArbitrate     Action = "arbitrate"      // HR's final decision on a wish
	ActWithdraw      Action = "withdraw"       // withdraw a wish before HR decides
	ActDecide        Action = "decide"         // accept or decline a proposal
	ActManage        Action = "manage"         // extranet users: departments, employee record
	ActEdit          Action = "edit"           // a plan's lines, freezing and reopening; budget envelopes
)

// Scope is a set of relations between a user and a record; a rule holds
// when the user has any of the relations it names with the record. Every
// relation implies the record is of the user's company.
type Scope uint8

// The relations.
const (
	ScopeCompany     Scope = 1 << iota // any record of the user's company
	ScopeDepartments                   // concerns an employee of one of the user's departments
	ScopeSelf                          // concerns the user's own employee record
	ScopeAuthor                        // created or submitted by the user
)

// String names the relations of s, e.g. "departments, self".
func (s Scope) String() string {
	var out []string
	for i, n := range []string{"company", "departments", "self", "author"} {
		if s&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}

// Rule allows a role to do an action on records of a kind within a scope.
type Rule struct {
	Role   string
	Kind   string
	Action Action
	Scope  Scope
}

const managerSees = ScopeDepartments | ScopeSelf | ScopeAuthor // what a manager sees

// Policy is every permission of the extranet; what it does not grant is
// denied. docs/extranet-access.md shows it (TestPolicyDoc keeps them equal).
var Policy = []Rule{
	{RoleHRAdmin, RecordRequest, ActView, ScopeCompany},
	{RoleHRAdmin, RecordRequest, ActCreate, ScopeCompany},
	{RoleHRAdmin, RecordWish, ActView, ScopeCompany},
	{RoleHRAdmin, RecordWish, ActCreate, ScopeCompany},
	{RoleHRAdmin, RecordWish, ActManagerDecide, ScopeCompany},
	{RoleHRAdmin, RecordWish, ActArbitrate, ScopeCompany},
	{RoleHRAdmin, RecordWish, ActWithdraw, ScopeAuthor},
	{RoleHRAdmin, RecordBooking, ActView, ScopeCompany},
	{RoleHRAdmin, RecordProposal, ActView, ScopeCompany},
	{RoleHRAdmin, RecordProposal, ActDecide, ScopeCompany},
	{RoleHRAdmin, RecordEmployee, ActView, ScopeCompany},
	{RoleHRAdmin, RecordExtranetUser, ActView, ScopeCompany},
	{RoleHRAdmin, RecordExtranetUser, ActManage, ScopeCompany},
	{RoleHRAdmin, RecordPlan, ActView, ScopeCompany},
	{RoleHRAdmin, RecordPlan, ActEdit, ScopeCompany},
	{RoleHRAdmin, RecordEnvelope, ActView, ScopeCompany},
	{RoleHRAdmin, RecordEnvelope, ActEdit, ScopeCompany},

	{RoleTrainingOfficer, RecordRequest, ActView, ScopeCompany},
	{RoleTrainingOfficer, RecordRequest, ActCreate, ScopeCompany},
	{RoleTrainingOfficer, RecordWish, ActView, ScopeCompany},
	{RoleTrainingOfficer, RecordWish, ActCreate, ScopeCompany},
	{RoleTrainingOfficer, RecordWish, ActManagerDecide, ScopeCompany},
	{RoleTrainingOfficer, RecordWish, ActArbitrate, ScopeCompany},
	{RoleTrainingOfficer, RecordWish, ActWithdraw, ScopeAuthor},
	{RoleTrainingOfficer, RecordBooking, ActView, ScopeCompany},
	{RoleTrainingOfficer, RecordProposal, ActView, ScopeCompany},
	{RoleTrainingOfficer, RecordProposal, ActDecide, ScopeCompany},
	{RoleTrainingOfficer, RecordEmployee, ActView, ScopeCompany},
	{RoleTrainingOfficer, RecordPlan, ActView, ScopeCompany},
	{RoleTrainingOfficer, RecordPlan, ActEdit, ScopeCompany},
	{RoleTrainingOfficer, RecordEnvelope, ActView, ScopeCompany},
	{RoleTrainingOfficer, RecordEnvelope, ActEdit, ScopeCompany},

	{RoleManager, RecordRequest, ActView, managerSees},
	{RoleManager, RecordRequest, ActCreate, ScopeAuthor}, // naming only employees they see
	{RoleManager, RecordWish, ActView, managerSees},
	{RoleManager, RecordWish, ActCreate, ScopeDepartments | ScopeSelf},
	{RoleManager, RecordWish, ActManagerDecide, ScopeDepartments},
	{RoleManager, RecordWish, ActWithdraw, ScopeAuthor},
	{RoleManager, RecordBooking, ActView, managerSees},
	{RoleManager, RecordProposal, ActView, managerSees},
	{RoleManager, RecordEmployee, ActView, ScopeDepartments | ScopeSelf},
	// Plan lines and envelopes of the manager's departments (read only);
	// crm/viewer_plans.go turns the rule into the department filter.
	{RoleManager, RecordPlan, ActView, ScopeDepartments},
	{RoleManager, RecordEnvelope, ActView, ScopeDepartments},

	{RoleEmployee, RecordRequest, ActView, ScopeSelf | ScopeAuthor},
	{RoleEmployee, RecordWish, ActView, ScopeSelf | ScopeAuthor},
	{RoleEmployee, RecordWish, ActCreate, ScopeSelf},
	{RoleEmployee, RecordWish, ActWithdraw, ScopeAuthor},
	{RoleEmployee, RecordBooking, ActView, ScopeSelf | ScopeAuthor},
	{RoleEmployee, RecordEmployee, ActView, ScopeSelf},
}

// Resource is what the policy needs to know of a record: its kind and
// company, who created it, the employees it concerns and their departments.
// For a record about to be created, Author is the user creating it.
type Resource struct {
	Kind          string
	ClientID      int64
	Author        int64 // extranet user; 0 when staff or nobody
	EmployeeIDs   []int64
	DepartmentIDs []int64
}

// Can is the one policy of the extranet: whether v may do action on res.
// It is deny by default: an unknown role, kind or action, a record of
// another company or a zero Viewer is refused.
func (v Viewer) Can(action Action, res Resource) bool {
	allowed := v.allowed(res.Kind, action)
	held := v.relations(res)
	if action == ActManagerDecide && held&ScopeSelf != 0 {
		return false // nobody approves their own wish as its manager: HR arbitrates it
	}
	return allowed&held != 0
}

// allowed is the union of the scopes the policy grants v's role for action on kind.
func (v Viewer) allowed(kind string, action Action) Scope {
	var s Scope
	for _, r := range Policy {
		if r.Role == v.Role && r.Kind == kind && r.Action == action {
			s |= r.Scope
		}
	}
	return s
}

// relations are those v has with res; none with a record of another company.
func (v Viewer) relations(res Resource) Scope {
	if v.ClientID == 0 || v.UserID == 0 || res.ClientID != v.ClientID {
		return 0
	}
	s := ScopeCompany
	if res.Author == v.UserID {
		s |= ScopeAuthor
	}
	if v.EmployeeID != nil && slices.Contains(res.EmployeeIDs, *v.EmployeeID) {
		s |= ScopeSelf
	}
	for _, d := range res.DepartmentIDs {
		if slices.Contains(v.DepartmentIDs, d) {
			s |= ScopeDepartments
			break
		}
	}
	return s
}

// scopeSQL says where each kind keeps the facts relations reads. concerns
// is a condition, with %[1]s standing for a condition on an employee row
// aliased e, that the record concerns such an employee.
type scopeSQL struct {
	client, author, concerns string
	always                   string // a condition every row shown must meet
}

const requestConcerns = `EXISTS (SELECT 1 FROM request_employees re JOIN employees e ON e.id = re.employee_id
	WHERE re.request_id = r.id AND %[1]s)`

// scopes holds the columns of each kind, under the aliases their queries use.
var scopes = map[string]scopeSQL{
	RecordRequest: {client: "r.client_id", author: "r.created_by_extranet_id", concerns: requestConcerns},
	RecordWish: {client: "w.client_id", author: "w.submitted_by",
		concerns: "EXISTS (SELECT 1 FROM employees e WHERE e.id = w.employee_id AND %[1]s)"},
	// A session concerns the employees of its request and its trainees.
	RecordBooking: {client: "r.client_id", author: "r.created_by_extranet_id", concerns: "(" + requestConcerns +
		` OR EXISTS (SELECT 1 FROM booking_trainees bt JOIN employees e ON e.id = bt.employee_id WHERE bt.booking_id = b.id AND %[1]s))`},
	// A draft is the broker's work in progress: no client user sees it.
	RecordProposal: {client: "r.client_id", author: "r.created_by_extranet_id", concerns: requestConcerns, always: "o.status <> 'draft'"},
	RecordEmployee: {client: "e.client_id", concerns: "%[1]s"},
}

// scope is the SQL condition, with its arguments, that keeps the records of
// kind v may see: the rule of Can(ActView, ...) written for a WHERE clause.
// A kind without a scope, or a role that may not see it, keeps nothing.
func (v Viewer) scope(kind string) (string, []any) {
	sc, ok := scopes[kind]
	allowed := v.allowed(kind, ActView)
	if !ok || allowed == 0 || v.ClientID == 0 || v.UserID == 0 {
		return "1 = 0", nil
	}
	conds, args := []string{sc.client + " = ?"}, []any{v.ClientID}
	if sc.always != "" {
		conds = append(conds, sc.always)
	}
	if allowed&ScopeCompany != 0 {
		return strings.Join(conds, " AND "), args
	}
	var ors []string
	concern := func(cond string, condArgs ...any) {
		ors = append(ors, fmt.Sprintf(sc.concerns, cond))
		for range strings.Count(sc.concerns, "%[1]s") {
			args = append(args, condArgs...)
		}
	}
	if allowed&ScopeAuthor != 0 && sc.author != "" {
		ors, args = append(ors, sc.author+" = ?"), append(args, v.UserID)
	}
	if allowed&ScopeSelf != 0 && v.EmployeeID != nil {
		concern("e.id = ?", *v.EmployeeID)
	}
	if allowed&ScopeDepartments != 0 && len(v.DepartmentIDs) > 0 {
		ids := make([]any, len(v.DepartmentIDs))
		for i, d := range v.DepartmentIDs {
			ids[i] = d
		}
		concern("e.department_id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...)
	}
	if len(ors) == 0 {
		return "1 = 0", nil
	}
	conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	return strings.Join(conds, " AND "), args
}
