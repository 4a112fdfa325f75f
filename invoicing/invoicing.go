// Package invoicing will own the broker's invoices and credit notes: tax
// regimes per client, gapless numbering taken inside the issuing
// transaction, payments, immutability of issued documents, OPCO splits. It
// is built by the invoicing issue; this file fixes its place in the layout
// and its import rules (crm, documents, documents/pdf, internal/db, internal/money).
package invoicing
