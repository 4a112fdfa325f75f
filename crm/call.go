package crm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/phone"
)

// Call outcomes.
var CallOutcomes = []string{"answered", "no_answer", "busy", "voicemail", "failed"}

// Triage states of calls and e-mails that matched no record.
const (
	TriageNone      = "none"
	TriagePending   = "pending"
	TriageDismissed = "dismissed"
)

// Call is a logged phone call.
type Call struct {
	ID          int64     `db:"id" json:"id"`
	EntryID     int64     `db:"entry_id" json:"entry_id"`
	Direction   string    `db:"direction" json:"direction"`
	Number      string    `db:"number" json:"number"`
	ContactID   *int64    `db:"contact_id" json:"contact_id,omitempty"`
	ContactName string    `db:"contact_name" json:"contact_name,omitempty"`
	StartedAt   time.Time `db:"started_at" json:"started_at"`
	DurationS   int       `db:"duration_s" json:"duration_s"`
	Outcome     string    `db:"outcome" json:"outcome"`
	Source      string    `db:"source" json:"source"`
	Triage      string    `db:"triage" json:"triage"`
	Note        string    `db:"note" json:"note"`
}

// CallInput is a call to log. A number that matches a contact links the call
// to that contact and its company; otherwise, without explicit links, the
// call waits in the triage list.
type CallInput struct {
	Direction string    `json:"direction"` // in, out
	Number    string    `json:"number"`
	ContactID *int64    `json:"contact_id"`
	StartedAt time.Time `json:"started_at"`
	DurationS int       `json:"duration_s"`
	Outcome   string    `json:"outcome"`
	Note      string    `json:"note"`
	Links     []Ref     `json:"links"`
	// Source and ExternalID identify imported calls ("asterisk", CDR uniqueid)
	// so that a re-import adds nothing.
	Source     string `json:"-"`
	ExternalID string `json:"-"`
}

// Calls is the call log service.
type Calls struct {
	db *db.DB
}

// NewCalls returns the call log service.
func NewCalls(d *db.DB) *Calls { return &Calls{db: d} }

const callColumns = `k.id, k.entry_id, k.direction, k.number, k.contact_id,
	COALESCE(TRIM(c.first_name || ' ' || c.last_name), '') AS contact_name,
	k.started_at, k.duration_s, k.outcome, k.source, k.triage, e.body AS note`

const callFrom = " FROM calls k JOIN timeline_entries e ON e.id = k.entry_id LEFT JOIN contacts c ON c.id = k.contact_id"

