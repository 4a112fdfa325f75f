package crm

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

func titles(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Title)
	}
	return out
}

func TestTimeline(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		acme, marie, forma := Ref{RecordClient, f.acme.ID}, Ref{RecordContact, f.marie.ID}, Ref{RecordProvider, f.forma.ID}
		base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		add := func(kind, title, body string, at time.Time, links ...Ref) {
			t.Helper()
			if _, err := f.timeline.Add(ctx, NewEntry{Kind: kind, Title: title, Body: body, OccurredAt: at, Links: links}); err != nil {
				t.Fatal(err)
			}
		}
		add(KindNote, "Plan de développement des compétences", "Besoin en comptabilité générale pour 12 salariés", base, acme)
		add(KindMeeting, "Réunion de lancement", "Présentation des formations Excel avancé", base.Add(time.Hour), marie)
		add(KindNote, "Tarifs 2027", "Grille tarifaire reçue, sécurité incendie", base.Add(2*time.Hour), forma)

		cases := []struct {
			name string
			f    TimelineFilter
			want []string
		}{
			{"client only", TimelineFilter{Record: &acme}, []string{"Plan de développement des compétences"}},
			{"client with contacts, newest first", TimelineFilter{Record: &acme, WithContacts: true},
				[]string{"Réunion de lancement", "Plan de développement des compétences"}},
			{"kind filter", TimelineFilter{Kinds: []string{KindMeeting}}, []string{"Réunion de lancement"}},
			{"accent-insensitive", TimelineFilter{Query: "comptabilite"}, []string{"Plan de développement des compétences"}},
			{"prefix and case", TimelineFilter{Query: "EXCEL AVANCES"}, []string{"Réunion de lancement"}},
			{"every word", TimelineFilter{Query: "securite tarif"}, []string{"Tarifs 2027"}},
			{"no match", TimelineFilter{Query: "securite excel"}, nil},
			{"stop words only", TimelineFilter{Query: "de la"}, nil},
			{"search within a record", TimelineFilter{Record: &forma, Query: "formation"}, nil},
		}
		for _, c := range cases {
			got, _, err := f.timeline.List(ctx, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if g := titles(got); len(g) != len(c.want) || (len(g) > 0 && (g[0] != c.want[0] || g[len(g)-1] != c.want[len(c.want)-1])) {
				t.Errorf("%s: got %q, want %q", c.name, g, c.want)
			}
		}
		// Pages.
		page, more, _ := f.timeline.List(ctx, TimelineFilter{Limit: 2})
		if len(page) != 2 || !more {
			t.Errorf("first page: %d more=%v", len(page), more)
		}
		// Invalid entries are refused; links to missing records too.
		if _, err := f.timeline.Add(ctx, NewEntry{Kind: KindNote, Body: "x"}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("unlinked note: %v", err)
		}
		if _, err := f.timeline.Add(ctx, NewEntry{Kind: KindNote, Body: "x", Links: []Ref{{RecordClient, 999}}}); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("link to a missing client: %v", err)
		}
		// The database refuses to change or delete an entry.
		if _, err := d.Exec(ctx, "UPDATE timeline_entries SET title = 'x'"); err == nil {
			t.Error("an entry was updated")
		}
		if _, err := d.Exec(ctx, "DELETE FROM timeline_entries"); err == nil {
			t.Error("entries were deleted")
		}
		// Links can be added later; the author is the staff actor.
		staffCtx := audit.WithActor(ctx, audit.Actor{Kind: audit.ActorStaff, ID: 0})
		e, _ := f.timeline.Add(staffCtx, NewEntry{Kind: KindNote, Body: "Appel à rappeler", Links: []Ref{acme}})
		if err := f.timeline.Link(ctx, e.ID, forma); err != nil {
			t.Fatal(err)
		}
		got, _ := f.timeline.Get(ctx, e.ID)
		if len(got.Links) != 2 {
			t.Errorf("links after Link: %v", got.Links)
		}
	})
}

