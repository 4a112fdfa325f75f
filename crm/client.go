package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Client is a client company of the broker. The CRM issue adds its legal
// identity, establishments, contacts and invoicing fields.
type Client struct {
	ID        int64     `db:"id" json:"id"`
	LegalName string    `db:"legal_name" json:"legal_name"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// Clients is the client-company service.
type Clients struct {
	db *db.DB
}

// NewClients returns the client-company service.
func NewClients(d *db.DB) *Clients { return &Clients{db: d} }

const clientColumns = "id, legal_name, created_at, updated_at"

// Create adds a client company and audits it.
func (s *Clients) Create(ctx context.Context, legalName string) (Client, error) {
	legalName = strings.TrimSpace(legalName)
	if legalName == "" {
		return Client{}, errs.NewInvalid("legal_name", "error.required")
	}
	var c Client
	now := time.Now().UTC()
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := tx.ExecReturning(ctx, &c, "INSERT INTO clients (legal_name, created_at, updated_at) VALUES (?, ?, ?) RETURNING "+clientColumns,
			legalName, now, now); err != nil {
			return fmt.Errorf("crm: create client %q: %w", legalName, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "client.create", Entity: "client", EntityID: c.ID})
	})
	return c, err
}

// Get loads a client company; errs.ErrNotFound when absent.
func (s *Clients) Get(ctx context.Context, id int64) (Client, error) {
	var c Client
	if err := s.db.Get(ctx, &c, "SELECT "+clientColumns+" FROM clients WHERE id = ?", id); err != nil {
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
