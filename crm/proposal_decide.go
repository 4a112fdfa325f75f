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

// Send sends a draft proposal to the client: to the given addresses, or to
// the request's contact. The request's tracks move (sourcing to
// proposal_sent; a declined decision back to pending) in the transaction;
// the mail leaves after it. A sent proposal whose mail failed (MailedAt
// nil) is only mailed again.
func (s *Proposals) Send(ctx context.Context, id int64, to []MailAddress) (Proposal, error) {
	p, err := s.Get(ctx, id)
	if err != nil {
		return Proposal{}, err
	}
	r, err := loadRequest(ctx, s.db, "r.id = ?", p.RequestID)
	if err != nil {
		return Proposal{}, err
	}
	lang := "fr"
	if len(to) == 0 {
		if to, lang, err = requestContact(ctx, s.db, r); err != nil {
			return Proposal{}, err
		}
	}
	if p.Status != ProposalSent || p.MailedAt != nil {
		if err := s.markSent(ctx, p, to); err != nil {
			return Proposal{}, err
		}
		if p, err = s.Get(ctx, id); err != nil {
			return Proposal{}, err
		}
	}
	text := proposalMail(lang, r, p, to[0].Name)
	if _, err := s.mail.Send(ctx, Outgoing{To: to, Subject: text.Subject, Text: text.Body,
		Links: []Ref{{RecordRequest, r.ID}, {RecordClient, r.ClientID}, {RecordProposal, p.ID}}}); err != nil {
		return p, fmt.Errorf("crm: mail proposal %d: %w", id, err)
	}
	if _, err := s.db.Exec(ctx, "UPDATE proposals SET mailed_at = ? WHERE id = ?", s.now().UTC(), id); err != nil {
		return p, fmt.Errorf("crm: proposal %d mailed but not marked: %w", id, err)
	}
	return s.Get(ctx, id)
}

// markSent moves a draft to sent with the request's tracks.
func (s *Proposals) markSent(ctx context.Context, p Proposal, to []MailAddress) error {
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		r, err := lockRequest(ctx, tx, p.RequestID)
		if err != nil {
			return err
		}
		switch {
		case p.Status != ProposalDraft:
			return errs.NewInvalid("status", "error.proposal_not_draft")
		case r.Status != RequestOpen:
			return errs.NewInvalid("status", "error.request_cancelled")
		case r.Decision == DecisionAccepted:
			return errs.NewInvalid("decision", "error.already_accepted")
		case p.Expired(s.now()):
			return errs.NewInvalid("valid_until", "error.date_past")
		}
		var addrs []string
		for _, a := range to {
			addrs = append(addrs, strings.ToLower(a.Email))
		}
		now := s.now().UTC()
		if _, err := tx.Exec(ctx, "UPDATE proposals SET status = ?, sent_at = ?, sent_to = ?, updated_at = ? WHERE id = ? AND status = ?",
			ProposalSent, now, strings.Join(addrs, ", "), now, p.ID, ProposalDraft); err != nil {
			return fmt.Errorf("crm: send proposal %d: %w", p.ID, err)
		}
		links := []Ref{{RecordProposal, p.ID}}
		if r.Sourcing != SourcingProposalSent {
			if err := changeTrack(ctx, tx, r.ID, r.ClientID, move{Track: TrackSourcing, From: r.Sourcing, To: SourcingProposalSent, Links: links}); err != nil {
				return err
			}
		}
		if r.Decision == DecisionDeclined {
			if err := changeTrack(ctx, tx, r.ID, r.ClientID, move{Track: TrackDecision, From: DecisionDeclined, To: DecisionPending, Links: links}); err != nil {
				return err
			}
		}
		if err := RecordStatusChange(ctx, tx, Ref{RecordProposal, p.ID}, ProposalDraft, ProposalSent, "",
			Ref{RecordRequest, r.ID}, Ref{RecordClient, r.ClientID}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "proposal.send", Entity: RecordProposal, EntityID: p.ID})
	})
}

// requestContact is the request's contact as a recipient, with its language.
func requestContact(ctx context.Context, q db.Querier, r Request) ([]MailAddress, string, error) {
	var c struct {
		Name     string `db:"name"`
		Email    string `db:"email"`
		Language string `db:"language"`
	}
	if r.ContactID == nil || q.Get(ctx, &c, `SELECT TRIM(k.first_name || ' ' || k.last_name) AS name, ce.email, k.language
		FROM contacts k JOIN contact_emails ce ON ce.contact_id = k.id WHERE k.id = ? ORDER BY ce.position LIMIT 1`, *r.ContactID) != nil {
		return nil, "", errs.NewInvalid("to", "error.required")
	}
	return []MailAddress{{Name: c.Name, Email: c.Email}}, c.Language, nil
}

