package crm

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/phone"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Client statuses.
const (
	ClientProspect = "prospect"
	ClientActive   = "active"
	ClientFormer   = "former"
)

// ClientStatuses lists the statuses in their natural order.
var ClientStatuses = []string{ClientProspect, ClientActive, ClientFormer}

// Client is a client company of the broker.
type Client struct {
	ID int64 `db:"id" json:"id"`
	ClientInput
	AccountManagerName string    `db:"account_manager_name" json:"account_manager_name,omitempty"`
	CreatedAt          time.Time `db:"created_at" json:"created_at"`
	UpdatedAt          time.Time `db:"updated_at" json:"updated_at"`
}

// ClientInput is what staff edit on a client company. The invoicing fields
// (billing e-mail, payment terms, tax regime override, Chorus Pro codes) are
// read by invoicing; an empty TaxRegime means "derive it from country and VAT number".
type ClientInput struct {
	LegalName                string `db:"legal_name" json:"legal_name"`
	SIREN                    string `db:"siren" json:"siren"`
	Country                  string `db:"country" json:"country"`
	VATNumber                string `db:"vat_number" json:"vat_number"`
	PublicBody               bool   `db:"public_body" json:"public_body"`
	ChorusServiceCode        string `db:"chorus_service_code" json:"chorus_service_code"`
	ChorusEngagementRequired bool   `db:"chorus_engagement_required" json:"chorus_engagement_required"`
	Status                   string `db:"status" json:"status"`
	AccountManagerID         *int64 `db:"account_manager_id" json:"account_manager_id"`
	Website                  string `db:"website" json:"website"`
	Phone                    string `db:"phone" json:"phone"`
	Notes                    string `db:"notes" json:"notes"`
	BillingEmail             string `db:"billing_email" json:"billing_email"`
	PaymentTermsDays         *int   `db:"payment_terms_days" json:"payment_terms_days"`
	TaxRegime                string `db:"tax_regime" json:"tax_regime"`
}

// normalize trims and canonicalises the input and returns the field errors.
func (in *ClientInput) normalize() error {
	inv := &errs.Invalid{}
	in.LegalName = strings.TrimSpace(in.LegalName)
	if in.LegalName == "" {
		inv.Add("legal_name", "error.required")
	}
	in.SIREN = digitsOnly(in.SIREN)
	if in.SIREN != "" && !ValidSIREN(in.SIREN) {
		inv.Add("siren", "error.siren_invalid")
	}
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if in.Country == "" {
		in.Country = "FR"
	}
	if len(in.Country) != 2 || in.Country[0] < 'A' || in.Country[0] > 'Z' || in.Country[1] < 'A' || in.Country[1] > 'Z' {
		inv.Add("country", "error.country_invalid")
	}
	in.VATNumber = strings.ToUpper(strings.ReplaceAll(digitsOnly(in.VATNumber), " ", ""))
	if in.VATNumber == "" && in.Country == "FR" && in.SIREN != "" && ValidSIREN(in.SIREN) {
		in.VATNumber = FrenchVATNumber(in.SIREN)
	}
	if in.VATNumber != "" && !validVATNumber(in.VATNumber) {
		inv.Add("vat_number", "error.vat_invalid")
	}
	in.ChorusServiceCode = strings.TrimSpace(in.ChorusServiceCode)
	if !in.PublicBody {
		in.ChorusServiceCode, in.ChorusEngagementRequired = "", false
	}
	if in.Status == "" {
		in.Status = ClientProspect
	}
	if !slices.Contains(ClientStatuses, in.Status) {
		inv.Add("status", "error.invalid")
	}
	if in.AccountManagerID != nil && *in.AccountManagerID == 0 {
		in.AccountManagerID = nil
	}
	in.Website = strings.TrimSpace(in.Website)
	if in.Website != "" && !strings.Contains(in.Website, "://") {
		in.Website = "https://" + in.Website
	}
	if p, err := normalizePhone(in.Phone); err != nil {
		inv.Add("phone", "error.phone_invalid")
	} else {
		in.Phone = p
	}
	in.Notes = strings.TrimSpace(in.Notes)
	in.BillingEmail = strings.ToLower(strings.TrimSpace(in.BillingEmail))
	if in.BillingEmail != "" && !validEmail(in.BillingEmail) {
		inv.Add("billing_email", "error.email_invalid")
	}
	if in.PaymentTermsDays != nil && (*in.PaymentTermsDays < 0 || *in.PaymentTermsDays > 60) {
		// Code de commerce L441-10: 60 days from the invoice date at most.
		inv.Add("payment_terms_days", "error.payment_terms")
	}
	in.TaxRegime = strings.TrimSpace(in.TaxRegime)
	return inv.OrNil()
}

