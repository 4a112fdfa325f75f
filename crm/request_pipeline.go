package crm

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// PipelineItem is an open request with when it entered its current stage.
type PipelineItem struct {
	Request
	StageSince time.Time     `json:"stage_since"`
	InStage    time.Duration `json:"in_stage"`
}

// PipelineColumn holds the open requests of one stage: how many, and the
// longest in it first (at most pipelineItems).
type PipelineColumn struct {
	Stage string         `json:"stage"`
	Count int            `json:"count"`
	Items []PipelineItem `json:"items"`
}

// PipelineFilter narrows the pipeline: OwnerID keeps a staff member's
// requests (see mineCond), ClientID one client's.
type PipelineFilter struct {
	OwnerID  int64
	ClientID int64
}

// mineCond selects the requests a staff member answers for: those they own,
// and the unowned ones of the clients they manage, restricted by conditions
// on alias m ("TRUE" for none). It takes the staff id twice. Written as a set
// of ids read from the owner index (owner, then the tracks of openCond), not
// as an OR that would scan every open request of the team.
func mineCond(restrict string) string {
	return `r.id IN (SELECT m.id FROM requests m WHERE m.owner_id = ? AND ` + restrict + `
	UNION ALL SELECT m.id FROM requests m JOIN clients mc ON mc.id = m.client_id
	WHERE m.owner_id IS NULL AND mc.account_manager_id = ? AND ` + restrict + `)`
}

// openCond selects the requests in an open stage (see TrackState.Stage):
// not cancelled, not declined, not delivered. Written as equalities, it is
// four seeks in the tracks index, so years of closed requests cost nothing.
const openCond = "r.status = 'open' AND r.delivery IN ('none', 'booked') AND r.decision IN ('pending', 'accepted')"

// mineOpenCond is mineCond for the open requests.
var mineOpenCond = mineCond(strings.ReplaceAll(openCond, "r.", "m."))

// pipelineItems bounds the requests a pipeline column lists; its count is
// always whole. The list of requests filtered by stage shows the rest.
const pipelineItems = 100

// Pipeline returns the open requests grouped by derived stage, one column
// per open stage in the order of Stages (empty columns included), with the
// time each request has spent in its stage (stage_since, kept by changeTrack).
func (s *Requests) Pipeline(ctx context.Context, f PipelineFilter, now time.Time) ([]PipelineColumn, error) {
	cond, args := openCond, []any{}
	if f.OwnerID != 0 {
		cond, args = cond+" AND "+mineOpenCond, append(args, f.OwnerID, f.OwnerID)
	}
	if f.ClientID != 0 {
		cond, args = cond+" AND r.client_id = ?", append(args, f.ClientID)
	}
	// First the tracks of every open request and when its stage began, to
	// place and order them; then the full rows of those a column shows.
	var states []struct {
		ID int64 `db:"id"`
		TrackState
		StageSince time.Time `db:"stage_since"`
	}
	if err := s.db.Select(ctx, &states, `SELECT r.id, r.status, r.sourcing, r.decision, r.funding, r.delivery,
		r.stage_since FROM requests r WHERE `+cond, args...); err != nil {
		return nil, fmt.Errorf("crm: pipeline: %w", err)
	}
	var columns []PipelineColumn
	index := map[string]int{}
	for _, st := range Stages {
		if OpenStage(st) {
			index[st] = len(columns)
			columns = append(columns, PipelineColumn{Stage: st})
		}
	}
	for _, r := range states {
		i, open := index[r.TrackState.Stage()]
		if !open {
			continue
		}
		columns[i].Items = append(columns[i].Items, PipelineItem{Request: Request{ID: r.ID}, StageSince: r.StageSince,
			InStage: now.Sub(r.StageSince)})
	}
	var ids []any
	for i := range columns {
		c := &columns[i]
		slices.SortStableFunc(c.Items, func(a, b PipelineItem) int {
			return cmp.Or(a.StageSince.Compare(b.StageSince), cmp.Compare(a.ID, b.ID))
		})
		c.Count, c.Items = len(c.Items), c.Items[:min(len(c.Items), pipelineItems)]
		for _, it := range c.Items {
			ids = append(ids, it.ID)
		}
	}
	if len(ids) == 0 {
		return columns, nil
	}
	var reqs []Request
	if err := s.db.Select(ctx, &reqs, "SELECT "+requestColumns+requestFrom+" WHERE r.id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...); err != nil {
		return nil, fmt.Errorf("crm: pipeline: %w", err)
	}
	byID := make(map[int64]Request, len(reqs))
	for _, r := range reqs {
		r.Stage = r.TrackState.Stage()
		byID[r.ID] = r
	}
	for _, c := range columns {
		for i := range c.Items {
			c.Items[i].Request = byID[c.Items[i].ID]
		}
	}
	return columns, nil
}