// Accept records the client's acceptance of a sent, unexpired proposal of
// its request: by a client user, or by staff on the client's behalf
// (recorded as such). The other sent proposals of the request are
// withdrawn and the request's decision becomes accepted.
func (s *Proposals) Accept(ctx context.Context, clientID, id int64) (Proposal, error) {
	return s.decide(ctx, clientID, id, ProposalAccepted, "")
}

// Decline records that the client declines a sent proposal, with a reason.
// The request's decision becomes declined unless another proposal is still
// awaiting the client.
func (s *Proposals) Decline(ctx context.Context, clientID, id int64, reason string) (Proposal, error) {
	if reason = strings.TrimSpace(reason); reason == "" {
		return Proposal{}, errs.NewInvalid("reason", "error.reason_required")
	}
	return s.decide(ctx, clientID, id, ProposalDeclined, reason)
}

func (s *Proposals) decide(ctx context.Context, clientID, id int64, to, reason string) (Proposal, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		p, err := loadProposal(ctx, tx, "o.id = ? AND r.client_id = ?", id, clientID)
		if err != nil {
			return err
		}
		if err := checkRequestRefs(ctx, tx, RequestInput{ClientID: clientID}); err != nil {
			return err // a client user of another company
		}
		switch {
		case p.Status != ProposalSent:
			return errs.NewInvalid("status", "error.proposal_not_sent")
		case p.Expired(s.now()):
			return errs.NewInvalid("valid_until", "error.proposal_expired")
		}
		now := s.now().UTC()
		staff, extranet := actorIDs(ctx)
		if _, err := tx.Exec(ctx, `UPDATE proposals SET status = ?, decided_at = ?, decision_reason = ?, decided_by_staff_id = ?,
			decided_by_extranet_id = ?, updated_at = ? WHERE id = ?`, to, now, reason, staff, extranet, now, id); err != nil {
			return fmt.Errorf("crm: decide proposal %d: %w", id, err)
		}
		note := reason
		if staff != nil {
			note = strings.TrimSpace("on behalf of the client. " + reason)
		}
		links := []Ref{{RecordRequest, p.RequestID}, {RecordClient, clientID}}
		if err := RecordStatusChange(ctx, tx, Ref{RecordProposal, id}, ProposalSent, to, note, links...); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "proposal." + to, Entity: RecordProposal, EntityID: id,
			Details: map[string]any{"on_behalf": staff != nil}}); err != nil {
			return err
		}
		return settleDecision(ctx, tx, p, to, reason)
	})
	if err != nil {
		return Proposal{}, err
	}
	return s.Get(ctx, id)
}

// settleDecision moves the request's decision after a proposal was decided.
func settleDecision(ctx context.Context, tx db.Querier, p Proposal, to, reason string) error {
	r, err := lockRequest(ctx, tx, p.RequestID)
	if err != nil {
		return err
	}
	others, err := loadProposals(ctx, tx, "o.request_id = ? AND o.status = ? AND o.id <> ?", p.RequestID, ProposalSent, p.ID)
	if err != nil {
		return err
	}
	links := []Ref{{RecordProposal, p.ID}}
	if to == ProposalDeclined {
		if len(others) > 0 || r.Decision != DecisionPending {
			return nil
		}
		return changeTrack(ctx, tx, r.ID, r.ClientID, move{Track: TrackDecision, From: DecisionPending, To: DecisionDeclined, Reason: reason, Links: links})
	}
	for _, o := range others {
		if _, err := tx.Exec(ctx, "UPDATE proposals SET status = ?, updated_at = ? WHERE id = ?", ProposalWithdrawn, time.Now().UTC(), o.ID); err != nil {
			return fmt.Errorf("crm: withdraw proposal %d: %w", o.ID, err)
		}
		if err := RecordStatusChange(ctx, tx, Ref{RecordProposal, o.ID}, ProposalSent, ProposalWithdrawn, "",
			Ref{RecordRequest, r.ID}, Ref{RecordClient, r.ClientID}); err != nil {
			return err
		}
	}
	return changeTrack(ctx, tx, r.ID, r.ClientID, move{Track: TrackDecision, From: r.Decision, To: DecisionAccepted, Links: links})
}