func TestTasks(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		var staffID int64
		if err := d.ExecReturning(ctx, &staffID, `INSERT INTO staff_users (email, name, role, created_at, updated_at)
			VALUES ('c@courtier.test', 'Claire', 'consultant', ?, ?) RETURNING id`, time.Now().UTC(), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		tasks := NewTasks(d)
		day := func(offset int) *time.Time {
			t := time.Now().UTC().AddDate(0, 0, offset)
			return &t
		}
		acme := Ref{RecordClient, f.acme.ID}
		for _, n := range []NewTask{
			{Title: "Undated", AssigneeID: &staffID, Links: []Ref{acme}},
			{Title: "Next week", DueOn: day(7), AssigneeID: &staffID, Links: []Ref{acme}},
			{Title: "Overdue", DueOn: day(-3), AssigneeID: &staffID, Links: []Ref{acme}},
			{Title: "Someone else's", DueOn: day(-5)},
		} {
			if _, err := tasks.Create(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		mine, err := tasks.List(ctx, TaskFilter{AssigneeID: staffID})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, k := range mine {
			got = append(got, k.Title)
		}
		if len(got) != 3 || got[0] != "Overdue" || got[1] != "Next week" || got[2] != "Undated" {
			t.Errorf("my tasks: %q", got)
		}
		if !mine[0].Overdue(time.Now()) || mine[1].Overdue(time.Now()) {
			t.Error("overdue flags wrong")
		}
		done, err := tasks.SetDone(ctx, mine[0].ID, true)
		if err != nil || done.DoneAt == nil {
			t.Fatalf("done: %+v %v", done, err)
		}
		open, _ := tasks.List(ctx, TaskFilter{AssigneeID: staffID, OpenOnly: true})
		if len(open) != 2 {
			t.Errorf("open tasks after one done: %d", len(open))
		}
		entries, _, _ := f.timeline.List(ctx, TimelineFilter{Record: &acme, Kinds: []string{KindTask}})
		if len(entries) != 4 || entries[0].DataMap()["event"] != "done" {
			t.Errorf("task entries: %q", titles(entries))
		}
		if _, err := tasks.Create(ctx, NewTask{Title: " "}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("empty title: %v", err)
		}
	})
}

func TestCalls(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		calls := NewCalls(d)
		at := time.Date(2026, 4, 1, 8, 30, 0, 0, time.UTC)
		c, out, err := calls.Log(ctx, CallInput{Direction: "in", Number: "0612345678", StartedAt: at, DurationS: 95,
			Source: "asterisk", ExternalID: "1711958400.1"})
		if err != nil || out != Inserted || c.ContactID == nil || *c.ContactID != f.formaBob.ID || c.Triage != TriageNone {
			t.Fatalf("matched call: %+v %v %v", c, out, err)
		}
		if _, out, _ := calls.Log(ctx, CallInput{Direction: "in", Number: "0612345678", StartedAt: at,
			Source: "asterisk", ExternalID: "1711958400.1"}); out != Unchanged {
			t.Errorf("re-import: got %v, want Unchanged", out)
		}
		entries, _, _ := f.timeline.List(ctx, TimelineFilter{Record: &Ref{RecordProvider, f.forma.ID}, Kinds: []string{KindCall}})
		if len(entries) != 1 {
			t.Errorf("provider timeline calls: %d", len(entries))
		}
		unknown, _, err := calls.Log(ctx, CallInput{Direction: "in", Number: "+33 4 78 00 00 00", StartedAt: at, Outcome: "no_answer"})
		if err != nil || unknown.Triage != TriagePending {
			t.Fatalf("unknown number: %+v %v", unknown, err)
		}
		triage, _ := calls.Triage(ctx, 10)
		if len(triage) != 1 || triage[0].ID != unknown.ID {
			t.Errorf("triage: %+v", triage)
		}
		if err := calls.Assign(ctx, unknown.ID, f.paul.ID, true); err != nil {
			t.Fatal(err)
		}
		if again, _, _ := calls.Log(ctx, CallInput{Direction: "out", Number: "0478000000"}); again.ContactID == nil || *again.ContactID != f.paul.ID {
			t.Errorf("remembered number did not match: %+v", again)
		}
		if triage, _ := calls.Triage(ctx, 10); len(triage) != 0 {
			t.Errorf("triage after assign: %d", len(triage))
		}
		if _, _, err := calls.Log(ctx, CallInput{Direction: "sideways", Number: "abc"}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("bad call: %v", err)
		}
	})
}

func TestCountOverdue(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		var staffID int64
		if err := d.ExecReturning(ctx, &staffID, `INSERT INTO staff_users (email, name, role, created_at, updated_at)
			VALUES ('o@courtier.test', 'O', 'consultant', ?, ?) RETURNING id`, time.Now().UTC(), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		tasks := NewTasks(d)
		today := time.Date(2026, 6, 10, 15, 0, 0, 0, time.UTC)
		for _, due := range []time.Time{today.AddDate(0, 0, -1), today.AddDate(0, 0, -9), today, today.AddDate(0, 0, 1)} {
			if _, err := tasks.Create(ctx, NewTask{Title: "t", DueOn: &due, AssigneeID: &staffID, Links: []Ref{{RecordClient, f.acme.ID}}}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := tasks.CountOverdue(ctx, staffID, today); err != nil || n != 2 {
			t.Errorf("overdue: %d %v, want 2 (due today is not overdue)", n, err)
		}
	})
}
