package crm

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

// TestSeedRequests checks that generated history is one the services could
// have written: tracks equal to the replay of their changes, deliveries
// equal to their bookings, attendance complete on done sessions, a timeline
// entry per change, and ids that later inserts do not collide with.
func TestSeedRequests(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFlowFixture(t, d)
		ctx := f.ctx
		courses := NewCourses(d)
		for i := range 5 {
			p, err := f.providers.Create(ctx, ProviderInput{Name: fmt.Sprintf("Organisme %d", i), Email: fmt.Sprintf("of%d@of.test", i)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := courses.Save(ctx, p.ID, 0, CourseInput{Ref: "XL", Title: "Excel avancé"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.Exec(ctx, "UPDATE clients SET status = 'active'"); err != nil {
			t.Fatal(err)
		}
		const n = 600
		done := 0
		seeded := time.Now().UTC()
		if err := SeedRequests(ctx, d, n, 7, seeded, func(*rand.Rand) string { return "Excel avancé" },
			func(k int) { done = k }); err != nil {
			t.Fatal(err)
		}
		if done != n {
			t.Errorf("progress ended at %d", done)
		}

		var states []struct {
			requestState
			CreatedAt  time.Time `db:"created_at"`
			StageSince time.Time `db:"stage_since"`
		}
		if err := d.Select(ctx, &states, `SELECT id, client_id, status, sourcing, decision, funding, delivery, created_at,
			stage_since FROM requests`); err != nil {
			t.Fatal(err)
		}
		changes, err := trackChanges(ctx, d, "1 = 1")
		if err != nil {
			t.Fatal(err)
		}
		replayed, byRequest := map[int64]TrackState{}, map[int64][]TrackChange{}
		for _, c := range changes {
			byRequest[c.RequestID] = append(byRequest[c.RequestID], c)
			st, ok := replayed[c.RequestID]
			if !ok {
				st = InitialTracks
			}
			if _, ok := FindTransition(c.Track, c.From, c.To); !ok || st.Get(c.Track) != c.From {
				t.Fatalf("request %d: %s %s → %s from %+v", c.RequestID, c.Track, c.From, c.To, st)
			}
			replayed[c.RequestID] = st.With(c.Track, c.To)
		}
		stages := map[string]int{}
		for _, r := range states {
			want, ok := replayed[r.ID]
			if !ok {
				want = InitialTracks
			}
			if r.TrackState != want {
				t.Fatalf("request %d stored %+v, history says %+v", r.ID, r.TrackState, want)
			}
			if _, since := StageSince(r.CreatedAt, byRequest[r.ID]); !since.Equal(r.StageSince) {
				t.Fatalf("request %d: stage since %v stored, history says %v", r.ID, r.StageSince, since)
			}
			stages[r.Stage()]++
		}
		if len(states) != n || stages[StageDone] < n/2 || stages[StageDeclined] == 0 || stages[StageCancelled] == 0 ||
			stages[StageSourcing]+stages[StageProposal]+stages[StageQualifying]+stages[StageBooked]+stages[StageToBook] == 0 {
			t.Errorf("%d requests, stages %v", len(states), stages)
		}
		for _, check := range []struct{ what, sql string }{
			{"deliveries not matching their bookings", "SELECT COUNT(*) FROM requests r WHERE r.delivery <> " + deliveryExpr},
			{"done sessions with a missing mark", `SELECT COUNT(*) FROM bookings b JOIN booking_slots s ON s.booking_id = b.id
				JOIN booking_trainees bt ON bt.booking_id = b.id LEFT JOIN attendance a ON a.slot_id = s.id AND a.employee_id = bt.employee_id
				WHERE b.status = 'done' AND a.status IS NULL`},
			{"proposal lines not retained", `SELECT COUNT(*) FROM proposal_lines l JOIN consultations k ON k.id = l.consultation_id
				WHERE k.retained = FALSE OR k.status <> 'answered'`},
			{"changes without their timeline entry", `SELECT (SELECT COUNT(*) FROM request_track_changes) -
				(SELECT COUNT(*) FROM timeline_entries WHERE kind = 'status_change' AND title LIKE 'request %')`},
		} {
			var bad int
			if err := d.Get(ctx, &bad, check.sql); err != nil || bad != 0 {
				t.Errorf("%s: %d (%v)", check.what, bad, err)
			}
		}
		var future int
		if err := d.Get(ctx, &future, `SELECT (SELECT COUNT(*) FROM request_track_changes WHERE at > ?) +
			(SELECT COUNT(*) FROM consultations WHERE answered_at > ?)`, seeded, seeded); err != nil || future != 0 {
			t.Errorf("%d moves or answers after the seed's now (%v)", future, err)
		}
		var scored int
		if err := d.Get(ctx, &scored, `SELECT COUNT(*) FROM providers p WHERE p.answer_rate IS NOT NULL AND p.quality_score IS NOT NULL
			AND EXISTS (SELECT 1 FROM consultations k WHERE k.provider_id = p.id)`); err != nil || scored == 0 {
			t.Errorf("providers scored from their seeded history: %d (%v)", scored, err)
		}
		columns, err := f.requests.Pipeline(ctx, PipelineFilter{}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range columns {
			if c.Count != stages[c.Stage] || len(c.Items) != min(c.Count, pipelineItems) {
				t.Errorf("pipeline %s: %d listed of %d, seeded %d", c.Stage, len(c.Items), c.Count, stages[c.Stage])
			}
		}
		// The services go on after the seeded ids.
		r := f.newRequest(t, "Anglais des affaires")
		var max int64
		if err := d.Get(ctx, &max, "SELECT MAX(id) FROM requests"); err != nil || r.ID != max || r.ID <= n {
			t.Errorf("new request %d after the seed (max %d, %v)", r.ID, max, err)
		}
	})
}
