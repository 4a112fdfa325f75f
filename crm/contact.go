package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Contact roles at a client company, then at a provider.
var (
	ClientContactRoles   = []string{"hr_director", "training_officer", "hr_assistant", "manager", "executive", "finance", "purchasing", "other"}
	ProviderContactRoles = []string{"sales", "training_manager", "administration", "trainer", "executive", "other"}
)

// Contact is a person at a client company or at a provider.
type Contact struct {
	ID int64 `db:"id" json:"id"`
	ContactInput
	OwnerName   string    `db:"owner_name" json:"owner_name"`
	Department  string    `db:"department" json:"department,omitempty"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
	UpdatedAt   time.Time `db:"updated_at" json:"updated_at"`
	PrimaryMail string    `db:"primary_email" json:"-"`
	PrimaryTel  string    `db:"primary_phone" json:"-"`
}

// Name is the contact's display name.
func (c Contact) Name() string { return strings.TrimSpace(c.FirstName + " " + c.LastName) }

// Owner returns the record the contact belongs to.
func (c Contact) Owner() Ref {
	if c.ClientID != nil {
		return Ref{RecordClient, *c.ClientID}
	}
	return Ref{RecordProvider, *c.ProviderID}
}

// Phone is one number of a contact, in E.164, with a label (mobile, office…).
type Phone struct {
	Number string `db:"number" json:"number"`
	Label  string `db:"label" json:"label"`
}

// ContactInput is what staff edit on a contact. Exactly one of ClientID and
// ProviderID is set; Emails and Phones are in order of preference.
type ContactInput struct {
	ClientID     *int64   `db:"client_id" json:"client_id,omitempty"`
	ProviderID   *int64   `db:"provider_id" json:"provider_id,omitempty"`
	Civility     string   `db:"civility" json:"civility"`
	FirstName    string   `db:"first_name" json:"first_name"`
	LastName     string   `db:"last_name" json:"last_name"`
	Role         string   `db:"role" json:"role"`
	JobTitle     string   `db:"job_title" json:"job_title"`
	DepartmentID *int64   `db:"department_id" json:"department_id,omitempty"`
	Language     string   `db:"language" json:"language"`
	Notes        string   `db:"notes" json:"notes"`
	Active       bool     `db:"active" json:"active"`
	Emails       []string `db:"-" json:"emails"`
	Phones       []Phone  `db:"-" json:"phones"`
}

func (in *ContactInput) normalize() error {
	inv := &errs.Invalid{}
	if (in.ClientID == nil) == (in.ProviderID == nil) {
		inv.Add("owner", "error.required")
	}
	in.Civility = strings.TrimSpace(in.Civility)
	if in.Civility != "" && !slices.Contains([]string{"M.", "Mme"}, in.Civility) {
		inv.Add("civility", "error.invalid")
	}
	in.FirstName, in.LastName = strings.TrimSpace(in.FirstName), strings.TrimSpace(in.LastName)
	if in.LastName == "" {
		inv.Add("last_name", "error.required")
	}
	roles := ClientContactRoles
	if in.ProviderID != nil {
		roles = ProviderContactRoles
	}
	if in.Role == "" {
		in.Role = "other"
	}
	if !slices.Contains(roles, in.Role) {
		inv.Add("role", "error.invalid")
	}
	in.JobTitle, in.Notes = strings.TrimSpace(in.JobTitle), strings.TrimSpace(in.Notes)
	if in.Language == "" {
		in.Language = "fr"
	}
	if in.Language != "fr" && in.Language != "en" {
		inv.Add("language", "error.invalid")
	}
	var emails []string
	for _, e := range in.Emails {
		if e = strings.ToLower(strings.TrimSpace(e)); e == "" || slices.Contains(emails, e) {
			continue
		}
		if !validEmail(e) {
			inv.Add("emails", "error.email_invalid")
		}
		emails = append(emails, e)
	}
	in.Emails = emails
	var phones []Phone
	for _, p := range in.Phones {
		if strings.TrimSpace(p.Number) == "" {
			continue
		}
		n, err := normalizePhone(p.Number)
		if err != nil {
			inv.Add("phones", "error.phone_invalid")
			continue
		}
		if !slices.ContainsFunc(phones, func(q Phone) bool { return q.Number == n }) {
			phones = append(phones, Phone{Number: n, Label: strings.TrimSpace(p.Label)})
		}
	}
	in.Phones = phones
	return inv.OrNil()
}

// Contacts is the contact service, for client and provider contacts alike.
type Contacts struct {
	db *db.DB
}

// NewContacts returns the contact service.
func NewContacts(d *db.DB) *Contacts { return &Contacts{db: d} }

const contactColumns = `k.id, k.client_id, k.provider_id, k.civility, k.first_name, k.last_name, k.role, k.job_title,
	k.department_id, k.language, k.notes, k.active, k.created_at, k.updated_at,
	COALESCE(c.legal_name, p.name, '') AS owner_name, COALESCE(d.name, '') AS department,
	COALESCE((SELECT email FROM contact_emails WHERE contact_id = k.id ORDER BY position LIMIT 1), '') AS primary_email,
	COALESCE((SELECT number FROM contact_phones WHERE contact_id = k.id ORDER BY position LIMIT 1), '') AS primary_phone`

const contactFrom = ` FROM contacts k LEFT JOIN clients c ON c.id = k.client_id LEFT JOIN providers p ON p.id = k.provider_id
	LEFT JOIN client_departments d ON d.id = k.department_id`

// Create adds a contact with its e-mails and phones.
func (s *Contacts) Create(ctx context.Context, in ContactInput) (Contact, error) {
	in.Active = true
	if err := in.normalize(); err != nil {
		return Contact{}, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkDepartment(ctx, tx, in.ClientID, in.DepartmentID); err != nil {
			return err
		}
		now := time.Now().UTC()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO contacts (client_id, provider_id, civility, first_name, last_name, role,
			job_title, department_id, language, notes, active, search_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.ClientID, in.ProviderID, in.Civility, in.FirstName, in.LastName, in.Role, in.JobTitle, in.DepartmentID,
			in.Language, in.Notes, in.Active, textsearch.Index(in.FirstName, in.LastName), now, now)
		if err != nil {
			return fmt.Errorf("crm: create contact: %w", err)
		}
		if err := saveContactChannels(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "contact.create", Entity: RecordContact, EntityID: id})
	})
	if err != nil {
		return Contact{}, err
	}
	return s.Get(ctx, id)
}

// Update saves a contact; its owner never changes.
func (s *Contacts) Update(ctx context.Context, id int64, in ContactInput) (Contact, error) {
	cur, err := s.Get(ctx, id)
	if err != nil {
		return Contact{}, err
	}
	in.ClientID, in.ProviderID = cur.ClientID, cur.ProviderID
	if err := in.normalize(); err != nil {
		return Contact{}, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkDepartment(ctx, tx, in.ClientID, in.DepartmentID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE contacts SET civility = ?, first_name = ?, last_name = ?, role = ?, job_title = ?,
			department_id = ?, language = ?, notes = ?, active = ?, search_name = ?, updated_at = ? WHERE id = ?`,
			in.Civility, in.FirstName, in.LastName, in.Role, in.JobTitle, in.DepartmentID, in.Language, in.Notes,
			in.Active, textsearch.Index(in.FirstName, in.LastName), time.Now().UTC(), id); err != nil {
			return fmt.Errorf("crm: update contact %d: %w", id, err)
		}
		for _, q := range []string{"DELETE FROM contact_emails WHERE contact_id = ?", "DELETE FROM contact_phones WHERE contact_id = ?"} {
			if _, err := tx.Exec(ctx, q, id); err != nil {
				return fmt.Errorf("crm: update contact %d: %w", id, err)
			}
		}
		if err := saveContactChannels(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "contact.update", Entity: RecordContact, EntityID: id})
	})
	if err != nil {
		return Contact{}, err
	}
	return s.Get(ctx, id)
}

