package documents

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Document is a stored document with its current version's file.
type Document struct {
	ID             int64  `db:"id" json:"id"`
	Title          string `db:"title" json:"title"`
	Kind           string `db:"kind" json:"kind"`
	Lang           string `db:"lang" json:"lang,omitempty"`
	CurrentVersion int    `db:"current_version" json:"current_version"`
	// ClientID is the owner client, the one it can be shared with; always linked.
	ClientID  *int64     `db:"client_id" json:"client_id,omitempty"`
	Shared    bool       `db:"shared" json:"shared"`
	SharedAt  *time.Time `db:"shared_at" json:"shared_at,omitempty"`
	SharedBy  *int64     `db:"shared_by" json:"shared_by,omitempty"`
	Immutable bool       `db:"immutable" json:"immutable"`
	Generated bool       `db:"generated" json:"generated"`
	CreatedAt time.Time  `db:"created_at" json:"created_at"`
	CreatedBy *int64     `db:"created_by" json:"created_by,omitempty"`
	UpdatedAt time.Time  `db:"updated_at" json:"updated_at"`
	// The current version's file.
	FileName   string   `db:"file_name" json:"file_name"`
	MimeType   string   `db:"mime_type" json:"mime_type"`
	Size       int64    `db:"size" json:"size"`
	SHA256     string   `db:"sha256" json:"sha256"`
	TextStatus string   `db:"text_status" json:"text_status"`
	Tags       []string `db:"-" json:"tags"`
	Links      []Link   `db:"-" json:"links"`
}

const documentColumns = `d.id, d.title, d.kind, d.lang, d.current_version, d.client_id, d.shared, d.shared_at, d.shared_by,
	d.immutable, d.generated, d.created_at, d.created_by, d.updated_at,
	v.file_name, v.mime_type, v.size, v.sha256, v.text_status`

const documentFrom = ` FROM documents d JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version`

// loadDocuments reads documents with their tags and links; cond follows WHERE.
func loadDocuments(ctx context.Context, q db.Querier, cond string, args ...any) ([]Document, error) {
	var out []Document
	if err := q.Select(ctx, &out, "SELECT "+documentColumns+documentFrom+" WHERE "+cond, args...); err != nil {
		return nil, fmt.Errorf("documents: load documents: %w", err)
	}
	return out, loadTagsAndLinks(ctx, q, out)
}

func loadDocument(ctx context.Context, q db.Querier, id int64) (Document, error) {
	list, err := loadDocuments(ctx, q, "d.id = ?", id)
	if err != nil {
		return Document{}, err
	}
	if len(list) == 0 {
		return Document{}, fmt.Errorf("documents: document %d: %w", id, errs.ErrNotFound)
	}
	return list[0], nil
}

func loadTagsAndLinks(ctx context.Context, q db.Querier, docs []Document) error {
	if len(docs) == 0 {
		return nil
	}
	ids := make([]any, len(docs))
	pos := map[int64]int{}
	for i, d := range docs {
		ids[i], pos[d.ID] = d.ID, i
		docs[i].Tags, docs[i].Links = []string{}, []Link{}
	}
	in := "(?" + strings.Repeat(", ?", len(ids)-1) + ")"
	var tags []struct {
		DocumentID int64  `db:"document_id"`
		Tag        string `db:"tag"`
	}
	if err := q.Select(ctx, &tags, "SELECT document_id, tag FROM document_tags WHERE document_id IN "+in+" ORDER BY tag", ids...); err != nil {
		return fmt.Errorf("documents: load tags: %w", err)
	}
	for _, t := range tags {
		docs[pos[t.DocumentID]].Tags = append(docs[pos[t.DocumentID]].Tags, t.Tag)
	}
	var links []struct {
		DocumentID int64 `db:"document_id"`
		Link
	}
	if err := q.Select(ctx, &links, `SELECT document_id, record_type, record_id FROM document_links
		WHERE document_id IN `+in+" ORDER BY record_type, record_id", ids...); err != nil {
		return fmt.Errorf("documents: load links: %w", err)
	}
	for _, l := range links {
		docs[pos[l.DocumentID]].Links = append(docs[pos[l.DocumentID]].Links, l.Link)
	}
	return nil
}

// Get loads one document (staff).
func (s *Service) Get(ctx context.Context, id int64) (Document, error) {
	return loadDocument(ctx, s.db, id)
}

// NewDocument is a file uploaded by staff.
type NewDocument struct {
	Title    string
	Kind     string // KindUpload when empty
	FileName string
	Content  io.Reader
	Tags     []string
	Links    []Link
	// ClientID, when set, is the owner client; it is linked too.
	ClientID int64
	// Shared shows the document on the owner client's extranet.
	Shared bool
}

