package crm

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// The tracks of a request. They advance independently: providers are
// consulted while the client's approval and the funding file run beside.
// Request is the lifecycle (open or cancelled); Delivery follows the
// bookings: it moves whenever they change, never by hand.
const (
	TrackRequest  = "request"
	TrackSourcing = "sourcing"
	TrackDecision = "decision"
	TrackFunding  = "funding"
	TrackDelivery = "delivery"
)

// Track states.
const (
	RequestOpen      = "open"
	RequestCancelled = "cancelled"

	SourcingQualifying   = "qualifying"
	SourcingConsulting   = "consulting"
	SourcingQuotesIn     = "quotes_in"
	SourcingProposalSent = "proposal_sent"

	DecisionPending  = "pending"
	DecisionAccepted = "accepted"
	DecisionDeclined = "declined"

	FundingNotNeeded = "not_needed"
	FundingRequested = "requested"
	FundingAgreed    = "agreed"
	FundingRefused   = "refused"

	DeliveryNone   = "none"
	DeliveryBooked = "booked"
	DeliveryDone   = "done"
)

// Transition is an allowed move of a track.
type Transition struct {
	Track, From, To string
	// Manual moves may also be made by hand, with Requests.Advance; the
	// others only follow events: consultations sent or answered, a proposal
	// sent or decided, a booking made, done or cancelled.
	Manual bool
	// NeedsReason and NeedsAmount: the move must say why, or for how much.
	NeedsReason, NeedsAmount bool
}

// Transitions is every allowed move; any other is refused.
var Transitions = []Transition{
	{Track: TrackRequest, From: RequestOpen, To: RequestCancelled, Manual: true, NeedsReason: true},
	{Track: TrackRequest, From: RequestCancelled, To: RequestOpen, Manual: true},

	{Track: TrackSourcing, From: SourcingQualifying, To: SourcingConsulting},             // first providers consulted
	{Track: TrackSourcing, From: SourcingConsulting, To: SourcingQuotesIn, Manual: true}, // every consultation closed, or staff has enough
	{Track: TrackSourcing, From: SourcingQuotesIn, To: SourcingConsulting},               // more providers consulted
	{Track: TrackSourcing, From: SourcingConsulting, To: SourcingProposalSent},           // proposal sent before every provider answered
	{Track: TrackSourcing, From: SourcingQuotesIn, To: SourcingProposalSent},
	{Track: TrackSourcing, From: SourcingProposalSent, To: SourcingConsulting}, // looking again, e.g. after a declined proposal

	{Track: TrackDecision, From: DecisionPending, To: DecisionAccepted},
	{Track: TrackDecision, From: DecisionPending, To: DecisionDeclined, NeedsReason: true},
	{Track: TrackDecision, From: DecisionDeclined, To: DecisionPending}, // a new proposal is sent

	{Track: TrackFunding, From: FundingNotNeeded, To: FundingRequested, Manual: true},
	{Track: TrackFunding, From: FundingRequested, To: FundingAgreed, Manual: true, NeedsAmount: true},
	{Track: TrackFunding, From: FundingRequested, To: FundingRefused, Manual: true, NeedsReason: true},
	{Track: TrackFunding, From: FundingRequested, To: FundingNotNeeded, Manual: true, NeedsReason: true}, // file withdrawn
	{Track: TrackFunding, From: FundingRefused, To: FundingRequested, Manual: true},                      // filed again
	{Track: TrackFunding, From: FundingRefused, To: FundingNotNeeded, Manual: true},                      // the client pays itself

	{Track: TrackDelivery, From: DeliveryNone, To: DeliveryBooked},
	{Track: TrackDelivery, From: DeliveryBooked, To: DeliveryDone},
	{Track: TrackDelivery, From: DeliveryBooked, To: DeliveryNone}, // every booking cancelled
	{Track: TrackDelivery, From: DeliveryDone, To: DeliveryBooked}, // another session booked
}

// FindTransition returns the move of track from → to, if it is allowed.
func FindTransition(track, from, to string) (Transition, bool) {
	for _, t := range Transitions {
		if t.Track == track && t.From == from && t.To == to {
			return t, true
		}
	}
	return Transition{}, false
}

// TrackState is where each track of a request stands.
type TrackState struct {
	Status   string `db:"status" json:"status"`
	Sourcing string `db:"sourcing" json:"sourcing"`
	Decision string `db:"decision" json:"decision"`
	Funding  string `db:"funding" json:"funding"`
	Delivery string `db:"delivery" json:"delivery"`
}

// InitialTracks is the state of a new request.
var InitialTracks = TrackState{RequestOpen, SourcingQualifying, DecisionPending, FundingNotNeeded, DeliveryNone}

// Get returns the state of one track.
func (s TrackState) Get(track string) string {
	switch track {
	case TrackRequest:
		return s.Status
	case TrackSourcing:
		return s.Sourcing
	case TrackDecision:
		return s.Decision
	case TrackFunding:
		return s.Funding
	case TrackDelivery:
		return s.Delivery
	}
	return ""
}

