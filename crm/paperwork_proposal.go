package crm

import (
	"context"
	"fmt"

	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// GenerateProposal makes the client's quotation (devis) of a proposal: the
// client prices of its lines, never the providers' costs nor the fee. In
// subcontracting the broker sells at its own VAT status; in referral each
// line carries the VAT status the provider answered.
func (s *Paperwork) GenerateProposal(ctx context.Context, proposalID int64) (Generated, error) {
	p, err := s.Proposals.Get(ctx, proposalID)
	if err != nil {
		return Generated{}, err
	}
	st, err := s.styleFor(ctx, p.ClientID)
	if err != nil {
		return Generated{}, err
	}
	party, err := s.clientParty(ctx, st.client, "")
	if err != nil {
		return Generated{}, err
	}
	lang := i18n.Normalize(st.frame.Lang)
	doc := pdf.Proposal{Frame: st.frame, Client: party, Subject: p.RequestTopic, ValidUntil: p.ValidUntil, Mode: pdf.ModeBroker}
	doc.Frame.Reference = fmt.Sprintf("DEV-%d", p.ID)
	if st.client.PaymentTermsDays != nil {
		doc.PaymentTerms = i18n.T(lang, "paperwork.payment_days", *st.client.PaymentTermsDays)
	}
	if p.Message != "" {
		doc.Notes = splitLines(p.Message)
	}
	mentions := map[string]bool{}
	for _, l := range p.Lines {
		line := pdf.Line{Label: l.Label, Quantity: 100, UnitCents: l.ClientPriceCents}
		vat := "exempt"
		if p.Mode == ModeReferral {
			doc.Mode, doc.Provider = pdf.ModeProvider, l.ProviderName
			k, err := s.Consultations.Get(ctx, l.ConsultationID)
			if err != nil {
				return Generated{}, err
			}
			vat = k.VATStatus
		} else if !st.profile.VATExempt {
			vat = "taxable"
		}
		if vat == "taxable" {
			line.VATRateBP = 2000
		} else {
			mentions[vat] = true
		}
		doc.Lines = append(doc.Lines, line)
	}
	for _, vat := range []string{"exempt", "franchise"} {
		if mentions[vat] {
			doc.VATMention = joinLines(doc.VATMention, i18n.T(lang, "paperwork.vat_"+vat))
		}
	}
	what := i18n.T(lang, "paperwork.proposal")
	links := []documents.Link{{Type: documents.RecordRequest, ID: p.RequestID}, {Type: RecordProposal, ID: p.ID}}
	d, err := s.store(ctx, st, doc, fmt.Sprintf("%s DEV-%d — %s", what, p.ID, p.RequestTopic), fileName(what, fmt.Sprint(p.ID), p.RequestTopic), links)
	if err != nil {
		return Generated{}, err
	}
	return Generated{Documents: []documents.Document{d}}, nil
}
