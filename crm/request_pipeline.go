package crm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// PipelineItem is an open request with when it entered its current stage.
type PipelineItem struct {
	Request
	StageSince time.Time     `json:"stage_since"`
	InStage    time.Duration `json:"in_stage"`
}

// PipelineColumn holds the open requests of one stage, longest in it first.
type PipelineColumn struct {
	Stage string         `json:"stage"`
	Items []PipelineItem `json:"items"`
}

// PipelineFilter narrows the pipeline: OwnerID keeps a staff member's
// requests (see mineCond), ClientID one client's.
type PipelineFilter struct {
	OwnerID  int64
	ClientID int64
}

// mineCond selects the requests a staff member answers for: those they own,
// and the unowned ones of the clients they manage.
const mineCond = "(r.owner_id = ? OR (r.owner_id IS NULL AND c.account_manager_id = ?))"

// pipelineLimit bounds the open requests a pipeline loads.
const pipelineLimit = 2000

// Pipeline returns the open requests grouped by derived stage, one column
// per open stage in the order of Stages (empty columns included). The time
// in stage is replayed from the track history.
func (s *Requests) Pipeline(ctx context.Context, f PipelineFilter, now time.Time) ([]PipelineColumn, error) {
	cond, args := "r.status = 'open'", []any{}
	if f.OwnerID != 0 {
		cond, args = cond+" AND "+mineCond, append(args, f.OwnerID, f.OwnerID)
	}
	if f.ClientID != 0 {
		cond, args = cond+" AND r.client_id = ?", append(args, f.ClientID)
	}
	var reqs []Request
	if err := s.db.Select(ctx, &reqs, "SELECT "+requestColumns+requestFrom+" WHERE "+cond+" ORDER BY r.id LIMIT ?",
		append(slices.Clone(args), pipelineLimit)...); err != nil {
		return nil, fmt.Errorf("crm: pipeline: %w", err)
	}
	changes, err := trackChanges(ctx, s.db, "h.request_id IN (SELECT r.id"+requestFrom+" WHERE "+cond+")", args...)
	if err != nil {
		return nil, err
	}
	byRequest := map[int64][]TrackChange{}
	for _, c := range changes {
		byRequest[c.RequestID] = append(byRequest[c.RequestID], c)
	}
	var columns []PipelineColumn
	index := map[string]int{}
	for _, st := range Stages {
		if OpenStage(st) {
			index[st] = len(columns)
			columns = append(columns, PipelineColumn{Stage: st})
		}
	}
	for _, r := range reqs {
		r.Stage = r.TrackState.Stage()
		i, open := index[r.Stage]
		if !open {
			continue
		}
		_, since := StageSince(r.CreatedAt, byRequest[r.ID])
		columns[i].Items = append(columns[i].Items, PipelineItem{Request: r, StageSince: since, InStage: now.Sub(since)})
	}
	for _, c := range columns {
		slices.SortStableFunc(c.Items, func(a, b PipelineItem) int { return a.StageSince.Compare(b.StageSince) })
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
		requestFrom+" WHERE r.status = 'open' AND "+mineCond+` ORDER BY CASE r.priority WHEN 'urgent' THEN 0
		WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, r.created_at, r.id LIMIT ?`,
		now.UTC(), today, today, staffID, staffID, pipelineLimit)
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
