package invoicing

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// regimeCase is a client of one regime and what its invoice must say.
type regimeCase struct {
	name    string
	spec    clientSpec
	regime  tax.Regime
	facturX bool
	want    []string // in the PDF text
	wantNot []string // never in it
	vat     int64    // on 2 × 1 250,00 € of training
}

func regimeCases() []regimeCase {
	fr := clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554", siret: "55210055400013", vat: "FR96552100554"}
	return []regimeCase{
		{name: "fr b2b", spec: fr, regime: tax.FRB2B, facturX: true, vat: 50000,
			want:    []string{"Facture", "F2026-0000", "SIREN 552100554", "20 %", "500,00 €", "3 000,00 €", "Prestations de services", "40 €", "BC-2026-0456"},
			wantNot: []string{"Autoliquidation", "261", "art. 259"}},
		{name: "fr public", spec: clientSpec{name: "Mairie de Lyon", siren: "542107651", siret: "54210765100011", public: true},
			regime: tax.FRPublic, facturX: true, vat: 50000, want: []string{"SERV-FORM", "20 %", "3 000,00 €"}, wantNot: []string{"Autoliquidation"}},
		{name: "fr individual", spec: clientSpec{name: "Jeanne Martin", individual: true}, regime: tax.FRB2C, vat: 50000,
			want: []string{"20 %", "3 000,00 €"}, wantNot: []string{"Autoliquidation", "40 €"}},
		{name: "martinique b2b", spec: clientSpec{name: "Caraïbes Services SARL", siren: "732829320", postCode: "97200"},
			regime: tax.DOMTaxed, facturX: true, vat: 21250, want: []string{"8,5 %", "2 712,50 €"}},
		{name: "guyane b2b", spec: clientSpec{name: "Amazonie Conseil SARL", siren: "552100554", postCode: "97300"},
			regime: tax.DOMUntaxed, facturX: true, want: []string{"294"}, wantNot: []string{"20 %"}},
		{name: "eu b2b", spec: clientSpec{name: "Berliner Akademie GmbH", country: "DE", vat: "DE123456789", vatValid: true, lang: "en"},
			regime: tax.EUB2B, want: []string{"Invoice", "Autoliquidation", "DE123456789", "FR44732829320", "2,500.00"},
			wantNot: []string{"20 %", "20%"}},
		{name: "eu b2b without valid number", spec: clientSpec{name: "Bruxelles Formation SPRL", country: "BE", vat: "BE0123456789"},
			regime: tax.EUB2C, vat: 50000, want: []string{"20 %"}, wantNot: []string{"Autoliquidation"}},
		{name: "non-eu b2b", spec: clientSpec{name: "London Skills Ltd", country: "GB", lang: "en"}, regime: tax.NonEUB2B,
			want: []string{"259"}, wantNot: []string{"Autoliquidation", "20 %"}},
		{name: "non-eu individual", spec: clientSpec{name: "Heidi Müller", country: "CH", individual: true}, regime: tax.NonEUB2C,
			vat: 50000, want: []string{"20 %"}},
	}
}

func TestIssueEveryRegime(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for _, c := range regimeCases() {
			t.Run(c.name, func(t *testing.T) {
				f.t = t
				id := f.client(c.spec)
				ct, err := f.svc.ClientTax(f.ctx, id)
				f.must(err)
				if ct.Regime != c.regime {
					t.Fatalf("regime = %s, want %s", ct.Regime, c.regime)
				}
				draft := f.draft(id, training(125000))
				if draft.Number != nil || draft.Status != StatusDraft {
					t.Fatalf("a draft has no number: %+v", draft)
				}
				inv := f.issue(draft.ID)
				if inv.Number == nil || !strings.HasPrefix(*inv.Number, "F2026-") || inv.Regime != string(c.regime) {
					t.Fatalf("issued %v regime %s", inv.Number, inv.Regime)
				}
				if inv.Net != 250000 || inv.VAT != c.vat || inv.Gross != 250000+c.vat || inv.Due != inv.Gross {
					t.Fatalf("totals net %d vat %d gross %d due %d, want vat %d", inv.Net, inv.VAT, inv.Gross, inv.Due, c.vat)
				}
				if inv.DueDate.Sub(*inv.IssueDate) != 30*24*time.Hour {
					t.Errorf("due %s for issue %s", inv.DueDate, inv.IssueDate)
				}
				text := f.pdfText(inv)
				for _, w := range c.want {
					if !strings.Contains(text, w) {
						t.Errorf("the PDF lacks %q:\n%s", w, text)
					}
				}
				for _, w := range c.wantNot {
					if strings.Contains(text, w) {
						t.Errorf("the PDF must not say %q:\n%s", w, text)
					}
				}
				if inv.FacturX != c.facturX {
					t.Fatalf("Factur-X = %v, want %v", inv.FacturX, c.facturX)
				}
				if c.facturX {
					xml := f.eInvoice(inv)
					if !strings.Contains(string(xml), *inv.Number) {
						t.Error("the XML does not carry the number")
					}
				}
			})
		}
	})
}

