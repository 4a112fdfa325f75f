package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// Proposal statuses. Accepting one proposal withdraws the other sent ones.
const (
	ProposalDraft     = "draft"
	ProposalSent      = "sent"
	ProposalAccepted  = "accepted"
	ProposalDeclined  = "declined"
	ProposalWithdrawn = "withdrawn"
)

// Contracting modes of a deal (DOMAIN.md §2): the broker sells the training
// as a training organisation and subcontracts the provider, or it only
// introduces the provider, who sells and invoices, for a commission.
const (
	ModeSubcontracting = "subcontracting"
	ModeReferral       = "referral"
)

// ContractingModes lists the modes.
var ContractingModes = []string{ModeSubcontracting, ModeReferral}

// Proposal is the broker's offer to a client, built from retained answers.
// CostCents (what the providers ask) and FeeCents (the broker's margin, or
// its commission in referral) are for staff: ForClient leaves them out.
type Proposal struct {
	ID               int64     `db:"id" json:"id"`
	RequestID        int64     `db:"request_id" json:"request_id"`
	ClientID         int64     `db:"client_id" json:"client_id"`
	RequestTopic     string    `db:"request_topic" json:"request_topic"`
	Status           string    `db:"status" json:"status"`
	Mode             string    `db:"contracting_mode" json:"contracting_mode"`
	ClientPriceCents int64     `db:"client_price_cents" json:"client_price_cents"`
	CostCents        int64     `db:"cost_cents" json:"cost_cents"`
	FeeCents         int64     `db:"fee_cents" json:"fee_cents"`
	ValidUntil       time.Time `db:"valid_until" json:"valid_until"`
	Message          string    `db:"message" json:"message"`
	// SentAt is when staff sent it; MailedAt when its mail left (nil: send again).
	SentAt              *time.Time     `db:"sent_at" json:"sent_at,omitempty"`
	SentTo              string         `db:"sent_to" json:"sent_to,omitempty"`
	MailedAt            *time.Time     `db:"mailed_at" json:"mailed_at,omitempty"`
	DecidedAt           *time.Time     `db:"decided_at" json:"decided_at,omitempty"`
	DecisionReason      string         `db:"decision_reason" json:"decision_reason,omitempty"`
	DecidedByStaffID    *int64         `db:"decided_by_staff_id" json:"decided_by_staff_id,omitempty"`
	DecidedByExtranetID *int64         `db:"decided_by_extranet_id" json:"decided_by_extranet_id,omitempty"`
	DecidedByName       string         `db:"decided_by_name" json:"decided_by_name,omitempty"`
	Lines               []ProposalLine `db:"-" json:"lines"`
	CreatedAt           time.Time      `db:"created_at" json:"created_at"`
	UpdatedAt           time.Time      `db:"updated_at" json:"updated_at"`
}

// OnBehalf reports whether staff decided for the client.
func (p Proposal) OnBehalf() bool { return p.DecidedByStaffID != nil }

// Expired reports whether a sent proposal is past its validity date on the day of now (Paris).
func (p Proposal) Expired(now time.Time) bool {
	return p.Status == ProposalSent && p.ValidUntil.Format(time.DateOnly) < now.In(i18n.Paris).Format(time.DateOnly)
}

// ProposalLine is one retained answer in a proposal.
type ProposalLine struct {
	ID               int64  `db:"id" json:"id"`
	ConsultationID   int64  `db:"consultation_id" json:"consultation_id"`
	ProviderID       int64  `db:"provider_id" json:"provider_id"`
	ProviderName     string `db:"provider_name" json:"provider_name"`
	CourseID         *int64 `db:"course_id" json:"course_id,omitempty"`
	Label            string `db:"label" json:"label"`
	CostCents        int64  `db:"cost_cents" json:"cost_cents"`
	ClientPriceCents int64  `db:"client_price_cents" json:"client_price_cents"`
}

// ClientProposal is what a client sees of a proposal: prices to pay, no
// cost nor fee; the provider is named only when it sells (referral).
type ClientProposal struct {
	ID               int64                `json:"id"`
	RequestID        int64                `json:"request_id"`
	Status           string               `json:"status"`
	Mode             string               `json:"contracting_mode"`
	ClientPriceCents int64                `json:"client_price_cents"`
	ValidUntil       time.Time            `json:"valid_until"`
	Message          string               `json:"message"`
	SentAt           *time.Time           `json:"sent_at,omitempty"`
	DecidedAt        *time.Time           `json:"decided_at,omitempty"`
	DecisionReason   string               `json:"decision_reason,omitempty"`
	Lines            []ClientProposalLine `json:"lines"`
}

// ClientProposalLine is a line as the client sees it.
type ClientProposalLine struct {
	Label            string `json:"label"`
	ProviderName     string `json:"provider_name,omitempty"`
	ClientPriceCents int64  `json:"client_price_cents"`
}