// With returns the state with one track moved to v.
func (s TrackState) With(track, v string) TrackState {
	switch track {
	case TrackRequest:
		s.Status = v
	case TrackSourcing:
		s.Sourcing = v
	case TrackDecision:
		s.Decision = v
	case TrackFunding:
		s.Funding = v
	case TrackDelivery:
		s.Delivery = v
	}
	return s
}

// CanBook is the one rule that allows a booking: the request is open, the
// client accepted a proposal, and funding is settled — not needed, or
// agreed. A refused funding must be filed again or dropped (the client then
// pays) before booking. The error names each blocking track.
func (s TrackState) CanBook() error {
	inv := &errs.Invalid{}
	if s.Status != RequestOpen {
		inv.Add("status", "error.request_cancelled")
	}
	if s.Decision != DecisionAccepted {
		inv.Add("decision", "error.decision_not_accepted")
	}
	if s.Funding != FundingNotNeeded && s.Funding != FundingAgreed {
		inv.Add("funding", "error.funding_not_settled")
	}
	return inv.OrNil()
}

// Request stages, derived from the tracks in this order.
const (
	StageQualifying = "qualifying" // nobody consulted yet
	StageSourcing   = "sourcing"   // providers consulted, answers coming in
	StageProposal   = "proposal"   // a proposal sent, the client's decision awaited
	StageFunding    = "funding"    // accepted, funding not settled
	StageToBook     = "to_book"    // every track allows a booking
	StageBooked     = "booked"     // sessions booked, not all done
	StageDone       = "done"       // every session done
	StageDeclined   = "declined"   // the client declined the proposal
	StageCancelled  = "cancelled"
)

// Stages lists the stages in pipeline order; the last three are closed.
var Stages = []string{StageQualifying, StageSourcing, StageProposal, StageFunding, StageToBook, StageBooked,
	StageDone, StageDeclined, StageCancelled}

// stageConds select the requests of each stage in SQL: Stage's rules, in
// its order, as conditions on the tracks (a test checks them against Stage
// on every combination of tracks).
var stageConds = map[string]string{
	StageCancelled:  "r.status = 'cancelled'",
	StageDone:       "r.status = 'open' AND r.delivery = 'done'",
	StageBooked:     "r.status = 'open' AND r.delivery = 'booked'",
	StageDeclined:   "r.status = 'open' AND r.delivery = 'none' AND r.decision = 'declined'",
	StageToBook:     "r.status = 'open' AND r.delivery = 'none' AND r.decision = 'accepted' AND r.funding IN ('not_needed', 'agreed')",
	StageFunding:    "r.status = 'open' AND r.delivery = 'none' AND r.decision = 'accepted' AND r.funding IN ('requested', 'refused')",
	StageProposal:   "r.status = 'open' AND r.delivery = 'none' AND r.decision = 'pending' AND r.sourcing = 'proposal_sent'",
	StageQualifying: "r.status = 'open' AND r.delivery = 'none' AND r.decision = 'pending' AND r.sourcing = 'qualifying'",
	StageSourcing:   "r.status = 'open' AND r.delivery = 'none' AND r.decision = 'pending' AND r.sourcing IN ('consulting', 'quotes_in')",
}

// Stage derives the request's overall stage from its tracks.
func (s TrackState) Stage() string {
	switch {
	case s.Status == RequestCancelled:
		return StageCancelled
	case s.Delivery == DeliveryDone:
		return StageDone
	case s.Delivery == DeliveryBooked:
		return StageBooked
	case s.Decision == DecisionDeclined:
		return StageDeclined
	case s.Decision == DecisionAccepted && s.CanBook() == nil:
		return StageToBook
	case s.Decision == DecisionAccepted:
		return StageFunding
	case s.Sourcing == SourcingProposalSent:
		return StageProposal
	case s.Sourcing == SourcingQualifying:
		return StageQualifying
	}
	return StageSourcing
}

// OpenStage reports whether a stage still needs work (not done, declined or cancelled).
func OpenStage(stage string) bool {
	return stage != StageDone && stage != StageDeclined && stage != StageCancelled
}

// TrackChange is one move of a track, from the history.
type TrackChange struct {
	ID             int64     `db:"id" json:"id"`
	RequestID      int64     `db:"request_id" json:"request_id"`
	Track          string    `db:"track" json:"track"`
	From           string    `db:"from_status" json:"from"`
	To             string    `db:"to_status" json:"to"`
	At             time.Time `db:"at" json:"at"`
	StaffUserID    *int64    `db:"staff_user_id" json:"staff_user_id,omitempty"`
	ExtranetUserID *int64    `db:"extranet_user_id" json:"extranet_user_id,omitempty"`
	ByName         string    `db:"by_name" json:"by_name"`
	Reason         string    `db:"reason" json:"reason"`
	AmountCents    *int64    `db:"amount_cents" json:"amount_cents,omitempty"`
}

