package crm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

// trackStates lists every state of every track.
var trackStates = map[string][]string{
	TrackRequest:  {RequestOpen, RequestCancelled},
	TrackSourcing: {SourcingQualifying, SourcingConsulting, SourcingQuotesIn, SourcingProposalSent},
	TrackDecision: {DecisionPending, DecisionAccepted, DecisionDeclined},
	TrackFunding:  {FundingNotNeeded, FundingRequested, FundingAgreed, FundingRefused},
	TrackDelivery: {DeliveryNone, DeliveryBooked, DeliveryDone},
}

// TestTransitions checks every pair of states of every track: the allowed
// moves (written out here, independently of the table) pass checkMove when
// they carry what they need, and every other pair is refused.
func TestTransitions(t *testing.T) {
	allowed := map[string]string{ // "track from>to": m when manual, and what the move needs (reason, amount)
		"request open>cancelled":            "m reason",
		"request cancelled>open":            "m",
		"sourcing qualifying>consulting":    "",
		"sourcing consulting>quotes_in":     "m",
		"sourcing quotes_in>consulting":     "",
		"sourcing consulting>proposal_sent": "",
		"sourcing quotes_in>proposal_sent":  "",
		"sourcing proposal_sent>consulting": "",
		"decision pending>accepted":         "",
		"decision pending>declined":         "reason",
		"decision declined>pending":         "",
		"funding not_needed>requested":      "m",
		"funding requested>agreed":          "m amount",
		"funding requested>refused":         "m reason",
		"funding requested>not_needed":      "m reason",
		"funding refused>requested":         "m",
		"funding refused>not_needed":        "m",
		"delivery none>booked":              "",
		"delivery booked>done":              "",
		"delivery booked>none":              "",
		"delivery done>booked":              "",
	}
	if len(Transitions) != len(allowed) {
		t.Errorf("the table has %d moves, the test knows %d", len(Transitions), len(allowed))
	}
	amount := int64(120000)
	for track, states := range trackStates {
		for _, from := range states {
			for _, to := range states {
				key := fmt.Sprintf("%s %s>%s", track, from, to)
				needs, ok := allowed[key]
				full := move{Track: track, From: from, To: to, Reason: "parce que", Amount: &amount}
				bare := move{Track: track, From: from, To: to}
				tr, found := FindTransition(track, from, to)
				switch {
				case !ok:
					if found || !isInvalid(checkMove(full), track) {
						t.Errorf("%s: allowed, want refused", key)
					}
				case checkMove(full) != nil:
					t.Errorf("%s: refused (%v), want allowed", key, checkMove(full))
				case tr.Manual != slices.Contains(strings.Fields(needs), "m"):
					t.Errorf("%s: manual %v, want %q", key, tr.Manual, needs)
				}
				if !ok {
					continue
				}
				err := checkMove(bare)
				wantReason, wantAmount := strings.Contains(needs, "reason"), strings.Contains(needs, "amount")
				if isInvalid(err, "reason") != wantReason || isInvalid(err, "amount_cents") != wantAmount {
					t.Errorf("%s without reason nor amount: got %v, want reason %v amount %v", key, err, wantReason, wantAmount)
				}
			}
		}
	}
	zero := int64(0)
	if err := checkMove(move{Track: TrackFunding, From: FundingRequested, To: FundingAgreed, Amount: &zero}); !isInvalid(err, "amount_cents") {
		t.Errorf("funding agreed for 0: got %v", err)
	}
}

// isInvalid reports whether err is an *errs.Invalid naming field.
func isInvalid(err error, field string) bool {
	var inv *errs.Invalid
	return errors.As(err, &inv) && inv.Fields[field] != ""
}