// Log records a call; it returns Unchanged when an imported call is already there.
func (s *Calls) Log(ctx context.Context, in CallInput) (Call, Outcome, error) {
	inv := &errs.Invalid{}
	if in.Direction != "in" && in.Direction != "out" {
		inv.Add("direction", "error.invalid")
	}
	if in.Outcome == "" {
		in.Outcome = "answered"
	}
	if !slices.Contains(CallOutcomes, in.Outcome) {
		inv.Add("outcome", "error.invalid")
	}
	if in.DurationS < 0 {
		inv.Add("duration_s", "error.invalid")
	}
	if n, err := normalizePhone(in.Number); err != nil {
		inv.Add("number", "error.phone_invalid")
	} else {
		in.Number = n
	}
	if in.StartedAt.IsZero() {
		in.StartedAt = time.Now().UTC()
	}
	if in.Source == "" {
		in.Source = "manual"
	}
	if err := inv.OrNil(); err != nil {
		return Call{}, 0, err
	}
	var id int64
	outcome := Inserted
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if in.ExternalID != "" {
			err := tx.Get(ctx, &id, "SELECT id FROM calls WHERE source = ? AND external_id = ?", in.Source, in.ExternalID)
			if err == nil {
				outcome = Unchanged
				return nil
			} else if !errors.Is(err, errs.ErrNotFound) {
				return fmt.Errorf("crm: find call %s: %w", in.ExternalID, err)
			}
		}
		links := slices.Clone(in.Links)
		if in.ContactID == nil && in.Number != "" {
			if found, err := ByPhone(ctx, tx, in.Number); err != nil {
				return err
			} else if len(found) > 0 {
				in.ContactID = &found[0].ID
			}
		}
		if in.ContactID != nil {
			var c Contact
			if err := tx.Get(ctx, &c, "SELECT "+contactColumns+contactFrom+" WHERE k.id = ?", *in.ContactID); err != nil {
				return fmt.Errorf("crm: call contact %d: %w", *in.ContactID, err)
			}
			links = append(links, Ref{RecordContact, c.ID}, c.Owner())
		}
		if err := checkRefs(ctx, tx, links); err != nil {
			return err
		}
		triage := TriageNone
		if len(links) == 0 {
			triage = TriagePending
		}
		entryID, err := AddEntry(ctx, tx, NewEntry{Kind: KindCall, OccurredAt: in.StartedAt, Title: callTitle(in),
			Body: strings.TrimSpace(in.Note), Links: links, SearchExtra: strings.TrimPrefix(in.Number, "+"),
			Data: map[string]any{"direction": in.Direction, "number": in.Number, "duration_s": in.DurationS, "outcome": in.Outcome}})
		if err != nil {
			return err
		}
		var ext *string
		if in.ExternalID != "" {
			ext = &in.ExternalID
		}
		id, err = db.InsertID(ctx, tx, `INSERT INTO calls (entry_id, direction, number, contact_id, started_at, duration_s,
			outcome, source, external_id, triage, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			entryID, in.Direction, in.Number, in.ContactID, in.StartedAt.UTC(), in.DurationS, in.Outcome, in.Source, ext,
			triage, time.Now().UTC())
		if err != nil {
			return fmt.Errorf("crm: log call: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "call.log", Entity: "call", EntityID: id})
	})
	if err != nil {
		return Call{}, 0, err
	}
	c, err := s.Get(ctx, id)
	return c, outcome, err
}

func callTitle(in CallInput) string {
	if in.Direction == "in" {
		return "← " + phone.Format(in.Number)
	}
	return "→ " + phone.Format(in.Number)
}

// Get loads a call.
func (s *Calls) Get(ctx context.Context, id int64) (Call, error) {
	var c Call
	if err := s.db.Get(ctx, &c, "SELECT "+callColumns+callFrom+" WHERE k.id = ?", id); err != nil {
		return Call{}, fmt.Errorf("crm: load call %d: %w", id, err)
	}
	return c, nil
}

// Triage lists the calls whose number matched no contact, newest first.
func (s *Calls) Triage(ctx context.Context, limit int) ([]Call, error) {
	var out []Call
	err := s.db.Select(ctx, &out, "SELECT "+callColumns+callFrom+" WHERE k.triage = ? ORDER BY k.started_at DESC, k.id DESC LIMIT ?",
		TriagePending, max(limit, 1))
	return out, err
}

// Assign links a triaged call to a contact (and its company) and, if asked,
// adds the number to the contact's phones so that the next call matches.
func (s *Calls) Assign(ctx context.Context, id, contactID int64, rememberNumber bool) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		var k Call
		if err := tx.Get(ctx, &k, "SELECT "+callColumns+callFrom+" WHERE k.id = ?", id); err != nil {
			return fmt.Errorf("crm: load call %d: %w", id, err)
		}
		var c Contact
		if err := tx.Get(ctx, &c, "SELECT "+contactColumns+contactFrom+" WHERE k.id = ?", contactID); err != nil {
			return fmt.Errorf("crm: contact %d: %w", contactID, err)
		}
		if err := linkEntry(ctx, tx, k.EntryID, []Ref{{RecordContact, c.ID}, c.Owner()}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE calls SET contact_id = ?, triage = ? WHERE id = ?", contactID, TriageNone, id); err != nil {
			return fmt.Errorf("crm: assign call %d: %w", id, err)
		}
		if rememberNumber && k.Number != "" {
			if _, err := tx.Exec(ctx, `INSERT INTO contact_phones (contact_id, number, label, position)
				VALUES (?, ?, '', (SELECT COUNT(*) FROM contact_phones WHERE contact_id = ?)) ON CONFLICT DO NOTHING`,
				contactID, k.Number, contactID); err != nil {
				return fmt.Errorf("crm: remember number: %w", err)
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "call.assign", Entity: "call", EntityID: id,
			Details: map[string]any{"contact": contactID}})
	})
}

// Dismiss removes a call from the triage list (it stays in the history).
func (s *Calls) Dismiss(ctx context.Context, id int64) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE calls SET triage = ? WHERE id = ? AND triage = ?", TriageDismissed, id, TriagePending)
		if err != nil {
			return fmt.Errorf("crm: dismiss call %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("crm: call %d in triage: %w", id, errs.ErrNotFound)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "call.dismiss", Entity: "call", EntityID: id})
	})
}
