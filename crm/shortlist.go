package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// ShortlistItem is a provider (and possibly one of its courses) a staff
// member picked from search results, to consult it later.
type ShortlistItem struct {
	ID           int64     `db:"id" json:"id"`
	ProviderID   int64     `db:"provider_id" json:"provider_id"`
	ProviderName string    `db:"provider_name" json:"provider_name"`
	CourseID     *int64    `db:"course_id" json:"course_id,omitempty"`
	CourseTitle  string    `db:"course_title" json:"course_title,omitempty"`
	Query        string    `db:"query" json:"query"`
	Note         string    `db:"note" json:"note"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
}

// Shortlists keeps each staff member's shortlist.
type Shortlists struct {
	db *db.DB
}

// NewShortlists returns the shortlist service.
func NewShortlists(d *db.DB) *Shortlists { return &Shortlists{db: d} }

// Add puts a provider (and a course of it) on the user's shortlist; adding
// it twice keeps one item. A blacklisted provider cannot be added.
func (s *Shortlists) Add(ctx context.Context, userID, providerID int64, courseID *int64, query, note string) (ShortlistItem, error) {
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var status string
		if err := tx.Get(ctx, &status, "SELECT status FROM providers WHERE id = ?", providerID); err != nil {
			return fmt.Errorf("crm: provider %d: %w", providerID, err)
		}
		if status == ProviderBlacklisted {
			return errs.NewInvalid("provider_id", "error.provider_blacklisted")
		}
		if courseID != nil {
			var one int
			if err := tx.Get(ctx, &one, "SELECT 1 FROM courses WHERE id = ? AND provider_id = ?", *courseID, providerID); err != nil {
				return fmt.Errorf("crm: course %d of provider %d: %w", *courseID, providerID, err)
			}
		}
		err := tx.Get(ctx, &id, "SELECT id FROM shortlist_items WHERE staff_user_id = ? AND provider_id = ? AND COALESCE(course_id, 0) = ?",
			userID, providerID, derefOr(courseID, 0))
		if err == nil {
			return nil
		}
		id, err = db.InsertID(ctx, tx, `INSERT INTO shortlist_items (staff_user_id, provider_id, course_id, query, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, userID, providerID, courseID, strings.TrimSpace(query), strings.TrimSpace(note), time.Now().UTC())
		if err != nil {
			return fmt.Errorf("crm: shortlist provider %d: %w", providerID, err)
		}
		return nil
	})
	if err != nil {
		return ShortlistItem{}, err
	}
	items, err := s.list(ctx, "i.id = ?", id)
	if err != nil || len(items) == 0 {
		return ShortlistItem{}, err
	}
	return items[0], nil
}

func derefOr(p *int64, def int64) int64 {
	if p == nil {
		return def
	}
	return *p
}

// Remove takes an item off the user's shortlist (another user's item is not found).
func (s *Shortlists) Remove(ctx context.Context, userID, itemID int64) error {
	res, err := s.db.Exec(ctx, "DELETE FROM shortlist_items WHERE id = ? AND staff_user_id = ?", itemID, userID)
	if err != nil {
		return fmt.Errorf("crm: shortlist item %d: %w", itemID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("crm: shortlist item %d: %w", itemID, errs.ErrNotFound)
	}
	return nil
}

// List returns the user's shortlist, latest first.
func (s *Shortlists) List(ctx context.Context, userID int64) ([]ShortlistItem, error) {
	return s.list(ctx, "i.staff_user_id = ?", userID)
}

func (s *Shortlists) list(ctx context.Context, cond string, arg any) ([]ShortlistItem, error) {
	var out []ShortlistItem
	err := s.db.Select(ctx, &out, `SELECT i.id, i.provider_id, p.name AS provider_name, i.course_id,
		COALESCE(c.title, '') AS course_title, i.query, i.note, i.created_at
		FROM shortlist_items i JOIN providers p ON p.id = i.provider_id LEFT JOIN courses c ON c.id = i.course_id
		WHERE `+cond+" ORDER BY i.created_at DESC, i.id DESC", arg)
	if err != nil {
		return nil, fmt.Errorf("crm: shortlist: %w", err)
	}
	return out, nil
}
