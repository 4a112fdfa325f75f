package documents

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Version is one version of a document: its file and how its text was read.
// Versions never change; a new upload of the document makes the next one.
type Version struct {
	DocumentID  int64     `db:"document_id" json:"document_id"`
	Version     int       `db:"version" json:"version"`
	SHA256      string    `db:"sha256" json:"sha256"`
	Size        int64     `db:"size" json:"size"`
	MimeType    string    `db:"mime_type" json:"mime_type"`
	FileName    string    `db:"file_name" json:"file_name"`
	TextStatus  string    `db:"text_status" json:"text_status"`
	TextError   string    `db:"text_error" json:"text_error,omitempty"`
	HasSnapshot bool      `db:"has_snapshot" json:"has_snapshot"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
	CreatedBy   *int64    `db:"created_by" json:"created_by,omitempty"`
}

const versionColumns = `v.document_id, v.version, v.sha256, v.size, v.mime_type, v.file_name, v.text_status, v.text_error,
	(v.snapshot IS NOT NULL) AS has_snapshot, v.created_at, v.created_by`

// storedFile is a content put in the blob store, with what was learnt from it.
type storedFile struct {
	sum  string
	size int64
	mime string
	name string
	text extracted
}

// readUpload reads an upload whole, refusing it past the size limit before
// anything is stored.
func (s *Service) readUpload(r io.Reader, inv *errs.Invalid) ([]byte, error) {
	if r == nil {
		inv.Add("file", "error.required")
		return nil, nil
	}
	content, err := io.ReadAll(io.LimitReader(r, s.maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("documents: read upload: %w", err)
	}
	switch {
	case int64(len(content)) > s.maxSize:
		inv.Add("file", "error.document_too_large")
	case len(content) == 0:
		inv.Add("file", "error.document_empty")
	}
	return content, nil
}

// store sniffs the type, extracts the text and puts the content in the
// blob store, all before the transaction: a rolled-back change leaves at
// worst an unreferenced blob, never a row without its content.
func (s *Service) store(ctx context.Context, content []byte, fileName string) (storedFile, error) {
	f := storedFile{name: cleanFileName(fileName)}
	f.mime = SniffMIME(content, f.name)
	f.text = extractText(f.mime, content, s.maxText)
	var err error
	if f.sum, f.size, err = s.blobs.Put(ctx, bytes.NewReader(content)); err != nil {
		return storedFile{}, err
	}
	return f, nil
}

func insertVersion(ctx context.Context, q db.Querier, docID int64, version int, f storedFile, snapshot []byte, at time.Time) error {
	var snap any
	if snapshot != nil {
		snap = string(snapshot)
	}
	_, err := q.Exec(ctx, `INSERT INTO document_versions (document_id, version, sha256, size, mime_type, file_name,
		text_status, text_error, text_content, snapshot, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		docID, version, f.sum, f.size, f.mime, f.name, f.text.Status, f.text.Err, f.text.Text, snap, at, actorID(ctx))
	if err != nil {
		return fmt.Errorf("documents: insert version %d of document %d: %w", version, docID, err)
	}
	return nil
}

// nextVersion moves a mutable document to its next version number and
// returns it; the row lock this takes orders concurrent uploads.
func nextVersion(ctx context.Context, q db.Querier, id int64, allowImmutable bool, at time.Time) (int, error) {
	var v int
	err := q.ExecReturning(ctx, &v, `UPDATE documents SET current_version = current_version + 1, updated_at = ?
		WHERE id = ? AND (? OR NOT immutable) RETURNING current_version`, at, id, allowImmutable)
	if errors.Is(err, errs.ErrNotFound) {
		var immutable bool
		if err := q.Get(ctx, &immutable, "SELECT immutable FROM documents WHERE id = ?", id); err != nil {
			return 0, fmt.Errorf("documents: document %d: %w", id, err)
		}
		return 0, fmt.Errorf("documents: new version of document %d: %w", id, ErrImmutable)
	}
	if err != nil {
		return 0, fmt.Errorf("documents: new version of document %d: %w", id, err)
	}
	return v, nil
}