func checkDepartment(ctx context.Context, q db.Querier, clientID, departmentID *int64) error {
	if departmentID == nil {
		return nil
	}
	var one int
	if clientID == nil || q.Get(ctx, &one, "SELECT 1 FROM client_departments WHERE id = ? AND client_id = ?", *departmentID, *clientID) != nil {
		return errs.NewInvalid("department_id", "error.invalid")
	}
	return nil
}

func saveContactChannels(ctx context.Context, q db.Querier, id int64, in ContactInput) error {
	for i, e := range in.Emails {
		if _, err := q.Exec(ctx, "INSERT INTO contact_emails (contact_id, email, position) VALUES (?, ?, ?)", id, e, i); err != nil {
			return fmt.Errorf("crm: save e-mail of contact %d: %w", id, err)
		}
	}
	for i, p := range in.Phones {
		if _, err := q.Exec(ctx, "INSERT INTO contact_phones (contact_id, number, label, position) VALUES (?, ?, ?, ?)",
			id, p.Number, p.Label, i); err != nil {
			return fmt.Errorf("crm: save phone of contact %d: %w", id, err)
		}
	}
	return nil
}

// Get loads a contact with its e-mails and phones.
func (s *Contacts) Get(ctx context.Context, id int64) (Contact, error) {
	var c Contact
	if err := s.db.Get(ctx, &c, "SELECT "+contactColumns+contactFrom+" WHERE k.id = ?", id); err != nil {
		return Contact{}, fmt.Errorf("crm: load contact %d: %w", id, err)
	}
	if err := s.db.Select(ctx, &c.Emails, "SELECT email FROM contact_emails WHERE contact_id = ? ORDER BY position", id); err != nil {
		return Contact{}, fmt.Errorf("crm: load contact %d: %w", id, err)
	}
	if err := s.db.Select(ctx, &c.Phones, "SELECT number, label FROM contact_phones WHERE contact_id = ? ORDER BY position", id); err != nil {
		return Contact{}, fmt.Errorf("crm: load contact %d: %w", id, err)
	}
	return c, nil
}