// Actions a request may wait for from its staff member.
const (
	ActionConsult         = "consult"          // nobody consulted, or every consultation closed without an answer
	ActionRemind          = "remind"           // consultations past their due date without answer
	ActionCompare         = "compare"          // every consultation closed, answers in, none retained
	ActionPropose         = "propose"          // answers retained, no proposal sent
	ActionProposalExpired = "proposal_expired" // a sent proposal passed its validity date undecided
	ActionFunding         = "funding"          // accepted, but the funding was refused: file again or drop it
	ActionBook            = "book"             // every track allows a booking and none is made
	ActionAttendance      = "attendance"       // a session whose last day is past still lacks attendance
)

// requestFacts are the counts nextAction decides from.
type requestFacts struct {
	OpenConsultations    int `db:"open_consultations"`
	OverdueConsultations int `db:"overdue_consultations"`
	Answered             int `db:"answered"`
	Retained             int `db:"retained"`
	LiveProposals        int `db:"live_proposals"` // sent or accepted
	ExpiredProposals     int `db:"expired_proposals"`
	PastSessions         int `db:"past_sessions"`
}

// nextAction says what a request waits for from staff, "" when it waits on
// someone else (providers, the client, the funder) or is closed.
func nextAction(st TrackState, f requestFacts) string {
	switch st.Stage() {
	case StageBooked:
		if f.PastSessions > 0 {
			return ActionAttendance
		}
	case StageToBook:
		return ActionBook
	case StageFunding:
		if st.Funding == FundingRefused {
			return ActionFunding
		}
	case StageProposal:
		if f.ExpiredProposals > 0 {
			return ActionProposalExpired
		}
	case StageQualifying, StageSourcing:
		switch {
		case f.Retained > 0 && f.LiveProposals == 0:
			return ActionPropose
		case f.OverdueConsultations > 0:
			return ActionRemind
		case f.OpenConsultations > 0:
			return ""
		case f.Answered > 0 && f.Retained == 0:
			return ActionCompare
		case f.Answered == 0:
			return ActionConsult
		}
	}
	return ""
}

// waitingLimit bounds the open requests WaitingOn examines for one staff member.
const waitingLimit = 2000

// WaitingItem is a request waiting on a staff member, and for what.
type WaitingItem struct {
	Request
	Action string `json:"action"`
}

// WaitingOn lists the open requests of a staff member (owned, or of a
// client they manage when unowned) that wait for an action of theirs, most
// urgent priority first, then oldest. The actions, checked by stage:
//   - booked: attendance, when a planned or confirmed session's last day is before today;
//   - to book: book;
//   - funding: funding, when the funder refused (file again, or the client pays);
//   - proposal: proposal_expired, when a sent proposal's validity date is before today;
//   - qualifying or sourcing: propose when answers are retained and no
//     proposal is sent; else remind when consultations are past due; else
//     nothing while consultations are open; else compare when answers came
//     in and none is retained; else consult (nobody consulted, or nobody answered).
func (s *Requests) WaitingOn(ctx context.Context, staffID int64, now time.Time) ([]WaitingItem, error) {
	p := now.In(i18n.Paris)
	today := time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
	var rows []struct {
		Request
		requestFacts
	}
	err := s.db.Select(ctx, &rows, "SELECT "+requestColumns+`,
		(SELECT COUNT(*) FROM consultations k WHERE k.request_id = r.id AND k.status = 'sent') AS open_consultations,
		(SELECT COUNT(*) FROM consultations k WHERE k.request_id = r.id AND k.status = 'sent' AND k.due_at < ?) AS overdue_consultations,
		(SELECT COUNT(*) FROM consultations k WHERE k.request_id = r.id AND k.status = 'answered') AS answered,
		(SELECT COUNT(*) FROM consultations k WHERE k.request_id = r.id AND k.retained = TRUE) AS retained,
		(SELECT COUNT(*) FROM proposals p WHERE p.request_id = r.id AND p.status IN ('sent', 'accepted')) AS live_proposals,
		(SELECT COUNT(*) FROM proposals p WHERE p.request_id = r.id AND p.status = 'sent' AND p.valid_until < ?) AS expired_proposals,
		(SELECT COUNT(*) FROM bookings b WHERE b.request_id = r.id AND b.status IN ('planned', 'confirmed')
			AND (SELECT MAX(sl.day) FROM booking_slots sl WHERE sl.booking_id = b.id) < ?) AS past_sessions`+
		requestFrom+" WHERE "+openCond+" AND "+mineOpenCond+` ORDER BY CASE r.priority WHEN 'urgent' THEN 0
		WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, r.created_at, r.id LIMIT ?`,
		now.UTC(), today, today, staffID, staffID, waitingLimit)
	if err != nil {
		return nil, fmt.Errorf("crm: requests waiting on %d: %w", staffID, err)
	}
	var out []WaitingItem
	for _, r := range rows {
		if a := nextAction(r.TrackState, r.requestFacts); a != "" {
			r.Stage = r.TrackState.Stage()
			out = append(out, WaitingItem{Request: r.Request, Action: a})
		}
	}
	return out, nil
}
