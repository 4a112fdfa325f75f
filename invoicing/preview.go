package invoicing

import (
	"context"
	"errors"

	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// Preview returns an invoice; a draft comes with the tax each line would
// get if issued today and the totals that follow (nothing is stored: the
// decision is taken, and frozen, at issue).
func (s *Service) Preview(ctx context.Context, id int64) (Invoice, error) {
	inv, err := s.Get(ctx, id)
	if err != nil || inv.Issued() {
		return inv, err
	}
	regime, country := tax.FRB2B, "FR"
	if inv.Payer == PayerClient {
		ct, err := s.ClientTax(ctx, inv.ClientID)
		if err != nil {
			return Invoice{}, err
		}
		regime, country = ct.Regime, ct.Territory()
	}
	inv.Regime = string(regime)
	seller, err := sellerOn(ctx, s.db, s.today())
	if err != nil {
		return Invoice{}, err
	}
	supply := s.today()
	if inv.ServiceEnd != nil {
		supply = *inv.ServiceEnd
	}
	amounts := make([]tax.Amount, 0, len(inv.Lines))
	for i, l := range inv.Lines {
		d, err := tax.Decide(tax.Input{Seller: seller.Seller(), Regime: regime, Kind: l.ServiceKind, SupplyDate: supply,
			EventCountry: l.EventCountry, ClientCountry: country})
		if err != nil {
			inv.Lines[i].TaxRule = "undecided"
			continue
		}
		inv.Lines[i].TaxRule, inv.Lines[i].RateBP, inv.Lines[i].Category = d.Rule, d.RateBP, d.Category
		inv.Lines[i].VATEX, inv.Lines[i].MentionKey, inv.Lines[i].OutOfBase = d.VATEX, d.MentionKey, d.OutOfBase
		amounts = append(amounts, tax.Amount{Category: d.Category, RateBP: d.RateBP, VATEX: d.VATEX, Net: l.Net, OutOfBase: d.OutOfBase})
	}
	t := tax.Compute(amounts)
	sign := int64(1)
	if inv.Kind == KindCreditNote {
		sign = -1
	}
	inv.Net, inv.VAT, inv.OutOfBase, inv.Gross = sign*t.Net, sign*t.VAT, sign*t.OutOfBase, sign*t.Gross
	for _, d := range inv.Deposits {
		dep, err := s.Get(ctx, d)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return Invoice{}, err
		}
		inv.Prepaid += dep.Gross
	}
	inv.Due = inv.Gross - inv.Prepaid
	return inv, nil
}