func TestCanBookAndStage(t *testing.T) {
	st := func(status, sourcing, decision, funding, delivery string) TrackState {
		return TrackState{status, sourcing, decision, funding, delivery}
	}
	cases := []struct {
		state   TrackState
		stage   string
		blocked []string // fields CanBook names; none = booking allowed
	}{
		{InitialTracks, StageQualifying, []string{"decision"}},
		{st("open", "consulting", "pending", "not_needed", "none"), StageSourcing, []string{"decision"}},
		{st("open", "quotes_in", "pending", "requested", "none"), StageSourcing, []string{"decision", "funding"}},
		{st("open", "proposal_sent", "pending", "not_needed", "none"), StageProposal, []string{"decision"}},
		{st("open", "proposal_sent", "accepted", "not_needed", "none"), StageToBook, nil},
		{st("open", "proposal_sent", "accepted", "agreed", "none"), StageToBook, nil},
		{st("open", "proposal_sent", "accepted", "requested", "none"), StageFunding, []string{"funding"}},
		{st("open", "proposal_sent", "accepted", "refused", "none"), StageFunding, []string{"funding"}},
		{st("open", "consulting", "accepted", "not_needed", "none"), StageToBook, nil}, // consulting again after acceptance
		{st("open", "proposal_sent", "declined", "not_needed", "none"), StageDeclined, []string{"decision"}},
		{st("open", "proposal_sent", "accepted", "not_needed", "booked"), StageBooked, nil},
		{st("open", "proposal_sent", "accepted", "agreed", "done"), StageDone, nil},
		{st("cancelled", "proposal_sent", "accepted", "not_needed", "none"), StageCancelled, []string{"status"}},
		{st("cancelled", "qualifying", "pending", "refused", "none"), StageCancelled, []string{"status", "decision", "funding"}},
	}
	for _, c := range cases {
		if got := c.state.Stage(); got != c.stage {
			t.Errorf("%+v: stage %s, want %s", c.state, got, c.stage)
		}
		err := c.state.CanBook()
		if (err == nil) != (len(c.blocked) == 0) {
			t.Errorf("%+v: CanBook %v, want blocked by %v", c.state, err, c.blocked)
		}
		for _, f := range c.blocked {
			if !isInvalid(err, f) {
				t.Errorf("%+v: CanBook %v, want %s named", c.state, err, f)
			}
		}
	}
	for _, s := range Stages {
		if want := s != StageDone && s != StageDeclined && s != StageCancelled; OpenStage(s) != want {
			t.Errorf("OpenStage(%s) = %v", s, !want)
		}
	}
}

func TestStageSince(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	at := func(days int) time.Time { return t0.AddDate(0, 0, days) }
	changes := []TrackChange{
		{Track: TrackSourcing, From: SourcingQualifying, To: SourcingConsulting, At: at(1)},
		{Track: TrackFunding, From: FundingNotNeeded, To: FundingRequested, At: at(2)}, // same stage: sourcing
		{Track: TrackSourcing, From: SourcingConsulting, To: SourcingQuotesIn, At: at(5)},
		{Track: TrackSourcing, From: SourcingQuotesIn, To: SourcingProposalSent, At: at(6)},
		{Track: TrackDecision, From: DecisionPending, To: DecisionAccepted, At: at(8)},
	}
	cases := []struct {
		n     int
		stage string
		since time.Time
	}{
		{0, StageQualifying, t0},
		{2, StageSourcing, at(1)},
		{3, StageSourcing, at(1)}, // quotes in: still sourcing, since the first consultation
		{4, StageProposal, at(6)},
		{5, StageFunding, at(8)}, // accepted while the OPCO file is pending
	}
	for _, c := range cases {
		stage, since := StageSince(t0, changes[:c.n])
		if stage != c.stage || !since.Equal(c.since) {
			t.Errorf("after %d changes: %s since %s, want %s since %s", c.n, stage, since, c.stage, c.since)
		}
	}
}

