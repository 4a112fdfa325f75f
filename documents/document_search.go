package documents

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// maxSearchText caps a document's indexed terms. PostgreSQL refuses a
// tsvector over 1 MB; distinct terms of at most 256 KB stay well below it
// whatever their length, and a real document has far fewer.
const maxSearchText = 256 << 10

// Filter selects documents; zero values mean "any".
type Filter struct {
	// Query matches words of the title, file name, tags and text, as prefixes, accents ignored.
	Query string
	// Title matches a part of the title, accents and case ignored.
	Title  string
	Kinds  []string
	Tags   []string // all of them
	Record *Link    // linked to this record
	Shared *bool
	// ClientID selects the documents of an owner client.
	ClientID int64
	Limit    int // 50 when 0, 200 at most
	Offset   int
}

// Page is one page of a listing and the count of all matching documents.
type Page struct {
	Documents []Document `json:"documents"`
	Total     int        `json:"total"`
	Limit     int        `json:"limit"`
	Offset    int        `json:"offset"`
}

// List returns the documents matching f, most recently changed first (staff).
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	return s.list(ctx, f)
}

func (s *Service) list(ctx context.Context, f Filter) (Page, error) {
	where, args := []string{"1 = 1"}, []any{}
	if terms := textsearch.Query(f.Query); len(terms) > 0 {
		cond, arg := s.db.Dialect().TextMatch("d.id", "documents_fts", "d.search_text", terms)
		where, args = append(where, cond), append(args, arg)
	}
	// Folding leaves letters, digits and spaces only: nothing to escape in the pattern.
	if t := textsearch.Fold(f.Title); t != "" {
		where, args = append(where, "d.title_key LIKE ?"), append(args, "%"+t+"%")
	}
	if kinds := validKinds(f.Kinds); len(kinds) > 0 {
		where = append(where, "d.kind IN (?"+strings.Repeat(", ?", len(kinds)-1)+")")
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	for _, t := range f.Tags {
		if t = cleanTag(t); t != "" {
			where, args = append(where, "d.id IN (SELECT document_id FROM document_tags WHERE tag = ?)"), append(args, t)
		}
	}
	if f.Record != nil {
		where = append(where, "d.id IN (SELECT document_id FROM document_links WHERE record_type = ? AND record_id = ?)")
		args = append(args, f.Record.Type, f.Record.ID)
	}
	if f.Shared != nil {
		where = append(where, map[bool]string{true: "d.shared", false: "NOT d.shared"}[*f.Shared])
	}
	if f.ClientID != 0 {
		where, args = append(where, "d.client_id = ?"), append(args, f.ClientID)
	}
	cond := strings.Join(where, " AND ")
	p := Page{Limit: f.Limit, Offset: max(f.Offset, 0)}
	if p.Limit <= 0 {
		p.Limit = 50
	}
	p.Limit = min(p.Limit, 200)
	if err := s.db.Get(ctx, &p.Total, "SELECT COUNT(*) FROM documents d WHERE "+cond, args...); err != nil {
		return Page{}, fmt.Errorf("documents: count documents: %w", err)
	}
	docs, err := loadDocuments(ctx, s.db, cond+" ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?", append(args, p.Limit, p.Offset)...)
	if err != nil {
		return Page{}, err
	}
	p.Documents = docs
	return p, nil
}

// reindex recomputes a document's search text from its title, tags and
// current version (file name and extracted text).
func reindex(ctx context.Context, q db.Querier, id int64) error {
	var row struct {
		Title    string `db:"title"`
		FileName string `db:"file_name"`
		Text     string `db:"text_content"`
	}
	if err := q.Get(ctx, &row, `SELECT d.title, v.file_name, v.text_content FROM documents d
		JOIN document_versions v ON v.document_id = d.id AND v.version = d.current_version WHERE d.id = ?`, id); err != nil {
		return fmt.Errorf("documents: reindex document %d: %w", id, err)
	}
	var tags []string
	if err := q.Select(ctx, &tags, "SELECT tag FROM document_tags WHERE document_id = ? ORDER BY tag", id); err != nil {
		return fmt.Errorf("documents: reindex document %d: %w", id, err)
	}
	text := searchText(row.Title, row.FileName, strings.Join(tags, " "), row.Text)
	if _, err := q.Exec(ctx, "UPDATE documents SET search_text = ? WHERE id = ?", text, id); err != nil {
		return fmt.Errorf("documents: reindex document %d: %w", id, err)
	}
	return nil
}

// searchText returns the distinct terms of the texts, first seen first:
// matching is by term, so repeats would only make the index bigger.
func searchText(texts ...string) string {
	seen := map[string]bool{}
	var b strings.Builder
	for _, t := range strings.Fields(textsearch.Index(texts...)) {
		if seen[t] {
			continue
		}
		if b.Len()+len(t)+1 > maxSearchText {
			break
		}
		seen[t] = true
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	return b.String()
}

func validKinds(kinds []string) []string {
	var out []string
	for _, k := range kinds {
		if validKind(k) && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
