package documents

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Tag limits: tags are short labels, not a second description.
const (
	maxTags   = 20
	maxTagLen = 40
)

// cleanTag lower-cases a tag and collapses its spaces; "" when it is empty.
func cleanTag(t string) string {
	return strings.ToLower(strings.Join(strings.Fields(noControl(t)), " "))
}

// cleanTags returns the distinct clean tags, sorted.
func cleanTags(tags []string, inv *errs.Invalid) []string {
	out := []string{}
	for _, t := range tags {
		if t = cleanTag(t); t == "" || slices.Contains(out, t) {
			continue
		}
		if utf8.RuneCountInString(t) > maxTagLen {
			inv.Add("tags", "error.invalid")
			continue
		}
		out = append(out, t)
	}
	if len(out) > maxTags {
		inv.Add("tags", "error.invalid")
	}
	slices.Sort(out)
	return out
}

func replaceTags(ctx context.Context, q db.Querier, id int64, tags []string) error {
	if _, err := q.Exec(ctx, "DELETE FROM document_tags WHERE document_id = ?", id); err != nil {
		return fmt.Errorf("documents: tags of document %d: %w", id, err)
	}
	for _, t := range tags {
		if _, err := q.Exec(ctx, "INSERT INTO document_tags (document_id, tag) VALUES (?, ?)", id, t); err != nil {
			return fmt.Errorf("documents: tags of document %d: %w", id, err)
		}
	}
	return nil
}

func addLinks(ctx context.Context, q db.Querier, id int64, links []Link) error {
	for _, l := range links {
		if _, err := q.Exec(ctx, `INSERT INTO document_links (document_id, record_type, record_id) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, id, l.Type, l.ID); err != nil {
			return fmt.Errorf("documents: link document %d to %s: %w", id, l, err)
		}
	}
	return nil
}

// SetTags replaces a document's tags.
func (s *Service) SetTags(ctx context.Context, id int64, tags []string) (Document, error) {
	inv := &errs.Invalid{}
	clean := cleanTags(tags, inv)
	if err := inv.OrNil(); err != nil {
		return Document{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		d, err := loadDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := replaceTags(ctx, tx, id, clean); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, id); err != nil {
			return err
		}
		if err := reindex(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "document.tags", Entity: "document", EntityID: id,
			Details: map[string]any{"from": d.Tags, "to": clean}})
	})
	if err != nil {
		return Document{}, err
	}
	return s.Get(ctx, id)
}

// Link links a document to more records.
func (s *Service) Link(ctx context.Context, id int64, links ...Link) (Document, error) {
	inv := &errs.Invalid{}
	links = checkLinks(links, inv)
	if len(links) == 0 {
		inv.Add("links", "error.required")
	}
	if err := inv.OrNil(); err != nil {
		return Document{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := loadDocument(ctx, tx, id); err != nil {
			return err
		}
		if err := addLinks(ctx, tx, id, links); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "document.link", Entity: "document", EntityID: id,
			Details: map[string]any{"links": links}})
	})
	if err != nil {
		return Document{}, err
	}
	return s.Get(ctx, id)
}

// Unlink removes a link. The owner client's link goes only while the
// document is not shared (unshare first); it then stops being the owner.
func (s *Service) Unlink(ctx context.Context, id int64, l Link) (Document, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		d, err := loadDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		owner := l.Type == RecordClient && d.ClientID != nil && *d.ClientID == l.ID
		if owner && d.Shared {
			return errs.NewInvalid("links", "error.unlink_shared_client")
		}
		if _, err := tx.Exec(ctx, "DELETE FROM document_links WHERE document_id = ? AND record_type = ? AND record_id = ?",
			id, l.Type, l.ID); err != nil {
			return fmt.Errorf("documents: unlink document %d from %s: %w", id, l, err)
		}
		if owner {
			if _, err := tx.Exec(ctx, "UPDATE documents SET client_id = NULL WHERE id = ?", id); err != nil {
				return fmt.Errorf("documents: unlink document %d from %s: %w", id, l, err)
			}
		}
		if err := s.touch(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "document.unlink", Entity: "document", EntityID: id,
			Details: map[string]any{"link": l}})
	})
	if err != nil {
		return Document{}, err
	}
	return s.Get(ctx, id)
}

// touch marks a document as changed now, for the listing order.
func (s *Service) touch(ctx context.Context, q db.Querier, id int64) error {
	if _, err := q.Exec(ctx, "UPDATE documents SET updated_at = ? WHERE id = ?", s.now(), id); err != nil {
		return fmt.Errorf("documents: update document %d: %w", id, err)
	}
	return nil
}
