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
)

// RecordEnvelope is the audit entity of budget envelopes.
const RecordEnvelope = "budget_envelope"

// EnvelopeInput is an amount (cents, excluding VAT) a client sets aside
// for training in a year, for a department (nil: the whole company) and a
// funding source.
type EnvelopeInput struct {
	Year          int    `db:"year" json:"year"`
	DepartmentID  *int64 `db:"department_id" json:"department_id"`
	FundingSource string `db:"funding_source" json:"funding_source"`
	AmountCents   int64  `db:"amount_cents" json:"amount_cents"`
	Label         string `db:"label" json:"label"`
}

func (in *EnvelopeInput) normalize() error {
	inv := &errs.Invalid{}
	in.Label = strings.TrimSpace(in.Label)
	if !validYear(in.Year) {
		inv.Add("year", "error.invalid")
	}
	if in.DepartmentID != nil && *in.DepartmentID == 0 {
		in.DepartmentID = nil
	}
	if in.FundingSource == "" {
		inv.Add("funding_source", "error.required")
	} else if !slices.Contains(FundingSources, in.FundingSource) {
		inv.Add("funding_source", "error.invalid")
	}
	if in.AmountCents < 0 {
		inv.Add("amount_cents", "error.invalid")
	}
	return inv.OrNil()
}

// Envelope is a budget envelope of a client; one per year, department and source.
type Envelope struct {
	ID       int64 `db:"id" json:"id"`
	ClientID int64 `db:"client_id" json:"client_id"`
	EnvelopeInput
	DepartmentName string    `db:"department_name" json:"department_name"`
	CreatedAt      time.Time `db:"created_at" json:"created_at"`
	UpdatedAt      time.Time `db:"updated_at" json:"updated_at"`
}

// Budgets is the budget service: envelopes and what is planned, committed
// and consumed against them. Every method takes the client first; an
// envelope of another client is errs.ErrNotFound.
type Budgets struct {
	db *db.DB
}

// NewBudgets returns the budget service.
func NewBudgets(d *db.DB) *Budgets { return &Budgets{db: d} }

const envelopeColumns = `e.id, e.client_id, e.year, e.department_id, e.funding_source, e.amount_cents, e.label,
	COALESCE(d.name, '') AS department_name, e.created_at, e.updated_at`

// envelopeOrder puts the whole company first, then departments by name,
// and sources in the order of FundingSources.
const envelopeOrder = `d.name_key IS NOT NULL, d.name_key,
	CASE e.funding_source WHEN 'company' THEN 0 WHEN 'opco' THEN 1 ELSE 2 END, e.id`

const envelopeFrom = " FROM budget_envelopes e LEFT JOIN client_departments d ON d.id = e.department_id"

// Get loads an envelope of the client.
func (s *Budgets) Get(ctx context.Context, clientID, id int64) (Envelope, error) {
	var e Envelope
	if err := s.db.Get(ctx, &e, "SELECT "+envelopeColumns+envelopeFrom+" WHERE e.id = ? AND e.client_id = ?", id, clientID); err != nil {
		return Envelope{}, fmt.Errorf("crm: envelope %d of client %d: %w", id, clientID, err)
	}
	return e, nil
}

// List returns the client's envelopes of a year (those of departments),
// the whole company's first, then by department name and source.
func (s *Budgets) List(ctx context.Context, clientID int64, year int, departments []int64) ([]Envelope, error) {
	dc, dargs := departmentCond("e.department_id", departments)
	out := []Envelope{}
	if err := s.db.Select(ctx, &out, "SELECT "+envelopeColumns+envelopeFrom+" WHERE e.client_id = ? AND e.year = ? AND "+dc+
		" ORDER BY "+envelopeOrder, append([]any{clientID, year}, dargs...)...); err != nil {
		return nil, fmt.Errorf("crm: envelopes of client %d: %w", clientID, err)
	}
	return out, nil
}

// Create adds an envelope to the client's budget; there is one per year,
// department and funding source.
func (s *Budgets) Create(ctx context.Context, clientID int64, in EnvelopeInput) (Envelope, error) {
	if err := in.normalize(); err != nil {
		return Envelope{}, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkEnvelope(ctx, tx, clientID, 0, in); err != nil {
			return err
		}
		now := time.Now().UTC()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO budget_envelopes (client_id, year, department_id, funding_source,
			amount_cents, label, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			clientID, in.Year, in.DepartmentID, in.FundingSource, in.AmountCents, in.Label, now, now)
		if err != nil {
			return fmt.Errorf("crm: create envelope: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "budget.create", Entity: RecordEnvelope, EntityID: id,
			Details: map[string]any{"client_id": clientID, "year": in.Year, "amount_cents": in.AmountCents}})
	})
	if err != nil {
		return Envelope{}, err
	}
	return s.Get(ctx, clientID, id)
}

// Update changes an envelope of the client.
func (s *Budgets) Update(ctx context.Context, clientID, id int64, in EnvelopeInput) (Envelope, error) {
	if err := in.normalize(); err != nil {
		return Envelope{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var one int
		if err := tx.Get(ctx, &one, "SELECT 1 FROM budget_envelopes WHERE id = ? AND client_id = ?", id, clientID); err != nil {
			return fmt.Errorf("crm: envelope %d of client %d: %w", id, clientID, err)
		}
		if err := checkEnvelope(ctx, tx, clientID, id, in); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE budget_envelopes SET year = ?, department_id = ?, funding_source = ?, amount_cents = ?,
			label = ?, updated_at = ? WHERE id = ? AND client_id = ?`, in.Year, in.DepartmentID, in.FundingSource,
			in.AmountCents, in.Label, time.Now().UTC(), id, clientID); err != nil {
			return fmt.Errorf("crm: update envelope %d: %w", id, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "budget.update", Entity: RecordEnvelope, EntityID: id,
			Details: map[string]any{"amount_cents": in.AmountCents}})
	})
	if err != nil {
		return Envelope{}, err
	}
	return s.Get(ctx, clientID, id)
}

// Delete removes an envelope of the client; what it held then shows as unbudgeted.
func (s *Budgets) Delete(ctx context.Context, clientID, id int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkClientActor(ctx, tx, clientID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "DELETE FROM budget_envelopes WHERE id = ? AND client_id = ?", id, clientID)
		if err != nil {
			return fmt.Errorf("crm: delete envelope %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("crm: envelope %d of client %d: %w", id, clientID, errs.ErrNotFound)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "budget.delete", Entity: RecordEnvelope, EntityID: id})
	})
}

// checkEnvelope checks the client, the department and that no other
// envelope (than id) has the same year, department and source.
func checkEnvelope(ctx context.Context, q db.Querier, clientID, id int64, in EnvelopeInput) error {
	if err := checkClientActor(ctx, q, clientID); err != nil {
		return err
	}
	if err := checkDepartment(ctx, q, &clientID, in.DepartmentID); err != nil {
		return err
	}
	var dept int64
	if in.DepartmentID != nil {
		dept = *in.DepartmentID
	}
	var n int
	if err := q.Get(ctx, &n, `SELECT COUNT(*) FROM budget_envelopes WHERE client_id = ? AND year = ?
		AND COALESCE(department_id, 0) = ? AND funding_source = ? AND id <> ?`, clientID, in.Year, dept, in.FundingSource, id); err != nil {
		return fmt.Errorf("crm: envelopes of client %d: %w", clientID, err)
	}
	if n > 0 {
		return errs.NewInvalid("funding_source", "error.envelope_exists")
	}
	return nil
}