// AddVersion uploads a new version of a document, which becomes its
// current one; the earlier versions stay readable. An immutable document
// refuses it with ErrImmutable (an errs.ErrConflict).
func (s *Service) AddVersion(ctx context.Context, id int64, fileName string, content io.Reader) (Document, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return Document{}, err
	}
	if d.Immutable {
		return Document{}, fmt.Errorf("documents: new version of document %d: %w", id, ErrImmutable)
	}
	inv := &errs.Invalid{}
	data, err := s.readUpload(content, inv)
	if err != nil {
		return Document{}, err
	}
	if err := inv.OrNil(); err != nil {
		return Document{}, err
	}
	f, err := s.store(ctx, data, fileName)
	if err != nil {
		return Document{}, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		at := s.now()
		v, err := nextVersion(ctx, tx, id, false, at)
		if err != nil {
			return err
		}
		if err := insertVersion(ctx, tx, id, v, f, nil, at); err != nil {
			return err
		}
		if err := reindex(ctx, tx, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "document.version_add", Entity: "document", EntityID: id,
			Details: map[string]any{"version": v, "file_name": f.name, "sha256": f.sum, "size": f.size, "mime_type": f.mime,
				"text_status": f.text.Status}}); err != nil {
			return err
		}
		return s.emit(ctx, tx, EventVersionAdded, id, v, at)
	})
	if err != nil {
		return Document{}, err
	}
	return s.Get(ctx, id)
}

// Versions lists a document's versions, newest first.
func (s *Service) Versions(ctx context.Context, id int64) ([]Version, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	var out []Version
	if err := s.db.Select(ctx, &out, "SELECT "+versionColumns+" FROM document_versions v WHERE v.document_id = ? ORDER BY v.version DESC", id); err != nil {
		return nil, fmt.Errorf("documents: versions of document %d: %w", id, err)
	}
	return out, nil
}

// loadVersion reads one version (0: the current one) of a document
// matching the extra condition on d (e.g. the sharing scope).
func loadVersion(ctx context.Context, q db.Querier, id int64, version int, cond string, args ...any) (Version, error) {
	var v Version
	err := q.Get(ctx, &v, "SELECT "+versionColumns+` FROM document_versions v JOIN documents d ON d.id = v.document_id
		WHERE d.id = ? AND v.version = (CASE WHEN ? = 0 THEN d.current_version ELSE ? END) AND `+cond,
		append([]any{id, version, version}, args...)...)
	if err != nil {
		return Version{}, fmt.Errorf("documents: version %d of document %d: %w", version, id, err)
	}
	return v, nil
}

// Open returns a version's content (version 0: the current one) with its
// metadata for the download headers. The reader fails with ErrCorrupt at
// the end if the stored content was damaged. Downloads are audited.
func (s *Service) Open(ctx context.Context, id int64, version int) (io.ReadCloser, Version, error) {
	return s.open(ctx, id, version, "1 = 1")
}

func (s *Service) open(ctx context.Context, id int64, version int, cond string, args ...any) (io.ReadCloser, Version, error) {
	v, err := loadVersion(ctx, s.db, id, version, cond, args...)
	if err != nil {
		return nil, Version{}, err
	}
	rc, err := s.blobs.Open(ctx, v.SHA256)
	if err != nil {
		return nil, Version{}, fmt.Errorf("documents: content of document %d version %d: %w", id, v.Version, err)
	}
	if err := audit.Record(ctx, s.db, audit.Event{Action: "document.download", Entity: "document", EntityID: id,
		Details: map[string]any{"version": v.Version}}); err != nil {
		rc.Close()
		return nil, Version{}, err
	}
	return rc, v, nil
}