// normalizePhone returns the E.164 form of a typed number ("" stays "").
func normalizePhone(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	return phone.Normalize(s, "FR")
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.IndexByte(s, '@'):], ".")
}

// Clients is the client-company service.
type Clients struct {
	db *db.DB
}

// NewClients returns the client-company service.
func NewClients(d *db.DB) *Clients { return &Clients{db: d} }

const clientColumns = `c.id, c.legal_name, c.siren, c.country, c.vat_number, c.public_body, c.chorus_service_code,
	c.chorus_engagement_required, c.status, c.account_manager_id, COALESCE(u.name, '') AS account_manager_name,
	c.website, c.phone, c.notes, c.billing_email, c.payment_terms_days, c.tax_regime, c.created_at, c.updated_at`

const clientFrom = " FROM clients c LEFT JOIN staff_users u ON u.id = c.account_manager_id"

// Create adds a client company and audits it.
func (s *Clients) Create(ctx context.Context, in ClientInput) (Client, error) {
	if err := in.normalize(); err != nil {
		return Client{}, err
	}
	var id int64
	now := time.Now().UTC()
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO clients (legal_name, siren, country, vat_number, public_body,
			chorus_service_code, chorus_engagement_required, status, account_manager_id, website, phone, notes,
			billing_email, payment_terms_days, tax_regime, search_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.LegalName, in.SIREN, in.Country, in.VATNumber, in.PublicBody, in.ChorusServiceCode,
			in.ChorusEngagementRequired, in.Status, in.AccountManagerID, in.Website, in.Phone, in.Notes,
			in.BillingEmail, in.PaymentTermsDays, in.TaxRegime, textsearch.Index(in.LegalName), now, now)
		if err != nil {
			return fmt.Errorf("crm: create client %q: %w", in.LegalName, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "client.create", Entity: RecordClient, EntityID: id})
	})
	if err != nil {
		return Client{}, err
	}
	return s.Get(ctx, id)
}