func TestExemptTrainingNeedsAttestationOnTheSupplyDate(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		from := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
		_, err := f.svc.SaveSellerProfile(f.ctx, SellerProfile{ValidFrom: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
			VATScheme: "NORMAL", AttestationGranted: true, AttestationFrom: &from, AttestationRef: "DREETS IDF 2026-118",
			PaymentTermsDays: 30, InvoiceFormat: "F{YYYY}-{NNNNNN}", CreditFormat: "AV{YYYY}-{NNNNNN}", IBAN: "FR7630006000011234567890189"})
		f.must(err)
		client := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554", vat: "FR96552100554"})
		// Service ending the 3rd: covered; extras stay taxable.
		extra := LineInput{Label: "Location de salle", ServiceKind: tax.ServiceOther, QuantityMilli: 1000, Unit: "day", UnitPrice: 30000}
		inv := f.issue(f.draft(client, training(125000), extra).ID)
		if inv.VAT != 6000 || inv.Gross != 250000+30000+6000 {
			t.Fatalf("mixed invoice: vat %d gross %d", inv.VAT, inv.Gross)
		}
		text := f.pdfText(inv)
		if !strings.Contains(text, "261") || !strings.Contains(text, "20 %") {
			t.Fatalf("the exemption mention and the 20 %% row: %s", text)
		}
		// A service that ended before the attestation took effect is taxed.
		start, end := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)
		early, err := f.svc.CreateDraft(f.ctx, DraftInput{ClientID: client, ServiceStart: &start, ServiceEnd: &end,
			Lines: []LineInput{training(125000)}})
		f.must(err)
		if early = f.issue(early.ID); early.VAT != 50000 {
			t.Fatalf("before the attestation: vat %d", early.VAT)
		}
		frozen, err := early.Frozen()
		f.must(err)
		if frozen.Taxes[0].Category != "S" || early.Lines[0].TaxRule != "fr-training" {
			t.Fatalf("frozen decision %+v %+v", frozen.Taxes, early.Lines[0])
		}
	})
}

func TestIssuedDocumentsCannotChange(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		client := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554", vat: "FR96552100554"})
		inv := f.issue(f.draft(client, training(125000)).ID)
		if _, err := f.svc.UpdateDraft(f.ctx, inv.ID, inv.Input()); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("update of an issued invoice: %v", err)
		}
		if err := f.svc.DeleteDraft(f.ctx, inv.ID); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("delete of an issued invoice: %v", err)
		}
		if _, err := f.svc.Issue(f.ctx, inv.ID, IssueOptions{}); !errors.Is(err, errs.ErrConflict) {
			t.Fatalf("issue twice: %v", err)
		}
		// The database itself refuses, whatever the code does.
		for _, q := range []string{
			`UPDATE invoices SET gross_cents = 1 WHERE id = ?`,
			`UPDATE invoices SET status = 'draft', number = NULL WHERE id = ?`,
			`DELETE FROM invoices WHERE id = ?`,
			`UPDATE invoice_lines SET unit_price_cents = 1 WHERE invoice_id = ?`,
			`DELETE FROM invoice_lines WHERE invoice_id = ?`,
			`INSERT INTO invoice_lines (invoice_id, position, label, service_kind, quantity_milli, unit_price_cents, net_cents)
				VALUES (?, 9, 'ajout', 'TRAINING_FPC', 1000, 100, 100)`,
		} {
			if _, err := d.Exec(f.ctx, q, inv.ID); err == nil {
				t.Errorf("the database accepted %s", q)
			}
		}
		if _, err := d.Exec(f.ctx, `DELETE FROM documents WHERE id = ?`, *inv.PDFDocumentID); err == nil {
			t.Error("the database let the stored PDF be deleted")
		}
		again, err := f.svc.Get(f.ctx, inv.ID)
		f.must(err)
		if again.Gross != inv.Gross || len(again.Lines) != 1 || again.Lines[0].UnitPrice != 125000 || *again.Number != *inv.Number {
			t.Fatalf("the issued invoice changed: %+v", again)
		}
		// A draft is still free.
		draft := f.draft(client, training(1000))
		f.must(f.svc.DeleteDraft(f.ctx, draft.ID))
		if _, err := f.svc.Get(f.ctx, draft.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Fatalf("deleted draft: %v", err)
		}
	})
}

