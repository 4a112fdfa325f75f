package fec

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// lines renders an entry's lines as "account aux D/C amount" for comparison.
func lines(e Entry) string {
	var out []string
	for _, l := range e.Lines {
		s := l.Account
		if l.AuxAccount != "" {
			s += " " + l.AuxAccount
		}
		if l.Debit != 0 || l.Credit == 0 {
			s += fmt.Sprintf(" D%d", l.Debit)
		} else {
			s += fmt.Sprintf(" C%d", l.Credit)
		}
		if l.Let != "" {
			s += " " + l.Let
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func TestPostSale(t *testing.T) {
	base := func(s Sale) Sale {
		s.Date, s.ClientAccount = day(2026, 3, 2), "411000"
		if s.ClientAux == "" {
			s.ClientAux, s.ClientLabel = "C000042", "ACME"
		}
		return s
	}
	cases := []struct {
		name, want, label string
		sale              Sale
	}{
		{"20 % invoice", "411000 C000042 D120000, 706100 C100000, 44571 C20000", "Facture F1 - ACME", Sale{Number: "F1",
			Revenue: []Posting{{"706100", "Formations", 100000}}, VAT: []Posting{{"44571", "TVA 20 %", 20000}}, Total: 120000}},
		{"exempt", "411000 C000042 D90000, 706110 C90000", "Facture F2 - ACME", Sale{Number: "F2",
			Revenue: []Posting{{"706110", "Formations exonérées", 90000}}, VAT: []Posting{{"44571", "TVA", 0}}, Total: 90000}},
		{"reverse charge", "411000 C000042 D50000, 706200 C50000", "Facture F3 - ACME", Sale{Number: "F3",
			Revenue: []Posting{{"706200", "Prestations UE autoliquidées", 50000}}, Total: 50000}},
		{"mixed", "411000 C000042 D142000, 706110 C80000, 706100 C60000, 44571 C2000", "Facture F4 - ACME", Sale{Number: "F4",
			Revenue: []Posting{{"706110", "Formations exonérées", 80000}, {"706100", "Conseil", 60000}},
			VAT:     []Posting{{"44571", "TVA 20 %", 2000}}, Total: 142000}},
		{"disbursement", "411000 C000042 D132000, 706100 C100000, 467000 C12000, 44571 C20000", "Facture F5 - ACME", Sale{Number: "F5",
			Revenue: []Posting{{"706100", "Formations", 100000}}, VAT: []Posting{{"44571", "TVA 20 %", 20000}},
			Transit: []Posting{{"467000", "Débours", 12000}}, Total: 132000}},
		{"credit note", "411000 C000042 C60000, 706100 D50000, 44571 D10000", "Avoir A1 sur facture F1 - ACME", Sale{Number: "A1",
			CreditNote: true, Corrects: "F1",
			Revenue: []Posting{{"706100", "Formations", 50000}}, VAT: []Posting{{"44571", "TVA 20 %", 10000}}, Total: 60000}},
		{"credit note, negative amounts", "411000 C000042 C60000, 706100 D50000, 44571 D10000", "Avoir A2 sur facture F1 - ACME", Sale{Number: "A2",
			CreditNote: true, Corrects: "F1",
			Revenue: []Posting{{"706100", "Formations", -50000}}, VAT: []Posting{{"44571", "TVA 20 %", -10000}}, Total: -60000}},
		{"OPCO share", "411000 O000007 D75000, 706110 C75000", "Facture F6 - OPCO Atlas", Sale{Number: "F6",
			ClientAux: "O000007", ClientLabel: "OPCO Atlas",
			Revenue: []Posting{{"706110", "Formations exonérées", 75000}}, Total: 75000}},
		{"discount account", "411000 C000042 D90000, 706100 C100000, 709000 D10000", "Facture F7 - ACME", Sale{Number: "F7",
			Revenue: []Posting{{"706100", "Formations", 100000}, {"709000", "RRR accordés", -10000}}, Total: 90000}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, err := PostSale(base(c.sale), "VE")
			if err != nil {
				t.Fatal(err)
			}
			if got := lines(e); got != c.want {
				t.Errorf("lines %s\nwant  %s", got, c.want)
			}
			if !e.Balanced() {
				t.Error("not balanced")
			}
			if e.PieceRef != c.sale.Number || e.Journal != "VE" || e.JournalLabel != "Ventes" || !e.ValidDate.Equal(e.Date) {
				t.Errorf("entry %+v", e)
			}
			for _, l := range e.Lines {
				if l.Label != c.label {
					t.Errorf("label %q, want %q", l.Label, c.label)
				}
				if l.Debit < 0 || l.Credit < 0 {
					t.Errorf("negative amount on %s", l.Account)
				}
			}
		})
	}
}

func TestPostSaleRefuses(t *testing.T) {
	s := Sale{Number: "F1", Date: day(2026, 3, 2), ClientAccount: "411000",
		Revenue: []Posting{{"706100", "", 100000}}, VAT: []Posting{{"44571", "", 20000}}, Total: 120001}
	if _, err := PostSale(s, "VE"); !errors.Is(err, ErrUnbalanced) || !strings.Contains(err.Error(), "F1") {
		t.Errorf("unbalanced sale: %v", err)
	}
	s.Total, s.Number = 120000, ""
	if _, err := PostSale(s, "VE"); !errors.Is(err, ErrInvalid) {
		t.Errorf("sale without number: %v", err)
	}
}

func TestPostPayment(t *testing.T) {
	p := Payment{Ref: "VIR-1", Date: day(2026, 4, 1), ClientAux: "C000042", ClientLabel: "ACME", ClientAccount: "411000",
		BankAccount: "512000", Amount: 120000, Invoice: "F1", Let: "AA"}
	e := PostPayment(p, "BQ")
	if got, want := lines(e), "512000 D120000, 411000 C000042 C120000 AA"; got != want {
		t.Errorf("lines %s, want %s", got, want)
	}
	if !e.Lines[1].LetDate.Equal(p.Date) || e.Settles != "F1" || e.PieceRef != "VIR-1" || e.JournalLabel != "Banque" ||
		e.Lines[0].Label != "Règlement facture F1 - ACME" {
		t.Errorf("entry %+v", e)
	}
	p.Amount, p.Let = -5000, ""
	if got, want := lines(PostPayment(p, "BQ")), "512000 C5000, 411000 C000042 D5000"; got != want {
		t.Errorf("refund %s, want %s", got, want)
	}
}

func TestLetter(t *testing.T) {
	sale := func(num string, aux string, total int64) Entry {
		e, err := PostSale(Sale{Number: num, Date: day(2026, 1, 10), ClientAux: aux, ClientAccount: "411000",
			Revenue: []Posting{{"706110", "", total}}, Total: total}, "VE")
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	pay := func(ref, inv, aux string, amount int64, d int, let string) Entry {
		return PostPayment(Payment{Ref: ref, Date: day(2026, 2, d), ClientAux: aux, ClientAccount: "411000",
			BankAccount: "512000", Amount: amount, Invoice: inv, Let: let}, "BQ")
	}
	credit, err := PostSale(Sale{Number: "A1", Date: day(2026, 1, 20), CreditNote: true, Corrects: "F3", ClientAux: "C1",
		ClientAccount: "411000", Revenue: []Posting{{"706110", "", 30000}}, Total: 30000}, "VE")
	if err != nil {
		t.Fatal(err)
	}
	es := []Entry{
		sale("F1", "C1", 100000), pay("V1", "F1", "C1", 40000, 1, ""), pay("V2", "F1", "C1", 60000, 9, ""), // paid in two
		sale("F2", "C2", 50000), pay("V3", "F2", "C2", 20000, 2, ""), // partly paid
		sale("F3", "C1", 30000), credit, // cancelled by a credit note
		sale("F4", "O7", 70000), pay("V4", "F4", "O7", 70000, 3, "AB"), // OPCO, code chosen by the caller
		sale("F5", "C1", 10000), pay("V5", "F5", "C9", 10000, 4, ""), // paid under another account: not lettered
	}
	Number(es)
	if n := Letter(es); n != 3 {
		t.Errorf("lettered %d invoices, want 3", n)
	}
	got := map[string]string{}
	for _, e := range es {
		l := e.Lines[clientLine(&e)]
		got[e.PieceRef] = l.Let
		if l.Let != "" {
			got[e.PieceRef] += " " + string(appendDate(nil, l.LetDate))
		}
	}
	want := map[string]string{
		"F1": "AA 20260209", "V1": "AA 20260209", "V2": "AA 20260209",
		"F2": "", "V3": "",
		"F3": "AC 20260120", "A1": "AC 20260120",
		"F4": "AB 20260203", "V4": "AB 20260203",
		"F5": "", "V5": "",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s lettered %q, want %q", k, got[k], w)
		}
	}
	for n, want := range map[int]string{0: "AA", 1: "AB", 25: "AZ", 26: "BA", 675: "ZZ", 676: "AAA"} {
		if got := letterCode(n); got != want {
			t.Errorf("letterCode(%d) = %s, want %s", n, got, want)
		}
	}
}
