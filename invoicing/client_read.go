package invoicing

import (
	"context"
	"fmt"
	"io"

	"github.com/courtier-crm/courtier/internal/errs"
)

// The extranet's reads: a client sees its issued invoices and credit
// notes (those its OPCO pays for it included), never a draft, never
// another client's. Every method takes the client first.

// ClientInvoices lists a client's issued documents, newest first.
func (s *Service) ClientInvoices(ctx context.Context, clientID int64, f Filter) ([]Invoice, int, error) {
	if clientID <= 0 {
		return nil, 0, fmt.Errorf("invoicing: no client: %w", errs.ErrNotFound)
	}
	f.ClientID, f.Status = clientID, StatusIssued
	return s.List(ctx, f)
}

// ClientPDF opens the stored PDF of one of the client's issued documents.
func (s *Service) ClientPDF(ctx context.Context, clientID, id int64) (io.ReadCloser, string, error) {
	inv, err := s.GetForClient(ctx, clientID, id)
	if err != nil {
		return nil, "", err
	}
	return s.PDF(ctx, inv)
}
