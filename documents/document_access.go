package documents

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// A client sees a document only when it is shared and the client is its
// owner: every extranet method takes the client id first and puts both
// conditions in its query, so another client's document is ErrNotFound.
const sharedWith = "d.shared AND d.client_id = ?"

// Share shows a document on a client's extranet. The client must be linked
// to the document; it becomes the owner client. Sharing again with the
// same client changes nothing.
func (s *Service) Share(ctx context.Context, id, clientID int64) (Document, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		d, err := loadDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.Shared && d.ClientID != nil && *d.ClientID == clientID {
			return nil
		}
		linked := false
		for _, l := range d.Links {
			linked = linked || l == Link{Type: RecordClient, ID: clientID}
		}
		if !linked || clientID <= 0 {
			return errs.NewInvalid("client_id", "error.share_needs_client_link")
		}
		at := s.now()
		if err := setShared(ctx, tx, id, clientID, at); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "document.share", Entity: "document", EntityID: id,
			Details: map[string]any{"client_id": clientID, "from_client_id": d.ClientID}}); err != nil {
			return err
		}
		return s.emit(ctx, tx, EventShared, id, d.CurrentVersion, at)
	})
	if err != nil {
		return Document{}, err
	}
	return s.Get(ctx, id)
}

func setShared(ctx context.Context, q db.Querier, id, clientID int64, at time.Time) error {
	_, err := q.Exec(ctx, `UPDATE documents SET shared = TRUE, client_id = ?, shared_at = ?, shared_by = ?, updated_at = ?
		WHERE id = ?`, clientID, at, actorID(ctx), at, id)
	if err != nil {
		return fmt.Errorf("documents: share document %d: %w", id, err)
	}
	return nil
}

// Unshare takes a document off its client's extranet; the client stays its
// owner and linked. Unsharing an unshared document changes nothing.
func (s *Service) Unshare(ctx context.Context, id int64) (Document, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		d, err := loadDocument(ctx, tx, id)
		if err != nil || !d.Shared {
			return err
		}
		at := s.now()
		if _, err := tx.Exec(ctx, `UPDATE documents SET shared = FALSE, shared_at = NULL, shared_by = NULL, updated_at = ?
			WHERE id = ?`, at, id); err != nil {
			return fmt.Errorf("documents: unshare document %d: %w", id, err)
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "document.unshare", Entity: "document", EntityID: id,
			Details: map[string]any{"client_id": d.ClientID}}); err != nil {
			return err
		}
		return s.emit(ctx, tx, EventUnshared, id, d.CurrentVersion, at)
	})
	if err != nil {
		return Document{}, err
	}
	return s.Get(ctx, id)
}

// ListShared lists the documents shared with a client (extranet). The
// filter's Shared and ClientID are overridden by the scope.
func (s *Service) ListShared(ctx context.Context, clientID int64, f Filter) (Page, error) {
	shared := true
	f.Shared, f.ClientID = &shared, clientID
	if clientID <= 0 {
		return Page{Documents: []Document{}, Limit: f.Limit, Offset: f.Offset}, nil
	}
	p, err := s.list(ctx, f)
	for i := range p.Documents {
		p.Documents[i] = forClient(p.Documents[i])
	}
	return p, err
}

// forClient hides what is staff's business: tags may be internal remarks,
// links name records of other parties, and the staff ids mean nothing there.
func forClient(d Document) Document {
	d.Tags, d.Links, d.CreatedBy, d.SharedBy = []string{}, []Link{}, nil, nil
	return d
}

// GetShared loads a document shared with the client (extranet); any other is ErrNotFound.
func (s *Service) GetShared(ctx context.Context, clientID, id int64) (Document, error) {
	list, err := loadDocuments(ctx, s.db, "d.id = ? AND "+sharedWith, id, clientID)
	if err != nil {
		return Document{}, err
	}
	if len(list) == 0 {
		return Document{}, fmt.Errorf("documents: document %d shared with client %d: %w", id, clientID, errs.ErrNotFound)
	}
	return forClient(list[0]), nil
}

// OpenShared returns a version (0: the current one) of a document shared
// with the client (extranet); any other document is ErrNotFound.
func (s *Service) OpenShared(ctx context.Context, clientID, id int64, version int) (io.ReadCloser, Version, error) {
	return s.open(ctx, id, version, sharedWith, clientID)
}
