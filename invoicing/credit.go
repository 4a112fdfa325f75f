package invoicing

import (
	"context"

	"github.com/courtier-crm/courtier/internal/errs"
)

// CreditDraft makes the draft of a credit note correcting an issued
// invoice: all of it (the lines as they were) when lines is nil, else the
// lines given (a partial credit). Cancelling an invoice is done this way
// only; the credit note is issued like an invoice, in its own series.
func (s *Service) CreditDraft(ctx context.Context, invoiceID int64, lines []LineInput, note string) (Invoice, error) {
	orig, err := s.Get(ctx, invoiceID)
	if err != nil {
		return Invoice{}, err
	}
	if !orig.Issued() || orig.Kind != KindInvoice {
		return Invoice{}, errs.NewInvalid("corrects_id", "error.corrects_issued_invoice")
	}
	in := orig.Input()
	in.Kind, in.Purpose, in.CorrectsID, in.DepositIDs, in.Note = KindCreditNote, PurposeStandard, &orig.ID, nil, note
	if lines != nil {
		in.Lines = lines
	}
	return s.CreateDraft(ctx, in)
}