// Upload stores a new document as its version 1. Past MaxSize nothing is
// stored and the error is errs.Invalid on "file". The text is extracted for
// search; a file whose text cannot be read is stored all the same.
func (s *Service) Upload(ctx context.Context, nd NewDocument) (Document, error) {
	inv := &errs.Invalid{}
	if nd.Kind == "" {
		nd.Kind = KindUpload
	}
	if !validKind(nd.Kind) {
		inv.Add("kind", "error.invalid")
	}
	links := ownerLinks(checkLinks(nd.Links, inv), nd.ClientID)
	tags := cleanTags(nd.Tags, inv)
	if nd.Shared && nd.ClientID <= 0 {
		inv.Add("shared", "error.share_needs_client")
	}
	content, err := s.readUpload(nd.Content, inv)
	if err != nil {
		return Document{}, err
	}
	title := cleanTitle(nd.Title, nd.FileName, inv)
	if err := inv.OrNil(); err != nil {
		return Document{}, err
	}
	f, err := s.store(ctx, content, nd.FileName)
	if err != nil {
		return Document{}, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		at := s.now()
		id, err = insertDocument(ctx, tx, newRow{title: title, kind: nd.Kind, clientID: nd.ClientID, at: at}, f, nil, tags, links)
		if err != nil {
			return err
		}
		if nd.Shared {
			if err := setShared(ctx, tx, id, nd.ClientID, at); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "document.upload", Entity: "document", EntityID: id,
			Details: map[string]any{"title": title, "kind": nd.Kind, "file_name": f.name, "sha256": f.sum, "size": f.size,
				"mime_type": f.mime, "text_status": f.text.Status, "shared": nd.Shared}}); err != nil {
			return err
		}
		if err := s.emit(ctx, tx, EventUploaded, id, 1, at); err != nil {
			return err
		}
		if nd.Shared {
			return s.emit(ctx, tx, EventShared, id, 1, at)
		}
		return nil
	})
	if err != nil {
		return Document{}, err
	}
	return s.Get(ctx, id)
}

// newRow is a document row about to be inserted.
type newRow struct {
	title, kind, lang    string
	clientID             int64
	immutable, generated bool
	at                   time.Time
}

// insertDocument writes a document, its version 1, tags and links, and its search text.
func insertDocument(ctx context.Context, q db.Querier, r newRow, f storedFile, snapshot []byte, tags []string, links []Link) (int64, error) {
	var client *int64
	if r.clientID > 0 {
		client = &r.clientID
	}
	id, err := db.InsertID(ctx, q, `INSERT INTO documents (title, title_key, kind, lang, current_version, client_id,
		immutable, generated, created_at, created_by, updated_at)
		VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.title, textsearch.Fold(r.title), r.kind, r.lang, client, r.immutable, r.generated, r.at, actorID(ctx), r.at)
	if err != nil {
		return 0, fmt.Errorf("documents: insert document: %w", err)
	}
	if err := insertVersion(ctx, q, id, 1, f, snapshot, r.at); err != nil {
		return 0, err
	}
	if err := replaceTags(ctx, q, id, tags); err != nil {
		return 0, err
	}
	if err := addLinks(ctx, q, id, links); err != nil {
		return 0, err
	}
	return id, reindex(ctx, q, id)
}

// Delete removes a document that is not immutable, with its versions, tags
// and links. Blobs stay: they are named by content and may serve others.
func (s *Service) Delete(ctx context.Context, id int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		d, err := loadDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.Immutable {
			return fmt.Errorf("documents: delete document %d: %w", id, ErrImmutable)
		}
		if err := s.emit(ctx, tx, EventDeleted, id, 0, s.now()); err != nil {
			return err
		}
		for _, stmt := range []string{"DELETE FROM document_links WHERE document_id = ?", "DELETE FROM document_tags WHERE document_id = ?",
			"DELETE FROM document_versions WHERE document_id = ?", "DELETE FROM documents WHERE id = ?"} {
			if _, err := tx.Exec(ctx, stmt, id); err != nil {
				return fmt.Errorf("documents: delete document %d: %w", id, err)
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "document.delete", Entity: "document", EntityID: id,
			Details: map[string]any{"title": d.Title, "kind": d.Kind, "versions": d.CurrentVersion, "sha256": d.SHA256}})
	})
}

// ownerLinks adds the owner client to the links.
func ownerLinks(links []Link, clientID int64) []Link {
	if owner := (Link{Type: RecordClient, ID: clientID}); clientID > 0 && !slices.Contains(links, owner) {
		links = append(links, owner)
	}
	return links
}

// cleanTitle trims the title, or takes the file name for a missing one.
func cleanTitle(title, fileName string, inv *errs.Invalid) string {
	title = strings.Join(strings.Fields(noControl(title)), " ")
	if title == "" {
		title = cleanFileName(fileName)
	}
	if utf8.RuneCountInString(title) > 300 {
		inv.Add("title", "error.invalid")
	}
	return title
}

// cleanFileName keeps the last element of a path a browser may send, without
// control characters, and cuts it to 200 bytes keeping its extension.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(noControl(name))
	if name == "" || name == "." || name == ".." {
		return "document"
	}
	if len(name) > 200 {
		ext := name[strings.LastIndexByte(name, '.')+1:]
		if len(ext) > 10 || !strings.Contains(name, ".") {
			return truncate(name, 200)
		}
		return truncate(name, 199-len(ext)) + "." + ext
	}
	return name
}

// noControl drops control characters and invalid UTF-8 from a user's text
// (PostgreSQL refuses NUL and invalid UTF-8 in TEXT).
func noControl(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}