func TestFailedIssueLeavesTheDraft(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// A French business without SIREN cannot be invoiced (mandatory mention, BR-FR-11).
		client := f.client(clientSpec{name: "Sans Siren SARL"})
		draft := f.draft(client, training(125000))
		_, err := f.svc.Issue(f.ctx, draft.ID, IssueOptions{})
		var inv *errs.Invalid
		if !errors.As(err, &inv) || inv.Fields["buyer_siren"] == "" {
			t.Fatalf("issue without the client's SIREN: %v", err)
		}
		after, err := f.svc.Get(f.ctx, draft.ID)
		f.must(err)
		if after.Issued() || after.Number != nil {
			t.Fatalf("the failed issue changed the draft: %+v", after)
		}
		var last int64
		_ = d.Get(f.ctx, &last, `SELECT COALESCE(MAX(last_number), 0) FROM invoice_series`)
		if last != 0 {
			t.Fatalf("a failed issue used number %d", last)
		}
		// A public buyer whose directory entry demands an engagement number.
		mairie := f.client(clientSpec{name: "Mairie de Lyon", siren: "542107651", siret: "54210765100011", public: true})
		_, err = d.Exec(f.ctx, `UPDATE clients SET chorus_engagement_required = TRUE WHERE id = ?`, mairie)
		f.must(err)
		noPO, err := f.svc.CreateDraft(f.ctx, DraftInput{ClientID: mairie, Lines: []LineInput{training(1000)}})
		f.must(err)
		if _, err = f.svc.Issue(f.ctx, noPO.ID, IssueOptions{}); !errors.As(err, &inv) || inv.Fields["purchase_order"] == "" {
			t.Fatalf("public buyer without engagement number: %v", err)
		}
		// Numbers follow dates: an issue dated before the last one is refused.
		ok := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554"})
		f.issue(f.draft(ok, training(1000)).ID)
		_, err = f.svc.Issue(f.ctx, f.draft(ok, training(1000)).ID, IssueOptions{Date: f.today.AddDate(0, 0, -3)})
		if !errors.As(err, &inv) || inv.Fields["date"] == "" {
			t.Fatalf("backdated issue: %v", err)
		}
	})
}

