package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/textsearch"
	"github.com/jmoiron/sqlx/types"
)

// Timeline entry kinds.
const (
	KindNote         = "note"
	KindCall         = "call"
	KindMeeting      = "meeting"
	KindEmailIn      = "email_in"
	KindEmailOut     = "email_out"
	KindTask         = "task"
	KindStatusChange = "status_change"
	KindDocument     = "document"
)

// EntryKinds lists every kind, in the order filters show them.
var EntryKinds = []string{KindNote, KindCall, KindMeeting, KindEmailIn, KindEmailOut, KindTask, KindStatusChange, KindDocument}

// Record types an entry can be linked to. Later modules add theirs
// (request, consultation, booking, invoice) by using new names: links are
// not foreign keys, so the timeline never depends on those tables.
const (
	RecordClient       = "client"
	RecordContact      = "contact"
	RecordEmployee     = "employee"
	RecordProvider     = "provider"
	RecordRequest      = "request"
	RecordConsultation = "consultation"
	RecordProposal     = "proposal"
	RecordBooking      = "booking"
)

// Ref points at a record of any type.
type Ref struct {
	Type string `db:"record_type" json:"type"`
	ID   int64  `db:"record_id" json:"id"`
}

func (r Ref) String() string { return fmt.Sprintf("%s:%d", r.Type, r.ID) }

// Entry is one line of the history: what happened, when, by whom, to which records.
type Entry struct {
	ID         int64          `db:"id" json:"id"`
	Kind       string         `db:"kind" json:"kind"`
	OccurredAt time.Time      `db:"occurred_at" json:"occurred_at"`
	CreatedAt  time.Time      `db:"created_at" json:"created_at"`
	AuthorID   *int64         `db:"author_id" json:"author_id,omitempty"`
	AuthorName string         `db:"author_name" json:"author_name,omitempty"`
	Title      string         `db:"title" json:"title"`
	Body       string         `db:"body" json:"body"`
	Data       types.JSONText `db:"data" json:"data"`
	Links      []Ref          `db:"-" json:"links"`
}

// DataMap decodes the entry's kind-specific details.
func (e Entry) DataMap() map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal(e.Data, &m)
	return m
}

// NewEntry is an entry to append. OccurredAt defaults to now; the author is
// the context's staff actor unless AuthorID is set.
type NewEntry struct {
	Kind       string
	OccurredAt time.Time
	AuthorID   int64
	Title      string
	Body       string
	Data       map[string]any
	Links      []Ref
	// SearchExtra is indexed but not shown (e.g. e-mail addresses, file names).
	SearchExtra string
}

