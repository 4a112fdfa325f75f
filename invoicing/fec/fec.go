// Package fec writes the sales and bank journals in the format of the French
// FEC (Fichier des Écritures Comptables, art. A47 A-1 LPF) for the accountant
// to import, and the same entries as a CSV for French Excel. It also turns
// sales documents and payments into balanced entries.
//
// Unless Courtier keeps the books, the file is a FEC-format export, not the
// company's legal FEC, which covers its whole accounting (docs/fec.md).
//
// Callers fill its plain structs: the package imports no project package.
// Amounts are int64 cents.
package fec

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"time"
)

// ErrInvalid is wrapped by every error about an entry that cannot be written.
var ErrInvalid = errors.New("fec: invalid entry")

// ErrUnbalanced is wrapped (with ErrInvalid) when debits differ from credits.
var ErrUnbalanced = errors.New("fec: unbalanced")

// Fields are the 18 FEC field names, in the order of A47 A-1; the header line
// must carry them exactly.
var Fields = [18]string{
	"JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum",
	"CompteLib", "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate",
	"EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet", "ValidDate",
	"Montantdevise", "Idevise",
}

// Line is one line of an entry, on one account.
type Line struct {
	Account, AccountLabel string // CompteNum (first 3 chars = PCG), CompteLib
	AuxAccount, AuxLabel  string // client code and name, "" if none
	Label                 string // EcritureLib
	Debit, Credit         int64  // cents, never negative, one of them 0
	Let                   string // lettering code, "" if none
	LetDate               time.Time
	CurrencyAmount        int64  // signed, in the foreign currency's cents
	Currency              string // ISO 4217; "" or "EUR" writes both fields empty
}

// Entry is one balanced accounting entry (EcritureNum) of a journal.
type Entry struct {
	Journal, JournalLabel string // JournalCode ("VE", "BQ"), JournalLib
	Num                   string // continuous per journal; Number fills it
	Date                  time.Time
	PieceRef              string // invoice, credit-note or payment number
	PieceDate             time.Time
	ValidDate             time.Time
	// Settles is the invoice number a payment or credit note settles; Letter
	// uses it, Write ignores it.
	Settles string
	Lines   []Line
}

// Balanced reports whether the entry's debits equal its credits.
func (e Entry) Balanced() bool {
	d, c := e.Totals()
	return d == c
}

// Totals returns the sums of the entry's debits and credits.
func (e Entry) Totals() (debit, credit int64) {
	for _, l := range e.Lines {
		debit += l.Debit
		credit += l.Credit
	}
	return debit, credit
}

// Number sorts entries chronologically (Date, then PieceRef, then journal)
// and numbers every entry continuously per journal ("VE000001"), replacing
// any Num already set, so the same input always gets the same numbers.
func Number(entries []Entry) {
	slices.SortStableFunc(entries, func(a, b Entry) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		if c := cmp.Compare(a.PieceRef, b.PieceRef); c != 0 {
			return c
		}
		return cmp.Compare(a.Journal, b.Journal)
	})
	next := map[string]int{}
	buf := make([]byte, 0, 16)
	for i := range entries {
		j := entries[i].Journal
		next[j]++
		buf = append(buf[:0], j...)
		n := strconv.Itoa(next[j])
		for k := len(n); k < 6; k++ {
			buf = append(buf, '0')
		}
		buf = append(buf, n...)
		entries[i].Num = string(buf)
	}
}

// FileName is the name A47 A-1 gives the file: SIREN, "FEC", closing date of
// the fiscal year.
func FileName(siren string, closing time.Time) string {
	return siren + "FEC" + string(appendDate(nil, closing)) + ".txt"
}

// journalLabels are the default JournalLib of the usual journal codes.
var journalLabels = map[string]string{
	"VE": "Ventes",
	"AV": "Avoirs",
	"BQ": "Banque",
	"OD": "Opérations diverses",
}

// JournalLabel returns the usual label of a journal code, or the code itself.
func JournalLabel(code string) string {
	if l, ok := journalLabels[code]; ok {
		return l
	}
	return code
}