// ForClient returns the client's view of the proposal.
func (p Proposal) ForClient() ClientProposal {
	out := ClientProposal{ID: p.ID, RequestID: p.RequestID, Status: p.Status, Mode: p.Mode, ClientPriceCents: p.ClientPriceCents,
		ValidUntil: p.ValidUntil, Message: p.Message, SentAt: p.SentAt, DecidedAt: p.DecidedAt, DecisionReason: p.DecisionReason}
	for _, l := range p.Lines {
		line := ClientProposalLine{Label: l.Label, ClientPriceCents: l.ClientPriceCents}
		if p.Mode == ModeReferral {
			line.ProviderName = l.ProviderName
		}
		out.Lines = append(out.Lines, line)
	}
	return out
}

// ProposalInput builds a proposal from retained answers of one request.
type ProposalInput struct {
	RequestID int64               `json:"request_id"`
	Mode      string              `json:"contracting_mode"`
	Lines     []ProposalLineInput `json:"lines"`
	// CommissionCents is the broker's commission from the provider (referral only).
	CommissionCents int64     `json:"commission_cents"`
	ValidUntil      time.Time `json:"valid_until"`
	Message         string    `json:"message"`
}

// ProposalLineInput is a retained answer and its price to the client
// (subcontracting; in referral the client pays the provider's price).
type ProposalLineInput struct {
	ConsultationID   int64  `json:"consultation_id"`
	Label            string `json:"label"`
	ClientPriceCents int64  `json:"client_price_cents"`
}

func (in *ProposalInput) normalize(today time.Time) error {
	inv := &errs.Invalid{}
	if !slices.Contains(ContractingModes, in.Mode) {
		inv.Add("contracting_mode", "error.required")
	}
	if len(in.Lines) == 0 {
		inv.Add("lines", "error.required")
	}
	seen := map[int64]bool{}
	for i := range in.Lines {
		l := &in.Lines[i]
		l.Label = strings.TrimSpace(l.Label)
		if seen[l.ConsultationID] {
			inv.Add("lines", "error.invalid")
		}
		seen[l.ConsultationID] = true
		if in.Mode == ModeSubcontracting && l.ClientPriceCents <= 0 {
			inv.Add("client_price_cents", "error.required")
		}
	}
	if in.Mode == ModeReferral && in.CommissionCents <= 0 {
		inv.Add("commission_cents", "error.required")
	}
	if in.ValidUntil.IsZero() {
		inv.Add("valid_until", "error.required")
	} else if in.ValidUntil.Format(time.DateOnly) < today.Format(time.DateOnly) {
		inv.Add("valid_until", "error.date_past")
	}
	in.Message = strings.TrimSpace(in.Message)
	return inv.OrNil()
}

// Proposals is the proposal service.
type Proposals struct {
	db   *db.DB
	mail MailSender
	now  func() time.Time
}

// NewProposals returns the proposal service; proposals are mailed through mail.
func NewProposals(d *db.DB, mail MailSender) *Proposals {
	return &Proposals{db: d, mail: mail, now: time.Now}
}

const proposalColumns = `o.id, o.request_id, r.client_id, r.topic AS request_topic, o.status, o.contracting_mode,
	o.client_price_cents, o.cost_cents, o.fee_cents, o.valid_until, o.message, o.sent_at, o.sent_to, o.mailed_at,
	o.decided_at, o.decision_reason, o.decided_by_staff_id, o.decided_by_extranet_id,
	COALESCE(su.name, eu.name, '') AS decided_by_name, o.created_at, o.updated_at`

const proposalFrom = ` FROM proposals o JOIN requests r ON r.id = o.request_id
	LEFT JOIN staff_users su ON su.id = o.decided_by_staff_id LEFT JOIN extranet_users eu ON eu.id = o.decided_by_extranet_id`

func loadProposals(ctx context.Context, q db.Querier, cond string, args ...any) ([]Proposal, error) {
	var out []Proposal
	if err := q.Select(ctx, &out, "SELECT "+proposalColumns+proposalFrom+" WHERE "+cond+" ORDER BY o.id", args...); err != nil {
		return nil, fmt.Errorf("crm: load proposals: %w", err)
	}
	// The lines of all of them, a few hundred proposals per query.
	at := make(map[int64]int, len(out))
	for i, p := range out {
		at[p.ID] = i
	}
	for start := 0; start < len(out); start += 500 {
		chunk := out[start:min(start+500, len(out))]
		ids := make([]any, len(chunk))
		for i, p := range chunk {
			ids[i] = p.ID
		}
		var lines []struct {
			ProposalID int64 `db:"proposal_id"`
			ProposalLine
		}
		if err := q.Select(ctx, &lines, `SELECT l.proposal_id, l.id, l.consultation_id, k.provider_id, p.name AS provider_name,
			k.course_id, l.label, l.cost_cents, l.client_price_cents FROM proposal_lines l
			JOIN consultations k ON k.id = l.consultation_id JOIN providers p ON p.id = k.provider_id
			WHERE l.proposal_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY l.proposal_id, l.position`, ids...); err != nil {
			return nil, fmt.Errorf("crm: load proposal lines: %w", err)
		}
		for _, l := range lines {
			i := at[l.ProposalID]
			out[i].Lines = append(out[i].Lines, l.ProposalLine)
		}
	}
	return out, nil
}

