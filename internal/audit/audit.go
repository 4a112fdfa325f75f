// Package audit writes and reads the append-only audit log (audit_events):
// who did what to which record, when and from where.
//
// The web apps put the actor (user and IP) in the request context; domain
// code calls Record inside the transaction of the change it audits, so the
// change and its audit event commit or roll back together.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
)

// Actor kinds.
const (
	ActorStaff    = "staff"
	ActorExtranet = "extranet"
	ActorAPI      = "api"
	ActorSystem   = "system"
)

// Actor is who acts: a staff user, an extranet user, an API token's owner, or the system (CLI, jobs).
type Actor struct {
	Kind  string
	ID    int64
	Label string
	IP    string
}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of the context, or the system actor.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Kind: ActorSystem, Label: "system"}
}

// Event is one audited action, e.g. {Action: "client.update", Entity: "client", EntityID: 42}.
type Event struct {
	Action   string
	Entity   string
	EntityID int64
	Details  map[string]any
}

// Record appends the event, attributed to the context's actor, through q
// (pass the transaction of the change being audited).
func Record(ctx context.Context, q db.Querier, e Event) error {
	a := ActorFrom(ctx)
	details := []byte("{}")
	if len(e.Details) > 0 {
		var err error
		if details, err = json.Marshal(e.Details); err != nil {
			return fmt.Errorf("audit: encode details of %s: %w", e.Action, err)
		}
	}
	_, err := q.Exec(ctx, `INSERT INTO audit_events (at, actor_kind, actor_id, actor_label, action, entity, entity_id, ip, details)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		time.Now().UTC(), a.Kind, nullID(a.ID), a.Label, e.Action, e.Entity, nullID(e.EntityID), a.IP, string(details))
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Entry is a stored audit event.
type Entry struct {
	ID         int64     `db:"id" json:"id"`
	At         time.Time `db:"at" json:"at"`
	ActorKind  string    `db:"actor_kind" json:"actor_kind"`
	ActorID    *int64    `db:"actor_id" json:"actor_id,omitempty"`
	ActorLabel string    `db:"actor_label" json:"actor_label"`
	Action     string    `db:"action" json:"action"`
	Entity     string    `db:"entity" json:"entity,omitempty"`
	EntityID   *int64    `db:"entity_id" json:"entity_id,omitempty"`
	IP         string    `db:"ip" json:"ip,omitempty"`
	Details    string    `db:"details" json:"details"`
}

// Filter narrows a listing; zero values mean "any".
type Filter struct {
	Action   string
	Entity   string
	EntityID int64
	Limit    int
	Offset   int
}

// Log reads the audit log.
type Log struct {
	db *db.DB
}

// NewLog returns a reader of the audit log.
func NewLog(d *db.DB) *Log { return &Log{db: d} }

// List returns events newest first.
func (l *Log) List(ctx context.Context, f Filter) ([]Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	q := `SELECT id, at, actor_kind, actor_id, actor_label, action, entity, entity_id, ip, details
		FROM audit_events WHERE (? = '' OR action = ?) AND (? = '' OR entity = ?) AND (? = 0 OR entity_id = ?)
		ORDER BY id DESC LIMIT ? OFFSET ?`
	var out []Entry
	err := l.db.Select(ctx, &out, q, f.Action, f.Action, f.Entity, f.Entity, f.EntityID, f.EntityID, f.Limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return out, nil
}