// StageSince replays a request's changes (oldest first) from its creation
// and returns its current stage and when that stage began.
func StageSince(created time.Time, changes []TrackChange) (string, time.Time) {
	state, since := InitialTracks, created
	stage := state.Stage()
	for _, c := range changes {
		state = state.With(c.Track, c.To)
		if s := state.Stage(); s != stage {
			stage, since = s, c.At
		}
	}
	return stage, since
}

// trackColumns are the requests columns holding each track.
var trackColumns = map[string]string{TrackRequest: "status", TrackSourcing: "sourcing", TrackDecision: "decision",
	TrackFunding: "funding", TrackDelivery: "delivery"}

// move is a change of one track of a request, made inside a transaction.
type move struct {
	Track, From, To string
	Reason          string
	Amount          *int64
	// Links are the records the change concerns besides the request and its
	// client (a provider, a consultation, a proposal, a booking).
	Links []Ref
}

// checkMove refuses a move the transition table does not allow, or that
// lacks its reason or amount.
func checkMove(m move) error {
	t, ok := FindTransition(m.Track, m.From, m.To)
	if !ok {
		return errs.NewInvalid(m.Track, "error.transition_refused")
	}
	inv := &errs.Invalid{}
	if t.NeedsReason && m.Reason == "" {
		inv.Add("reason", "error.reason_required")
	}
	if t.NeedsAmount && (m.Amount == nil || *m.Amount <= 0) {
		inv.Add("amount_cents", "error.amount_required")
	}
	return inv.OrNil()
}

// changeTrack applies a move to request id of client clientID: it checks
// the transition table, updates the track's column (only if it still holds
// From, so a concurrent change is a conflict), and appends the history row,
// the timeline entry and the audit event, all through tx.
func changeTrack(ctx context.Context, tx db.Querier, id, clientID int64, m move) error {
	if err := checkMove(m); err != nil {
		return err
	}
	now := time.Now().UTC()
	if col, ok := trackColumns[m.Track]; ok {
		set, args := col+" = ?", []any{m.To}
		if m.Track == TrackFunding && m.To == FundingAgreed {
			set, args = set+", funding_amount_cents = ?", append(args, *m.Amount)
		}
		// The row as this move left it (locked by the UPDATE) tells whether
		// the derived stage changed, and so when the new one began.
		var after TrackState
		err := tx.Get(ctx, &after, "UPDATE requests SET "+set+", updated_at = ? WHERE id = ? AND "+col+" = ? "+
			"RETURNING status, sourcing, decision, funding, delivery", append(args, now, id, m.From)...)
		if errors.Is(err, errs.ErrNotFound) {
			return fmt.Errorf("crm: request %d %s is no longer %s: %w", id, m.Track, m.From, errs.ErrConflict)
		} else if err != nil {
			return fmt.Errorf("crm: request %d %s: %w", id, m.Track, err)
		}
		if after.With(m.Track, m.From).Stage() != after.Stage() {
			if _, err := tx.Exec(ctx, "UPDATE requests SET stage_since = ? WHERE id = ?", now, id); err != nil {
				return fmt.Errorf("crm: request %d stage: %w", id, err)
			}
		}
	}
	staff, extranet := actorIDs(ctx)
	if _, err := tx.Exec(ctx, `INSERT INTO request_track_changes (request_id, track, from_status, to_status, at,
		staff_user_id, extranet_user_id, reason, amount_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, m.Track, m.From, m.To, now, staff, extranet, m.Reason, m.Amount); err != nil {
		return fmt.Errorf("crm: request %d history: %w", id, err)
	}
	data := map[string]any{"record": RecordRequest, "id": id, "track": m.Track, "from": m.From, "to": m.To}
	if m.Amount != nil {
		data["amount_cents"] = *m.Amount
	}
	if _, err := AddEntry(ctx, tx, NewEntry{
		Kind:  KindStatusChange,
		Title: fmt.Sprintf("%s %s: %s → %s", RecordRequest, m.Track, m.From, m.To),
		Body:  m.Reason,
		Data:  data,
		Links: append([]Ref{{RecordRequest, id}, {RecordClient, clientID}}, m.Links...),
	}); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Event{Action: "request." + m.Track, Entity: RecordRequest, EntityID: id,
		Details: map[string]any{"from": m.From, "to": m.To}})
}

// actorIDs returns who acts, as the by-whom columns hold it: a staff user
// (or API token owner), an extranet user, or neither (system, provider link).
func actorIDs(ctx context.Context) (staff, extranet *int64) {
	a := audit.ActorFrom(ctx)
	if a.ID == 0 {
		return nil, nil
	}
	id := a.ID
	switch a.Kind {
	case audit.ActorStaff, audit.ActorAPI:
		return &id, nil
	case audit.ActorExtranet:
		return nil, &id
	}
	return nil, nil
}