func TestCreditNotesAndPayments(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		client := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554", vat: "FR96552100554"})
		inv := f.issue(f.draft(client, training(125000)).ID) // 3 000,00 TTC
		pay := func(cents int64, on time.Time) error {
			_, err := f.svc.RecordPayment(f.ctx, Payment{InvoiceID: inv.ID, ReceivedOn: on, Amount: cents, Reference: "VIR 123"})
			return err
		}
		f.must(pay(100000, f.today))
		inv, _ = f.svc.Get(f.ctx, inv.ID)
		if inv.PaymentStatus(f.today) != PayPartly || inv.Outstanding() != 200000 {
			t.Fatalf("after a partial payment: %s %d", inv.PaymentStatus(f.today), inv.Outstanding())
		}
		if inv.PaymentStatus(f.today.AddDate(0, 2, 0)) != PayOverdue {
			t.Fatalf("two months later: %s", inv.PaymentStatus(f.today.AddDate(0, 2, 0)))
		}
		if err := pay(200001, f.today); !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("overpayment: %v", err)
		}
		aged, err := f.svc.AgedReceivables(f.ctx, f.today.AddDate(0, 0, 45))
		f.must(err)
		if len(aged) != 1 || aged[0].Days30 != 200000 || aged[0].Total != 200000 {
			t.Fatalf("aged receivables 45 days later: %+v", aged)
		}
		// A partial credit note of 500 € HT, then more than what is left is refused.
		part := training(25000)
		part.QuantityMilli = 2000
		cn, err := f.svc.CreditDraft(f.ctx, inv.ID, []LineInput{part}, "Une demi-journée annulée")
		f.must(err)
		cn = f.issue(cn.ID)
		if cn.Kind != KindCreditNote || !strings.HasPrefix(*cn.Number, "AV2026-") || cn.Gross != -60000 || cn.Net != -50000 {
			t.Fatalf("credit note %v gross %d", cn.Number, cn.Gross)
		}
		if xml := f.eInvoice(cn); !strings.Contains(string(xml), "381") || !strings.Contains(string(xml), *inv.Number) {
			t.Error("the credit note's e-invoice is not a 381 referencing the invoice")
		}
		text := f.pdfText(cn)
		for _, w := range []string{"Avoir", *inv.Number, "-600,00 €"} {
			if !strings.Contains(text, w) {
				t.Errorf("credit note PDF lacks %q: %s", w, text)
			}
		}
		inv, _ = f.svc.Get(f.ctx, inv.ID)
		if inv.Credited != 60000 || inv.Outstanding() != 140000 {
			t.Fatalf("after the credit note: credited %d outstanding %d", inv.Credited, inv.Outstanding())
		}
		big, err := f.svc.CreditDraft(f.ctx, inv.ID, nil, "")
		f.must(err)
		if _, err := f.svc.Issue(f.ctx, big.ID, IssueOptions{}); !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("credit beyond the invoice: %v", err)
		}
		f.must(pay(140000, f.today))
		inv, _ = f.svc.Get(f.ctx, inv.ID)
		if inv.PaymentStatus(f.today.AddDate(1, 0, 0)) != PayPaid {
			t.Fatalf("settled: %s", inv.PaymentStatus(f.today))
		}
		// The invoice was sent by mail, the PDF attached.
		m, err := f.svc.Send(f.ctx, inv.ID, "invoice")
		f.must(err)
		if m.SentTo == "" || len(f.rec.Messages()) != 1 {
			t.Fatalf("mailing %+v, %d mails", m, len(f.rec.Messages()))
		}
		if _, err := f.svc.Send(f.ctx, inv.ID, "reminder"); !errors.Is(err, errs.ErrInvalid) {
			t.Fatalf("reminder of a paid invoice: %v", err)
		}
	})
}

func TestCheckFindsNoGapAndAlteredPDFs(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		client := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554"})
		for range 3 {
			f.issue(f.draft(client, training(1000)).ID)
		}
		reports, err := f.svc.Check(f.ctx, nil)
		f.must(err)
		if len(reports) != 1 || !reports[0].OK() || reports[0].Issued != 3 {
			t.Fatalf("check: %+v", reports)
		}
		// A counter ahead of the documents is a gap.
		_, err = d.Exec(f.ctx, `UPDATE invoice_series SET last_number = 4`)
		f.must(err)
		reports, err = f.svc.Check(f.ctx, nil)
		f.must(err)
		if reports[0].OK() || fmt.Sprint(reports[0].Gaps) != "[4]" {
			t.Fatalf("gap not found: %+v", reports)
		}
	})
}

func TestClientsSeeOnlyTheirIssuedDocuments(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		acme := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554"})
		other := f.client(clientSpec{name: "Mairie de Lyon", siren: "542107651", siret: "54210765100011", public: true})
		issued := f.issue(f.draft(acme, training(1000)).ID)
		draft := f.draft(acme, training(2000))
		theirs := f.issue(f.draft(other, training(3000)).ID)
		list, total, err := f.svc.ClientInvoices(f.ctx, acme, Filter{})
		f.must(err)
		if total != 1 || list[0].ID != issued.ID {
			t.Fatalf("acme sees %d documents: %+v", total, list)
		}
		for _, id := range []int64{draft.ID, theirs.ID, 999999} {
			if _, err := f.svc.GetForClient(f.ctx, acme, id); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("acme reads document %d: %v", id, err)
			}
			if _, _, err := f.svc.ClientPDF(f.ctx, acme, id); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("acme downloads document %d: %v", id, err)
			}
		}
		r, name, err := f.svc.ClientPDF(f.ctx, acme, issued.ID)
		f.must(err)
		r.Close()
		if name != *issued.Number+".pdf" {
			t.Fatalf("file name %s", name)
		}
	})
}