func loadProposal(ctx context.Context, q db.Querier, cond string, args ...any) (Proposal, error) {
	list, err := loadProposals(ctx, q, cond, args...)
	if err != nil {
		return Proposal{}, err
	}
	if len(list) == 0 {
		return Proposal{}, fmt.Errorf("crm: proposal %v: %w", args[0], errs.ErrNotFound)
	}
	return list[0], nil
}

// Get loads a proposal with its lines.
func (s *Proposals) Get(ctx context.Context, id int64) (Proposal, error) {
	return loadProposal(ctx, s.db, "o.id = ?", id)
}

// GetForClient loads a proposal of the client's requests; any other is ErrNotFound.
func (s *Proposals) GetForClient(ctx context.Context, clientID, id int64) (Proposal, error) {
	return loadProposal(ctx, s.db, "o.id = ? AND r.client_id = ?", id, clientID)
}

// List returns the proposals of a request, oldest first.
func (s *Proposals) List(ctx context.Context, requestID int64) ([]Proposal, error) {
	return loadProposals(ctx, s.db, "o.request_id = ?", requestID)
}

// Create builds a draft proposal. Every line must be a retained answer of
// the same request; its cost is the provider's price. In subcontracting the
// fee is the margin (client price − cost, never negative); in referral the
// client pays the provider's price and the fee is the commission.
func (s *Proposals) Create(ctx context.Context, in ProposalInput) (Proposal, error) {
	now := s.now().UTC()
	if err := in.normalize(now.In(i18n.Paris)); err != nil {
		return Proposal{}, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		r, err := lockRequest(ctx, tx, in.RequestID)
		if err != nil {
			return err
		}
		if r.Status != RequestOpen {
			return errs.NewInvalid("status", "error.request_cancelled")
		}
		lines, err := proposalLines(ctx, tx, in)
		if err != nil {
			return err
		}
		var cost, price int64
		for _, l := range lines {
			cost, price = cost+l.CostCents, price+l.ClientPriceCents
		}
		fee := price - cost
		if in.Mode == ModeReferral {
			fee = in.CommissionCents
		} else if fee < 0 {
			return errs.NewInvalid("client_price_cents", "error.margin_negative")
		}
		staff, _ := actorIDs(ctx)
		id, err = db.InsertID(ctx, tx, `INSERT INTO proposals (request_id, contracting_mode, client_price_cents, cost_cents,
			fee_cents, valid_until, message, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.ID, in.Mode, price, cost, fee, *dateOnly(&in.ValidUntil), in.Message, staff, now, now)
		if err != nil {
			return fmt.Errorf("crm: create proposal: %w", err)
		}
		rows := make([][]any, len(lines))
		for i, l := range lines {
			rows[i] = []any{id, l.ConsultationID, i, l.Label, l.CostCents, l.ClientPriceCents}
		}
		if err := insertRows(ctx, tx, "proposal_lines (proposal_id, consultation_id, position, label, cost_cents, client_price_cents)", "", rows); err != nil {
			return fmt.Errorf("crm: proposal %d lines: %w", id, err)
		}
		if err := RecordStatusChange(ctx, tx, Ref{RecordProposal, id}, "new", ProposalDraft, "",
			Ref{RecordRequest, r.ID}, Ref{RecordClient, r.ClientID}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "proposal.create", Entity: RecordProposal, EntityID: id})
	})
	if err != nil {
		return Proposal{}, err
	}
	return s.Get(ctx, id)
}

// proposalLines checks each line's consultation (of this request, answered,
// retained) and prices it.
func proposalLines(ctx context.Context, q db.Querier, in ProposalInput) ([]ProposalLine, error) {
	var out []ProposalLine
	for _, li := range in.Lines {
		c, err := loadConsultation(ctx, q, li.ConsultationID)
		if err != nil || c.RequestID != in.RequestID {
			return nil, errs.NewInvalid("lines", "error.not_of_request")
		}
		if c.Status != ConsultationAnswered || !c.Retained || c.PriceCents == nil {
			return nil, errs.NewInvalid("lines", "error.not_retained")
		}
		l := ProposalLine{ConsultationID: c.ID, ProviderID: c.ProviderID, Label: li.Label, CostCents: *c.PriceCents,
			ClientPriceCents: li.ClientPriceCents}
		if in.Mode == ModeReferral {
			l.ClientPriceCents = l.CostCents
		}
		if l.Label == "" {
			l.Label = c.RequestTopic
		}
		out = append(out, l)
	}
	return out, nil
}