// AddEntry appends an entry through q, inside the caller's transaction: it is
// the one function every module uses to write its history (state changes,
// mails, documents), so the change and its trace commit together.
func AddEntry(ctx context.Context, q db.Querier, e NewEntry) (int64, error) {
	if !slices.Contains(EntryKinds, e.Kind) {
		return 0, fmt.Errorf("crm: timeline entry of unknown kind %q: %w", e.Kind, errs.ErrInvalid)
	}
	now := time.Now().UTC()
	if e.OccurredAt.IsZero() {
		e.OccurredAt = now
	}
	var author *int64
	if e.AuthorID != 0 {
		author = &e.AuthorID
	} else if a := audit.ActorFrom(ctx); (a.Kind == audit.ActorStaff || a.Kind == audit.ActorAPI) && a.ID != 0 {
		author = &a.ID
	}
	data := []byte("{}")
	if len(e.Data) > 0 {
		var err error
		if data, err = json.Marshal(e.Data); err != nil {
			return 0, fmt.Errorf("crm: encode entry data: %w", err)
		}
	}
	id, err := db.InsertID(ctx, q, `INSERT INTO timeline_entries (kind, occurred_at, created_at, author_id, title, body, data, search_text)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.Kind, e.OccurredAt.UTC(), now, author, e.Title, e.Body, string(data), textsearch.Index(e.Title, e.Body, e.SearchExtra))
	if err != nil {
		return 0, fmt.Errorf("crm: append %s entry: %w", e.Kind, err)
	}
	return id, linkEntry(ctx, q, id, e.Links)
}

// RecordStatusChange appends a status_change entry for ref (from → to) and
// links it to ref and the other records given.
func RecordStatusChange(ctx context.Context, q db.Querier, ref Ref, from, to, note string, links ...Ref) error {
	_, err := AddEntry(ctx, q, NewEntry{
		Kind:  KindStatusChange,
		Title: fmt.Sprintf("%s: %s → %s", ref.Type, from, to),
		Body:  note,
		Data:  map[string]any{"record": ref.Type, "id": ref.ID, "from": from, "to": to},
		Links: append([]Ref{ref}, links...),
	})
	return err
}

// linkEntry links an entry to records in one statement.
func linkEntry(ctx context.Context, q db.Querier, entryID int64, refs []Ref) error {
	var rows [][]any
	for _, r := range refs {
		if r.Type != "" && r.ID != 0 {
			rows = append(rows, []any{entryID, r.Type, r.ID})
		}
	}
	if err := insertRows(ctx, q, "timeline_links (entry_id, record_type, record_id)", "ON CONFLICT DO NOTHING", rows); err != nil {
		return fmt.Errorf("crm: link entry %d: %w", entryID, err)
	}
	return nil
}

// insertRows inserts rows (each of the same width) into table with one
// multi-row INSERT, which both databases accept; suffix is an ON CONFLICT clause or "".
func insertRows(ctx context.Context, q db.Querier, table, suffix string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	one := "(?" + strings.Repeat(", ?", len(rows[0])-1) + ")"
	args := make([]any, 0, len(rows)*len(rows[0]))
	for _, r := range rows {
		args = append(args, r...)
	}
	_, err := q.Exec(ctx, "INSERT INTO "+table+" VALUES "+one+strings.Repeat(", "+one, len(rows)-1)+" "+suffix, args...)
	return err
}

// Timeline reads the history and lets staff write notes and meetings.
type Timeline struct {
	db *db.DB
}

// NewTimeline returns the timeline service.
func NewTimeline(d *db.DB) *Timeline { return &Timeline{db: d} }

// Add appends a note or a meeting written by staff.
func (t *Timeline) Add(ctx context.Context, e NewEntry) (Entry, error) {
	inv := &errs.Invalid{}
	if e.Kind != KindNote && e.Kind != KindMeeting {
		inv.Add("kind", "error.invalid")
	}
	e.Title, e.Body = strings.TrimSpace(e.Title), strings.TrimSpace(e.Body)
	if e.Title == "" && e.Body == "" {
		inv.Add("body", "error.required")
	}
	if len(e.Links) == 0 {
		inv.Add("links", "error.required")
	}
	if err := inv.OrNil(); err != nil {
		return Entry{}, err
	}
	var id int64
	err := t.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkRefs(ctx, tx, e.Links); err != nil {
			return err
		}
		var err error
		id, err = AddEntry(ctx, tx, e)
		return err
	})
	if err != nil {
		return Entry{}, err
	}
	return t.Get(ctx, id)
}

// Link adds links to an existing entry (entries never change, their links may grow).
func (t *Timeline) Link(ctx context.Context, entryID int64, refs ...Ref) error {
	return t.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkRefs(ctx, tx, refs); err != nil {
			return err
		}
		var one int
		if err := tx.Get(ctx, &one, "SELECT 1 FROM timeline_entries WHERE id = ?", entryID); err != nil {
			return fmt.Errorf("crm: entry %d: %w", entryID, err)
		}
		if err := linkEntry(ctx, tx, entryID, refs); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "timeline.link", Entity: "timeline_entry", EntityID: entryID,
			Details: map[string]any{"links": refs}})
	})
}

// Unlink removes a link set by mistake.
func (t *Timeline) Unlink(ctx context.Context, entryID int64, ref Ref) error {
	return t.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, "DELETE FROM timeline_links WHERE entry_id = ? AND record_type = ? AND record_id = ?",
			entryID, ref.Type, ref.ID); err != nil {
			return fmt.Errorf("crm: unlink entry %d: %w", entryID, err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "timeline.unlink", Entity: "timeline_entry", EntityID: entryID,
			Details: map[string]any{"link": ref}})
	})
}

// checkRefs refuses links to records that do not exist, for the types this
// package owns; other types are checked by the module that owns them.
func checkRefs(ctx context.Context, q db.Querier, refs []Ref) error {
	tables := map[string]string{RecordClient: "clients", RecordContact: "contacts", RecordEmployee: "employees", RecordProvider: "providers",
		RecordRequest: "requests", RecordConsultation: "consultations", RecordProposal: "proposals", RecordBooking: "bookings"}
	for _, r := range refs {
		table, ok := tables[r.Type]
		if !ok {
			continue
		}
		var one int
		if err := q.Get(ctx, &one, "SELECT 1 FROM "+table+" WHERE id = ?", r.ID); err != nil {
			return fmt.Errorf("crm: link to %s: %w", r, err)
		}
	}
	return nil
}

// TimelineFilter selects entries: those linked to Record (or all), of the
// given kinds, matching the query words, newest first.
type TimelineFilter struct {
	Record *Ref
	// WithContacts also includes, for a client or provider, the entries of its contacts.
	WithContacts bool
	Kinds        []string
	Query        string
	Limit        int
	Offset       int
}

const entryColumns = `e.id, e.kind, e.occurred_at, e.created_at, e.author_id, COALESCE(u.name, '') AS author_name,
	e.title, e.body, e.data`

// List returns one page of entries and whether more follow.
func (t *Timeline) List(ctx context.Context, f TimelineFilter) ([]Entry, bool, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Record != nil {
		refs := "(l.record_type = ? AND l.record_id = ?)"
		args = append(args, f.Record.Type, f.Record.ID)
		if f.WithContacts && (f.Record.Type == RecordClient || f.Record.Type == RecordProvider) {
			col := "client_id"
			if f.Record.Type == RecordProvider {
				col = "provider_id"
			}
			refs += " OR (l.record_type = 'contact' AND l.record_id IN (SELECT id FROM contacts WHERE " + col + " = ?))"
			args = append(args, f.Record.ID)
		}
		where = append(where, "e.id IN (SELECT l.entry_id FROM timeline_links l WHERE "+refs+")")
	}
	if kinds := validKinds(f.Kinds); len(kinds) > 0 {
		where = append(where, "e.kind IN (?"+strings.Repeat(", ?", len(kinds)-1)+")")
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	if terms := textsearch.Query(f.Query); len(terms) > 0 {
		cond, arg := t.db.Dialect().TextMatch("e.id", "timeline_fts", "e.search_text", terms)
		where = append(where, cond)
		args = append(args, arg)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 200)
	args = append(args, limit+1, max(f.Offset, 0))
	var entries []Entry
	err := t.db.Select(ctx, &entries, "SELECT "+entryColumns+` FROM timeline_entries e
		LEFT JOIN staff_users u ON u.id = e.author_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY e.occurred_at DESC, e.id DESC LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, false, fmt.Errorf("crm: list timeline: %w", err)
	}
	more := len(entries) > limit
	if more {
		entries = entries[:limit]
	}
	return entries, more, t.loadLinks(ctx, entries)
}