// ContactFilter selects contacts for a list.
type ContactFilter struct {
	ClientID   int64
	ProviderID int64
	// Side limits to "client" or "provider" contacts; empty for both.
	Side       string
	Query      string // words of the name, or part of an e-mail address
	Role       string
	ActiveOnly bool
	Page       Page
}

// List returns the contacts matching f, by name, and the total count.
func (s *Contacts) List(ctx context.Context, f ContactFilter) ([]Contact, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	switch {
	case f.ClientID != 0:
		where, args = append(where, "k.client_id = ?"), append(args, f.ClientID)
	case f.ProviderID != 0:
		where, args = append(where, "k.provider_id = ?"), append(args, f.ProviderID)
	case f.Side == RecordClient:
		where = append(where, "k.client_id IS NOT NULL")
	case f.Side == RecordProvider:
		where = append(where, "k.provider_id IS NOT NULL")
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); strings.Contains(q, "@") {
		where = append(where, "k.id IN (SELECT contact_id FROM contact_emails WHERE email LIKE ?)")
		args = append(args, "%"+q+"%")
	} else {
		w, a := nameMatch("k.search_name", f.Query)
		where, args = append(where, w...), append(args, a...)
	}
	if f.Role != "" {
		where, args = append(where, "k.role = ?"), append(args, f.Role)
	}
	if f.ActiveOnly {
		where = append(where, "k.active = TRUE")
	}
	return selectPage[Contact](ctx, s.db, "contacts", contactColumns, contactFrom, " WHERE "+strings.Join(where, " AND "),
		"k.active DESC, k.search_name, k.id", args, f.Page)
}

// ByEmails returns the contacts having any of the addresses (lower-cased),
// keyed by address; an address shared by several contacts maps to all.
func ByEmails(ctx context.Context, q db.Querier, emails []string) (map[string][]Contact, error) {
	out := map[string][]Contact{}
	if len(emails) == 0 {
		return out, nil
	}
	args := make([]any, len(emails))
	for i, e := range emails {
		args[i] = strings.ToLower(e)
	}
	var rows []struct {
		Email string `db:"email"`
		Contact
	}
	if err := q.Select(ctx, &rows, "SELECT ce.email, "+contactColumns+contactFrom+
		" JOIN contact_emails ce ON ce.contact_id = k.id WHERE ce.email IN (?"+strings.Repeat(", ?", len(args)-1)+")", args...); err != nil {
		return nil, fmt.Errorf("crm: contacts by e-mail: %w", err)
	}
	for _, r := range rows {
		out[r.Email] = append(out[r.Email], r.Contact)
	}
	return out, nil
}

// ByPhone returns the active contacts having the E.164 number.
func ByPhone(ctx context.Context, q db.Querier, number string) ([]Contact, error) {
	var rows []Contact
	err := q.Select(ctx, &rows, "SELECT "+contactColumns+contactFrom+
		" WHERE k.id IN (SELECT contact_id FROM contact_phones WHERE number = ?) ORDER BY k.active DESC, k.id", number)
	if err != nil {
		return nil, fmt.Errorf("crm: contacts by phone: %w", err)
	}
	return rows, nil
}
