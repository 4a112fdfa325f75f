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

// Provider is a training provider (organisme de formation). This is the
// minimal record contacts and the timeline need; the provider database
// (identity, Qualiopi, courses, matching) extends it.
type Provider struct {
	ID        int64     `db:"id" json:"id"`
	Name      string    `db:"name" json:"name"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// Providers is the provider service.
type Providers struct {
	db *db.DB
}

// NewProviders returns the provider service.
func NewProviders(d *db.DB) *Providers { return &Providers{db: d} }

// Create adds a provider.
func (s *Providers) Create(ctx context.Context, name string) (Provider, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Provider{}, errs.NewInvalid("name", "error.required")
	}
	var p Provider
	now := time.Now().UTC()
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := tx.ExecReturning(ctx, &p, "INSERT INTO providers (name, created_at, updated_at) VALUES (?, ?, ?) RETURNING id, name, created_at, updated_at",
			name, now, now); err != nil {
			return fmt.Errorf("crm: create provider %q: %w", name, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "provider.create", Entity: RecordProvider, EntityID: p.ID})
	})
	return p, err
}

// Get loads a provider.
func (s *Providers) Get(ctx context.Context, id int64) (Provider, error) {
	var p Provider
	if err := s.db.Get(ctx, &p, "SELECT id, name, created_at, updated_at FROM providers WHERE id = ?", id); err != nil {
		return Provider{}, fmt.Errorf("crm: load provider %d: %w", id, err)
	}
	return p, nil
}

// List returns providers whose name contains the query's words, by name.
func (s *Providers) List(ctx context.Context, query string, page Page) ([]Provider, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	for _, w := range strings.Fields(strings.ToLower(query)) {
		where, args = append(where, "LOWER(name) LIKE ?"), append(args, "%"+w+"%")
	}
	return selectPage[Provider](ctx, s.db, "providers", "id, name, created_at, updated_at", " FROM providers",
		" WHERE "+strings.Join(where, " AND "), "name, id", args, page)
}
