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

// Task is something a staff member must do, linked to records. Its creation
// and completion are written to the timeline.
type Task struct {
	ID           int64      `db:"id" json:"id"`
	EntryID      int64      `db:"entry_id" json:"entry_id"`
	Title        string     `db:"title" json:"title"`
	Notes        string     `db:"notes" json:"notes"`
	DueOn        *time.Time `db:"due_on" json:"due_on,omitempty"`
	AssigneeID   *int64     `db:"assignee_id" json:"assignee_id,omitempty"`
	AssigneeName string     `db:"assignee_name" json:"assignee_name,omitempty"`
	DoneAt       *time.Time `db:"done_at" json:"done_at,omitempty"`
	CreatedAt    time.Time  `db:"created_at" json:"created_at"`
	Links        []Ref      `db:"-" json:"links"`
}

// Overdue reports whether the task is open and its due date is before today (Paris).
func (t Task) Overdue(today time.Time) bool {
	return t.DoneAt == nil && t.DueOn != nil && t.DueOn.Format(time.DateOnly) < today.Format(time.DateOnly)
}

// NewTask is a task to create.
type NewTask struct {
	Title      string     `json:"title"`
	Notes      string     `json:"notes"`
	DueOn      *time.Time `json:"due_on"`
	AssigneeID *int64     `json:"assignee_id"`
	Links      []Ref      `json:"links"`
}

// Tasks is the task service.
type Tasks struct {
	db *db.DB
}

// NewTasks returns the task service.
func NewTasks(d *db.DB) *Tasks { return &Tasks{db: d} }

const taskColumns = `t.id, t.entry_id, t.title, t.notes, t.due_on, t.assignee_id, COALESCE(u.name, '') AS assignee_name,
	t.done_at, t.created_at`

const taskFrom = " FROM tasks t LEFT JOIN staff_users u ON u.id = t.assignee_id"

