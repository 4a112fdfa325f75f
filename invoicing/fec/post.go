package fec

import (
	"fmt"
	"time"
)

// Sale is an issued invoice or credit note, as the caller's invoicing reads
// it; accounts come from the entity's settings. Amounts are those printed on
// the document (a credit note's may be given positive or negative).
type Sale struct {
	Number     string
	Date       time.Time
	ValidDate  time.Time // validation (issue) date; zero = Date
	CreditNote bool
	Corrects   string // invoice a credit note corrects, cited in the label

	ClientAux, ClientLabel string // auxiliary account ("C000042") and name; an OPCO has its own
	ClientAccount          string // "411000"
	ClientAccountLabel     string // "" = "Clients"

	Revenue []Posting // HT per revenue account (706xxx)
	VAT     []Posting // per VAT account (44571, 44574)
	Transit []Posting // re-invoiced disbursements (467), not revenue
	Total   int64     // TTC, the sum of all the postings
}

// Posting is an amount on one account.
type Posting struct {
	Account, AccountLabel string
	Amount                int64 // cents
}

// Payment is money received from a client or an OPCO for one invoice.
type Payment struct {
	Ref       string // bank reference, the PieceRef
	Date      time.Time
	ValidDate time.Time // zero = Date

	ClientAux, ClientLabel string
	ClientAccount          string // "411000"
	ClientAccountLabel     string // "" = "Clients"
	BankAccount            string // "512000"
	BankLabel              string // "" = "Banque"

	Amount  int64  // cents; negative for a refund
	Invoice string // number of the invoice it settles
	Let     string // lettering code, set only when the invoice is fully paid (or use Letter)
}

// PostSale turns an invoice into its sales-journal entry: D 411 TTC, C 706x
// HT, C 4457x VAT, C 467 disbursements; a credit note is the mirror. Zero
// postings are left out; the client line is always there.
func PostSale(s Sale, journal string) (Entry, error) {
	var sum int64
	for _, ps := range [][]Posting{s.Revenue, s.VAT, s.Transit} {
		for _, p := range ps {
			sum += p.Amount
		}
	}
	switch {
	case s.Number == "" || s.Date.IsZero() || s.ClientAccount == "" || journal == "":
		return Entry{}, fmt.Errorf("%w: sale %q: number, date, client account and journal are required", ErrInvalid, s.Number)
	case sum != s.Total:
		return Entry{}, fmt.Errorf("%w: %w: sale %s: postings sum to %s, total is %s", ErrInvalid, ErrUnbalanced,
			s.Number, appendAmount(nil, sum), appendAmount(nil, s.Total))
	}
	// sign is +1 when the client owes (invoice), -1 when it is owed (credit
	// note); a credit note given with negative amounts is the same document.
	sign := int64(1)
	if s.CreditNote {
		sign = -1
		if s.Total < 0 {
			sign = 1
		}
	}
	label := "Facture " + s.Number
	if s.CreditNote {
		label = "Avoir " + s.Number
		if s.Corrects != "" {
			label += " sur facture " + s.Corrects
		}
	}
	if s.ClientLabel != "" {
		label += " - " + s.ClientLabel
	}
	e := Entry{
		Journal: journal, JournalLabel: JournalLabel(journal),
		Date: s.Date, PieceRef: s.Number, PieceDate: s.Date, ValidDate: orDate(s.ValidDate, s.Date),
		Lines: make([]Line, 0, 1+len(s.Revenue)+len(s.VAT)+len(s.Transit)),
	}
	if s.CreditNote {
		e.Settles = s.Corrects
	}
	client := Line{Account: s.ClientAccount, AccountLabel: orStr(s.ClientAccountLabel, "Clients"),
		AuxAccount: s.ClientAux, AuxLabel: s.ClientLabel, Label: label}
	side(&client, sign*s.Total)
	e.Lines = append(e.Lines, client)
	for _, ps := range [][]Posting{s.Revenue, s.Transit, s.VAT} {
		for _, p := range ps {
			if p.Amount == 0 {
				continue
			}
			l := Line{Account: p.Account, AccountLabel: p.AccountLabel, Label: label}
			side(&l, -sign*p.Amount)
			e.Lines = append(e.Lines, l)
		}
	}
	return e, nil
}

// PostPayment turns a payment into its bank-journal entry: D 512, C 411
// (with the payment's lettering code); a refund is the mirror.
func PostPayment(p Payment, journal string) Entry {
	label := "Règlement"
	if p.Invoice != "" {
		label += " facture " + p.Invoice
	}
	if p.ClientLabel != "" {
		label += " - " + p.ClientLabel
	}
	bank := Line{Account: p.BankAccount, AccountLabel: orStr(p.BankLabel, "Banque"), Label: label}
	side(&bank, p.Amount)
	client := Line{Account: p.ClientAccount, AccountLabel: orStr(p.ClientAccountLabel, "Clients"),
		AuxAccount: p.ClientAux, AuxLabel: p.ClientLabel, Label: label, Let: p.Let}
	if p.Let != "" {
		client.LetDate = p.Date
	}
	side(&client, -p.Amount)
	return Entry{
		Journal: journal, JournalLabel: JournalLabel(journal),
		Date: p.Date, PieceRef: p.Ref, PieceDate: p.Date, ValidDate: orDate(p.ValidDate, p.Date),
		Settles: p.Invoice,
		Lines:   []Line{bank, client},
	}
}

// side puts a signed amount on the debit (positive) or credit (negative)
// side: FEC amounts are never negative.
func side(l *Line, amount int64) {
	if amount >= 0 {
		l.Debit, l.Credit = amount, 0
	} else {
		l.Debit, l.Credit = 0, -amount
	}
}

func orDate(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}

func orStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