// Get loads one entry with its links.
func (t *Timeline) Get(ctx context.Context, id int64) (Entry, error) {
	var e Entry
	if err := t.db.Get(ctx, &e, "SELECT "+entryColumns+` FROM timeline_entries e
		LEFT JOIN staff_users u ON u.id = e.author_id WHERE e.id = ?`, id); err != nil {
		return Entry{}, fmt.Errorf("crm: load entry %d: %w", id, err)
	}
	entries := []Entry{e}
	err := t.loadLinks(ctx, entries)
	return entries[0], err
}

func (t *Timeline) loadLinks(ctx context.Context, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	ids := make([]any, len(entries))
	pos := map[int64]int{}
	for i, e := range entries {
		ids[i] = e.ID
		pos[e.ID] = i
	}
	var links []struct {
		EntryID int64 `db:"entry_id"`
		Ref
	}
	if err := t.db.Select(ctx, &links, `SELECT entry_id, record_type, record_id FROM timeline_links
		WHERE entry_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY record_type, record_id`, ids...); err != nil {
		return fmt.Errorf("crm: load entry links: %w", err)
	}
	for _, l := range links {
		i := pos[l.EntryID]
		entries[i].Links = append(entries[i].Links, l.Ref)
	}
	return nil
}

func validKinds(kinds []string) []string {
	var out []string
	for _, k := range kinds {
		if slices.Contains(EntryKinds, k) && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