// Create adds a task and its timeline entry.
func (s *Tasks) Create(ctx context.Context, in NewTask) (Task, error) {
	in.Title, in.Notes = strings.TrimSpace(in.Title), strings.TrimSpace(in.Notes)
	if in.Title == "" {
		return Task{}, errs.NewInvalid("title", "error.required")
	}
	if in.DueOn != nil {
		d := time.Date(in.DueOn.Year(), in.DueOn.Month(), in.DueOn.Day(), 0, 0, 0, 0, time.UTC)
		in.DueOn = &d
	}
	if in.AssigneeID != nil && *in.AssigneeID == 0 {
		in.AssigneeID = nil
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := checkRefs(ctx, tx, in.Links); err != nil {
			return err
		}
		data := map[string]any{"event": "created"}
		if in.DueOn != nil {
			data["due_on"] = in.DueOn.Format(time.DateOnly)
		}
		entryID, err := AddEntry(ctx, tx, NewEntry{Kind: KindTask, Title: in.Title, Body: in.Notes, Data: data, Links: in.Links})
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		var by *int64
		if a := audit.ActorFrom(ctx); a.ID != 0 && a.Kind != audit.ActorExtranet {
			by = &a.ID
		}
		id, err = db.InsertID(ctx, tx, `INSERT INTO tasks (entry_id, title, notes, due_on, assignee_id, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, entryID, in.Title, in.Notes, in.DueOn, in.AssigneeID, by, now, now)
		if err != nil {
			return fmt.Errorf("crm: create task: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "task.create", Entity: "task", EntityID: id})
	})
	if err != nil {
		return Task{}, err
	}
	return s.Get(ctx, id)
}

// SetDone marks a task done or open again, and says so in the timeline.
func (s *Tasks) SetDone(ctx context.Context, id int64, done bool) (Task, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var t Task
		if err := tx.Get(ctx, &t, "SELECT "+taskColumns+taskFrom+" WHERE t.id = ?", id); err != nil {
			return fmt.Errorf("crm: load task %d: %w", id, err)
		}
		if (t.DoneAt != nil) == done {
			return nil
		}
		now := time.Now().UTC()
		var doneAt *time.Time
		var doneBy *int64
		event := "reopened"
		if done {
			doneAt, event = &now, "done"
			if a := audit.ActorFrom(ctx); a.ID != 0 {
				doneBy = &a.ID
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE tasks SET done_at = ?, done_by = ?, updated_at = ? WHERE id = ?", doneAt, doneBy, now, id); err != nil {
			return fmt.Errorf("crm: update task %d: %w", id, err)
		}
		var links []Ref
		if err := tx.Select(ctx, &links, "SELECT record_type, record_id FROM timeline_links WHERE entry_id = ?", t.EntryID); err != nil {
			return fmt.Errorf("crm: task %d links: %w", id, err)
		}
		if _, err := AddEntry(ctx, tx, NewEntry{Kind: KindTask, Title: t.Title, Links: links,
			Data: map[string]any{"event": event, "task_id": id}}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "task." + event, Entity: "task", EntityID: id})
	})
	if err != nil {
		return Task{}, err
	}
	return s.Get(ctx, id)
}

// Get loads a task with its links.
func (s *Tasks) Get(ctx context.Context, id int64) (Task, error) {
	var t Task
	if err := s.db.Get(ctx, &t, "SELECT "+taskColumns+taskFrom+" WHERE t.id = ?", id); err != nil {
		return Task{}, fmt.Errorf("crm: load task %d: %w", id, err)
	}
	tasks := []Task{t}
	err := s.loadLinks(ctx, tasks)
	return tasks[0], err
}

// TaskFilter selects tasks.
type TaskFilter struct {
	AssigneeID int64
	Record     *Ref
	// Open only; otherwise open and done of the last 30 days.
	OpenOnly bool
	Limit    int
}

// List returns tasks, open ones first, overdue and soonest due first, then
// undated, then the recently done.
func (s *Tasks) List(ctx context.Context, f TaskFilter) ([]Task, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.AssigneeID != 0 {
		where, args = append(where, "t.assignee_id = ?"), append(args, f.AssigneeID)
	}
	if f.Record != nil {
		where = append(where, "t.entry_id IN (SELECT entry_id FROM timeline_links WHERE record_type = ? AND record_id = ?)")
		args = append(args, f.Record.Type, f.Record.ID)
	}
	if f.OpenOnly {
		where = append(where, "t.done_at IS NULL")
	} else {
		where, args = append(where, "(t.done_at IS NULL OR t.done_at > ?)"), append(args, time.Now().UTC().AddDate(0, 0, -30))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 200
	}
	var tasks []Task
	err := s.db.Select(ctx, &tasks, "SELECT "+taskColumns+taskFrom+" WHERE "+strings.Join(where, " AND ")+`
		ORDER BY CASE WHEN t.done_at IS NULL THEN 0 ELSE 1 END, CASE WHEN t.due_on IS NULL THEN 1 ELSE 0 END,
		t.due_on, t.done_at DESC, t.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("crm: list tasks: %w", err)
	}
	return tasks, s.loadLinks(ctx, tasks)
}

// CountOverdue counts the open tasks of an assignee due before today (a
// date in the broker's time zone, Europe/Paris).
func (s *Tasks) CountOverdue(ctx context.Context, assigneeID int64, today time.Time) (int, error) {
	var n int
	err := s.db.Get(ctx, &n, "SELECT COUNT(*) FROM tasks WHERE assignee_id = ? AND done_at IS NULL AND due_on < ?",
		assigneeID, time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC))
	return n, err
}

// loadLinks loads the links of all the tasks in one query.
func (s *Tasks) loadLinks(ctx context.Context, tasks []Task) error {
	if len(tasks) == 0 {
		return nil
	}
	ids := make([]any, len(tasks))
	pos := map[int64]int{}
	for i, t := range tasks {
		ids[i], pos[t.EntryID] = t.EntryID, i
	}
	var links []struct {
		EntryID int64 `db:"entry_id"`
		Ref
	}
	if err := s.db.Select(ctx, &links, `SELECT entry_id, record_type, record_id FROM timeline_links
		WHERE entry_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY record_type, record_id`, ids...); err != nil {
		return fmt.Errorf("crm: task links: %w", err)
	}
	for _, l := range links {
		i := pos[l.EntryID]
		tasks[i].Links = append(tasks[i].Links, l.Ref)
	}
	return nil
}