func TestNextAction(t *testing.T) {
	st := func(sourcing, decision, funding, delivery string) TrackState {
		return TrackState{RequestOpen, sourcing, decision, funding, delivery}
	}
	sourcing := st(SourcingConsulting, DecisionPending, FundingNotNeeded, DeliveryNone)
	cases := []struct {
		name  string
		state TrackState
		facts requestFacts
		want  string
	}{
		{"nobody consulted", InitialTracks, requestFacts{}, ActionConsult},
		{"waiting on providers", sourcing, requestFacts{OpenConsultations: 3}, ""},
		{"one provider late", sourcing, requestFacts{OpenConsultations: 2, OverdueConsultations: 1, Answered: 1}, ActionRemind},
		{"all answered, none retained", st(SourcingQuotesIn, DecisionPending, FundingNotNeeded, DeliveryNone), requestFacts{Answered: 2}, ActionCompare},
		{"all declined", st(SourcingQuotesIn, DecisionPending, FundingNotNeeded, DeliveryNone), requestFacts{}, ActionConsult},
		{"retained, no proposal", st(SourcingQuotesIn, DecisionPending, FundingNotNeeded, DeliveryNone), requestFacts{Answered: 2, Retained: 1}, ActionPropose},
		{"retained while others late", sourcing, requestFacts{OpenConsultations: 1, OverdueConsultations: 1, Answered: 1, Retained: 1}, ActionPropose},
		{"proposal awaiting client", st(SourcingProposalSent, DecisionPending, FundingNotNeeded, DeliveryNone), requestFacts{LiveProposals: 1}, ""},
		{"proposal expired", st(SourcingProposalSent, DecisionPending, FundingNotNeeded, DeliveryNone), requestFacts{LiveProposals: 1, ExpiredProposals: 1}, ActionProposalExpired},
		{"waiting on the OPCO", st(SourcingProposalSent, DecisionAccepted, FundingRequested, DeliveryNone), requestFacts{}, ""},
		{"funding refused", st(SourcingProposalSent, DecisionAccepted, FundingRefused, DeliveryNone), requestFacts{}, ActionFunding},
		{"to book", st(SourcingProposalSent, DecisionAccepted, FundingAgreed, DeliveryNone), requestFacts{}, ActionBook},
		{"session ahead", st(SourcingProposalSent, DecisionAccepted, FundingNotNeeded, DeliveryBooked), requestFacts{}, ""},
		{"session past", st(SourcingProposalSent, DecisionAccepted, FundingNotNeeded, DeliveryBooked), requestFacts{PastSessions: 1}, ActionAttendance},
		{"declined", st(SourcingProposalSent, DecisionDeclined, FundingNotNeeded, DeliveryNone), requestFacts{Answered: 2, Retained: 1}, ""},
		{"done", st(SourcingProposalSent, DecisionAccepted, FundingNotNeeded, DeliveryDone), requestFacts{}, ""},
	}
	for _, c := range cases {
		if got := nextAction(c.state, c.facts); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// TestStageConds checks the SQL of each stage against Stage on every
// combination of tracks, on both databases.
func TestStageConds(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		client, err := NewClients(d).Create(ctx, ClientInput{LegalName: "Acme"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]int64{}
		now := time.Now().UTC()
		for _, status := range []string{RequestOpen, RequestCancelled} {
			for _, sourcing := range []string{SourcingQualifying, SourcingConsulting, SourcingQuotesIn, SourcingProposalSent} {
				for _, decision := range []string{DecisionPending, DecisionAccepted, DecisionDeclined} {
					for _, funding := range []string{FundingNotNeeded, FundingRequested, FundingAgreed, FundingRefused} {
						for _, delivery := range []string{DeliveryNone, DeliveryBooked, DeliveryDone} {
							var id int64
							if err := d.ExecReturning(ctx, &id, `INSERT INTO requests (client_id, kind, topic, trainees, format, channel,
								status, sourcing, decision, funding, delivery, created_at, updated_at)
								VALUES (?, 'collective', 'Excel', 1, 'intra', 'phone', ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
								client.ID, status, sourcing, decision, funding, delivery, now, now); err != nil {
								t.Fatal(err)
							}
							st := TrackState{status, sourcing, decision, funding, delivery}.Stage()
							want[st] = append(want[st], id)
						}
					}
				}
			}
		}
		requests := NewRequests(d)
		total := 0
		for _, stage := range Stages {
			rows, n, err := requests.List(ctx, RequestFilter{Stage: stage, Page: Page{Size: 500}})
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, r := range rows {
				got = append(got, r.ID)
			}
			slices.Sort(got)
			if n != len(want[stage]) || !slices.Equal(got, want[stage]) {
				t.Errorf("stage %s: SQL finds %v, Stage says %v", stage, got, want[stage])
			}
			total += n
		}
		if total != 2*4*3*4*3 {
			t.Errorf("the stages cover %d of 288 requests", total)
		}
		if _, _, err := requests.List(ctx, RequestFilter{Stage: "lost"}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("unknown stage: %v", err)
		}
	})
}