// Update saves the edited fields; a status change is written to the timeline.
func (s *Clients) Update(ctx context.Context, id int64, in ClientInput) (Client, error) {
	if err := in.normalize(); err != nil {
		return Client{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var before string
		if err := tx.Get(ctx, &before, "SELECT status FROM clients WHERE id = ?", id); err != nil {
			return fmt.Errorf("crm: load client %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE clients SET legal_name = ?, siren = ?, country = ?, vat_number = ?,
			public_body = ?, chorus_service_code = ?, chorus_engagement_required = ?, status = ?, account_manager_id = ?,
			website = ?, phone = ?, notes = ?, billing_email = ?, payment_terms_days = ?, tax_regime = ?, search_name = ?,
			updated_at = ? WHERE id = ?`,
			in.LegalName, in.SIREN, in.Country, in.VATNumber, in.PublicBody, in.ChorusServiceCode,
			in.ChorusEngagementRequired, in.Status, in.AccountManagerID, in.Website, in.Phone, in.Notes,
			in.BillingEmail, in.PaymentTermsDays, in.TaxRegime, textsearch.Index(in.LegalName), time.Now().UTC(), id); err != nil {
			return fmt.Errorf("crm: update client %d: %w", id, err)
		}
		if before != in.Status {
			if err := RecordStatusChange(ctx, tx, Ref{RecordClient, id}, before, in.Status, ""); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "client.update", Entity: RecordClient, EntityID: id})
	})
	if err != nil {
		return Client{}, err
	}
	return s.Get(ctx, id)
}

// Get loads a client company; errs.ErrNotFound when absent.
func (s *Clients) Get(ctx context.Context, id int64) (Client, error) {
	var c Client
	if err := s.db.Get(ctx, &c, "SELECT "+clientColumns+clientFrom+" WHERE c.id = ?", id); err != nil {
		return Client{}, fmt.Errorf("crm: load client %d: %w", id, err)
	}
	return c, nil
}

// Count returns the number of client companies.
func (s *Clients) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.Get(ctx, &n, "SELECT COUNT(*) FROM clients")
	return n, err
}

// ClientFilter selects clients for a list page.
type ClientFilter struct {
	Query            string // words of the name, or a SIREN / SIRET
	Status           string
	AccountManagerID int64
	Page             Page
}

// ClientRow is a client in a list, with its head office city.
type ClientRow struct {
	Client
	City string `db:"city" json:"city"`
}

// List returns the clients matching f, by name, and the total count.
func (s *Clients) List(ctx context.Context, f ClientFilter) ([]ClientRow, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	if q := digitsOnly(f.Query); allDigits(q) && (len(q) == 9 || len(q) == 14) {
		where = append(where, "(c.siren = ? OR c.id IN (SELECT client_id FROM client_establishments WHERE siret = ?))")
		args = append(args, q[:9], q)
	} else {
		w, a := nameMatch("c.search_name", f.Query)
		where, args = append(where, w...), append(args, a...)
	}
	if f.Status != "" {
		where = append(where, "c.status = ?")
		args = append(args, f.Status)
	}
	if f.AccountManagerID != 0 {
		where = append(where, "c.account_manager_id = ?")
		args = append(args, f.AccountManagerID)
	}
	return selectPage[ClientRow](ctx, s.db, "clients", clientColumns+`,
		COALESCE((SELECT e.city FROM client_establishments e WHERE e.client_id = c.id ORDER BY e.head_office DESC, e.id LIMIT 1), '') AS city`,
		clientFrom, " WHERE "+strings.Join(where, " AND "), "c.search_name, c.id", args, f.Page)
}

// nameMatch turns a query into conditions on a search_name column (holding
// textsearch.Index of the name): every word must start a word of the name.
func nameMatch(col, query string) ([]string, []any) {
	var where []string
	var args []any
	for _, t := range textsearch.Query(query) {
		where = append(where, "(' ' || "+col+") LIKE ?")
		args = append(args, "% "+t+"%")
	}
	return where, args
}

// selectPage counts the rows that from and cond select, and loads the page p
// of them in the given order; what names them in errors.
func selectPage[T any](ctx context.Context, d *db.DB, what, columns, from, cond, order string, args []any, p Page) ([]T, int, error) {
	var total int
	if err := d.Get(ctx, &total, "SELECT COUNT(*)"+from+cond, args...); err != nil {
		return nil, 0, fmt.Errorf("crm: count %s: %w", what, err)
	}
	limit, offset := p.bounds()
	var rows []T
	if err := d.Select(ctx, &rows, "SELECT "+columns+from+cond+" ORDER BY "+order+" LIMIT ? OFFSET ?",
		append(args, limit, offset)...); err != nil {
		return nil, 0, fmt.Errorf("crm: list %s: %w", what, err)
	}
	return rows, total, nil
}

// Page is a page request: 1-based number and size (default 50, at most 500).
type Page struct {
	Number int
	Size   int
}

func (p Page) bounds() (limit, offset int) {
	limit = p.Size
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	return limit, max(p.Number-1, 0) * limit
}
