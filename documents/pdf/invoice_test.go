package pdf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/i18n"
)

// Invoice fixtures. The amounts are computed here the way invoicing does
// (line nets, VAT per category and rate rounded once, totals), so that the
// layout, which computes nothing, gets a consistent snapshot; the assertions
// spell the expected figures out.

var (
	invoiceDate = time.Date(2026, 10, 9, 9, 0, 0, 0, i18n.Paris)
	firstDay    = time.Date(2026, 10, 5, 0, 0, 0, 0, i18n.Paris)
)

var seller = Seller{
	Name:         "Cœur Formation Conseil",
	LegalForm:    "SAS",
	ShareCapital: 1000000,
	Address:      "Hôtel d'entreprises, 12 rue de la Forêt\n75011 Paris",
	SIREN:        "812345678",
	SIRET:        "81234567800021",
	RCSCity:      "Paris",
	VATNumber:    "FR12812345678",
	NDA:          "11 75 54321 75",
	NDARegion:    "Île-de-France",
	Email:        "facturation@coeur-formation.fr",
	IBAN:         "FR76 3000 4000 0312 3456 7890 143",
	BIC:          "BNPAFRPPXXX",
	Bank:         "BNP Paribas Paris Bastille",
}

var paymentNotes = []string{
	"En cas de retard de paiement, pénalités au taux annuel de 11,15 % (taux BCE + 10 points), exigibles sans rappel (art. L441-10 du Code de commerce).",
	"Indemnité forfaitaire pour frais de recouvrement : 40 € (art. D441-5 du Code de commerce).",
	"Pas d'escompte pour paiement anticipé.",
}

// settle fills the lines' nets, the VAT breakdown and the totals.
func settle(inv *Invoice) {
	inv.Net, inv.VAT, inv.OutOfBaseTotal, inv.Taxes = 0, 0, 0, nil
	index := map[string]int{}
	for i, l := range inv.Lines {
		l.Net = divRound(l.Quantity*l.UnitPrice, 1000) - l.Discount
		inv.Lines[i] = l
		key := fmt.Sprint(l.Category, l.RateBP)
		if _, ok := index[key]; !ok {
			index[key] = len(inv.Taxes)
			inv.Taxes = append(inv.Taxes, TaxRow{Category: l.Category, RateBP: l.RateBP})
		}
		inv.Taxes[index[key]].Base += l.Net
		inv.Net += l.Net
	}
	for i, t := range inv.Taxes {
		inv.Taxes[i].VAT = divRound(t.Base*t.RateBP, 10000)
		inv.VAT += inv.Taxes[i].VAT
	}
	for i, l := range inv.OutOfBase {
		inv.OutOfBase[i].Net = divRound(l.Quantity*l.UnitPrice, 1000)
		inv.OutOfBaseTotal += inv.OutOfBase[i].Net
	}
	inv.Gross = inv.Net + inv.VAT + inv.OutOfBaseTotal
	inv.Due = inv.Gross - inv.Prepaid
}

// invoice is a French B2B invoice at 20 %: a discount, a débours, a
// purchase order.
func invoice(t testing.TB) Invoice {
	fr := testFrame(t, "fr", "F2026-000012")
	fr.Date = invoiceDate
	inv := Invoice{
		Frame:         fr,
		DocType:       InvoiceStandard,
		Seller:        seller,
		Buyer:         Party{Name: client.Name, Address: client.Address, SIRET: client.SIRET, VATNumber: "FR45523456789", Contact: "Service comptabilité"},
		PurchaseOrder: "BC-2026-0456",
		ServiceStart:  firstDay,
		ServiceEnd:    firstDay.AddDate(0, 0, 1),
		DueDate:       invoiceDate.AddDate(0, 0, 30),
		Nature:        "Prestations de services",
		Lines: []InvoiceLine{
			{Designation: "Formation « Hygiène et sécurité alimentaire : maîtriser la méthode HACCP », intra-entreprise",
				Detail:   "Stagiaires : Amélie Lefèvre, Benoît Garçon, Cécile Mercœur — 14 h, les 05/10/2026 et 06/10/2026, à Lyon",
				Quantity: 2000, Unit: "jours", UnitPrice: 123450, Discount: 12345, RateBP: 2000, Category: "S"},
			{Designation: "Préparation et adaptation au fournil", Quantity: 1500, Unit: "jours", UnitPrice: 33333, RateBP: 2000, Category: "S"},
			{Designation: "Frais de déplacement du formateur", Quantity: 1000, Unit: "forfait", UnitPrice: 26555, RateBP: 2000, Category: "S"},
		},
		OutOfBase: []InvoiceLine{{Designation: "Frais d'inscription à l'examen, payés au nom et pour le compte du client",
			Detail: "Reçu de l'organisme certificateur n° 2026-7781", Quantity: 3000, Unit: "stagiaires", UnitPrice: 3000}},
		PaymentTerms: "Paiement à 30 jours par virement",
		PaymentNotes: paymentNotes,
	}
	settle(&inv)
	return inv
}

// exemptInvoice is training sold by a holder of the 261-4-4° a attestation.
func exemptInvoice(t testing.TB) Invoice {
	inv := invoice(t)
	inv.OutOfBase = nil
	for i := range inv.Lines {
		inv.Lines[i].RateBP, inv.Lines[i].Category = 0, "E"
	}
	inv.Mentions = []string{"Exonération de TVA – art. 261, 4, 4° a du CGI", "Exonération de TVA – art. 261, 4, 4° a du CGI"}
	settle(&inv)
	return inv
}

// reverseCharge is an English invoice to a German business.
func reverseCharge(t testing.TB) Invoice {
	fr := testFrame(t, "en", "F2026-000013")
	fr.Date = invoiceDate
	inv := Invoice{
		Frame:        fr,
		Seller:       seller,
		Buyer:        Party{Name: "Bäckerei Müller GmbH", Address: "Hauptstraße 5\n10115 Berlin\nGermany", VATNumber: "DE123456789", Contact: "Jörg Müller"},
		ServiceStart: firstDay,
		DueDate:      invoiceDate.AddDate(0, 0, 30),
		Nature:       "Supply of services",
		Lines: []InvoiceLine{{Designation: "Food safety (HACCP) masterclass, on site", Detail: "7 h on 5 Oct 2026, 8 trainees",
			Quantity: 1000, Unit: "day", UnitPrice: 245000, RateBP: 0, Category: "AE"}},
		Mentions:     []string{"Autoliquidation", "Reverse charge – art. 283-2 du CGI – art. 196 de la directive 2006/112/CE"},
		PaymentTerms: "Payment within 30 days by bank transfer",
		PaymentNotes: []string{"Late payment: interest at the ECB rate + 10 points and a €40 fixed recovery fee.", "No discount for early payment."},
	}
	settle(&inv)
	return inv
}

// creditNote cancels one day of the French invoice.
func creditNote(t testing.TB) Invoice {
	fr := testFrame(t, "fr", "AV2026-000003")
	fr.Date = invoiceDate.AddDate(0, 0, 5)
	inv := Invoice{
		Frame:        fr,
		DocType:      InvoiceCreditNote,
		Seller:       seller,
		Buyer:        invoice(t).Buyer,
		Corrects:     &Ref{Number: "F2026-000012", Date: invoiceDate},
		ServiceStart: firstDay.AddDate(0, 0, 1),
		Nature:       "Prestations de services",
		Lines: []InvoiceLine{{Designation: "Formation HACCP : journée du 06/10/2026 annulée", Quantity: -1000, Unit: "jour",
			UnitPrice: 123450, RateBP: 2000, Category: "S"}},
		PaymentTerms: "Remboursement par virement sous 15 jours",
	}
	settle(&inv)
	return inv
}

// opcoInvoice is addressed to the OPCO, which pays for the client under
// subrogation.
func opcoInvoice(t testing.TB) Invoice {
	inv := exemptInvoice(t)
	inv.Reference = "F2026-000014"
	inv.Buyer = Party{Name: "OPCO EP", Address: "Le Ponant, 25 rue Leblanc\n75015 Paris", SIRET: "85282345600018"}
	inv.OnBehalfOf = &Party{Name: client.Name, Address: "4 place du Château, 69002 Lyon", SIRET: client.SIRET}
	inv.OPCOFile = "EP-2026-0815-4471"
	inv.PurchaseOrder = ""
	inv.Lines = inv.Lines[:1]
	inv.Lines[0].Discount = 0
	inv.Notes = []string{"Subrogation de paiement", "Montant accordé par l'OPCO : 2 469,00 € HT (accord de prise en charge du 20/09/2026)",
		"Certificats de réalisation joints"}
	settle(&inv)
	return inv
}

// thirdPartyPayer is the client's invoice paid by the OPCO as third party.
func thirdPartyPayer(t testing.TB) Invoice {
	inv := opcoInvoice(t)
	inv.Buyer, inv.OnBehalfOf = invoice(t).Buyer, nil
	inv.Payer = &Party{Name: "OPCO EP", Address: "Le Ponant, 25 rue Leblanc, 75015 Paris"}
	inv.Notes = []string{"Subrogation de paiement : règlement par OPCO EP, dossier n° EP-2026-0815-4471"}
	return inv
}

// finalInvoice is a final invoice to a public buyer, one deposit deducted.
func finalInvoice(t testing.TB) Invoice {
	inv := invoice(t)
	inv.Reference, inv.DocType = "F2026-000020", InvoiceFinal
	inv.Buyer = Party{Name: "Ville de Lyon – Direction des ressources", Address: "1 place de la Comédie\n69001 Lyon", SIRET: "21690123100011"}
	inv.ServiceCode, inv.EngagementNumber, inv.PurchaseOrder = "DRH-FORMATION", "EJ-2026-00123", ""
	inv.Deposits = []Ref{{Number: "F2026-000010", Date: time.Date(2026, 9, 15, 0, 0, 0, 0, i18n.Paris), Amount: 116438}}
	inv.Prepaid = 116438
	settle(&inv)
	return inv
}

// longInvoice has 120 lines.
func longInvoice(t testing.TB) Invoice {
	inv := invoice(t)
	inv.Reference = "F2026-000099"
	inv.Lines = nil
	for i := range 120 {
		inv.Lines = append(inv.Lines, InvoiceLine{Designation: fmt.Sprintf("Séance de coaching n° %03d", i+1),
			Detail: "Coaching individuel d'un manager de boutique, 2 h", Quantity: 2000, Unit: "heures", UnitPrice: 5000, RateBP: 2000, Category: "S"})
	}
	settle(&inv)
	return inv
}

// TestInvoice renders each invoice case and reads it back.
func TestInvoice(t *testing.T) {
	cases := []struct {
		name  string
		doc   Invoice
		pages int
		want  []string
		not   []string
	}{
		{"fr 20 %", invoice(t), 1, []string{
			"Facture", "Numéro F2026-000012", "Date d'émission 09/10/2026", "Échéance 08/11/2026",
			"ÉMETTEUR", "CLIENT", "SAS au capital de 10 000,00 €", "SIRET 81234567800021", "RCS Paris 812345678", "N° TVA FR12812345678",
			"À l'attention de Service comptabilité", "SIREN 523456789 · SIRET 52345678900017", "N° TVA FR45523456789",
			"Bon de commande : BC-2026-0456", "Nature des opérations Prestations de services",
			"Période de la prestation du 05/10/2026 au 06/10/2026",
			"Désignation Quantité Prix unit. HT Remise TVA Total HT",
			"2 jours 1 234,50 € 123,45 € 20 % 2 345,55 €", "Stagiaires : Amélie Lefèvre, Benoît Garçon, Cécile Mercœur",
			"1,5 jours 333,33 € 20 % 500,00 €", "1 forfait 265,55 € 20 % 265,55 €",
			"Débours (hors base de TVA)", "3 stagiaires 30,00 € 90,00 €",
			"Récapitulatif de la TVA", "Taux de TVA Base HT Montant TVA", "20 % 3 111,10 € 622,22 €",
			"Total HT 3 111,10 €", "Total TVA 622,22 €", "Débours 90,00 €", "Total TTC 3 823,32 €", "Net à payer 3 823,32 €",
			"Règlement", "Conditions Paiement à 30 jours par virement", "IBAN FR76 3000 4000 0312 3456 7890 143", "BIC BNPAFRPPXXX",
			"Banque BNP Paribas Paris Bastille", "pénalités au taux annuel de 11,15 %", "40 €", "Pas d'escompte pour paiement anticipé."},
			[]string{"Acomptes déjà versés", "Exonération", "Déclaration d'activité enregistrée sous le numéro 11 75 54321 75 auprès du préfet de la région Île-de-France. Cet enregistrement ne vaut pas agrément de l'État. Déclaration"}},
		{"fr exempt", exemptInvoice(t), 1, []string{
			"2 jours 1 234,50 € 123,45 €", "0 % – exonération 3 111,10 € 0,00 €", "Total TVA 0,00 €", "Total TTC 3 111,10 €",
			"Exonération de TVA – art. 261, 4, 4° a du CGI"},
			[]string{"TVA 20", "20 %"}},
		{"en reverse charge", reverseCharge(t), 1, []string{
			"Invoice", "Number F2026-000013", "Issue date 9 Oct 2026", "Due date 8 Nov 2026", "FROM", "BILL TO",
			"SAS with a share capital of €10,000.00", "VAT no. FR12812345678", "Bäckerei Müller GmbH", "VAT no. DE123456789",
			"Date of service 5 Oct 2026", "Nature of supply Supply of services",
			"1 day €2,450.00 0% €2,450.00", "0% – reverse charge €2,450.00 €0.00", "Total excl. VAT €2,450.00",
			"Total incl. VAT €2,450.00", "Amount due €2,450.00", "Autoliquidation", "art. 283-2 du CGI – art. 196 de la directive 2006/112/CE",
			"Terms Payment within 30 days by bank transfer"},
			[]string{"SIREN"}},
		{"credit note", creditNote(t), 1, []string{
			"Avoir", "Numéro AV2026-000003", "Date d'émission 14/10/2026", "Cet avoir corrige la facture F2026-000012 du 09/10/2026.",
			"Date de la prestation 06/10/2026", "−1 jour 1 234,50 € 20 % −1 234,50 €", "20 % −1 234,50 € −246,90 €",
			"Total HT −1 234,50 €", "Total TVA −246,90 €", "Total TTC −1 481,40 €", "Net de l'avoir −1 481,40 €",
			"Conditions Remboursement par virement sous 15"},
			[]string{"Net à payer", "Échéance", "Facture"}},
		{"opco", opcoInvoice(t), 1, []string{
			"CLIENT", "OPCO EP", "SIREN 852823456 · SIRET 85282345600018", "POUR LE COMPTE DE", "Boulangeries Françaises SAS",
			"SIREN 523456789 · SIRET 52345678900017", "Dossier OPCO n° EP-2026-0815-4471", "Subrogation de paiement",
			"Montant accordé par l'OPCO : 2 469,00 € HT", "Net à payer 2 469,00 €", "Exonération de TVA – art. 261, 4, 4° a du CGI"},
			[]string{"PAYEUR"}},
		{"third-party payer", thirdPartyPayer(t), 1, []string{
			"CLIENT", "Boulangeries Françaises SAS", "PAYEUR", "OPCO EP", "Le Ponant, 25 rue Leblanc, 75015 Paris",
			"Dossier OPCO n° EP-2026-0815-4471", "Subrogation de paiement : règlement par OPCO EP"},
			[]string{"POUR LE COMPTE DE"}},
		{"final, public buyer", finalInvoice(t), 1, []string{
			"Facture de solde", "Ville de Lyon – Direction des ressources", "Code service : DRH-FORMATION",
			"N° d'engagement : EJ-2026-00123", "Factures d'acompte déduites", "Facture F2026-000010 du 15/09/2026 : 1 164,38 €",
			"Total TTC 3 823,32 €", "Acomptes déjà versés −1 164,38 €", "Net à payer 2 658,94 €"},
			[]string{"Bon de commande"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := mustRender(t, c.doc)
			qpdfCheck(t, doc)
			texts := pages(t, doc)
			if len(texts) != c.pages {
				t.Errorf("got %d pages, want %d", len(texts), c.pages)
			}
			for i, page := range texts {
				flat := flatten(page)
				if want := fmt.Sprintf("%d/%d", i+1, len(texts)); !strings.Contains(flat, want) {
					t.Errorf("page %d: no page number %q", i+1, want)
				}
				for _, want := range frameWants[c.doc.Lang] {
					if !strings.Contains(flat, want) {
						t.Errorf("page %d: footer misses %q", i+1, want)
					}
				}
			}
			all := flatten(strings.Join(texts, "\n"))
			for _, want := range c.want {
				if !strings.Contains(all, want) {
					t.Errorf("missing %q", want)
				}
			}
			for _, not := range c.not {
				if strings.Contains(all, not) {
					t.Errorf("unexpected %q", not)
				}
			}
			if m := "Exonération de TVA"; strings.Count(all, m) > 1 {
				t.Errorf("%q printed %d times", m, strings.Count(all, m))
			}
			if t.Failed() {
				t.Logf("text:\n%s", strings.Join(texts, "\n---- page ----\n"))
			}
		})
	}
}

// TestInvoicePaging: 120 lines run over several pages, each with the table
// header, the running head and its number; the totals end the last page.
func TestInvoicePaging(t *testing.T) {
	inv := longInvoice(t)
	texts := pages(t, mustRender(t, inv))
	if len(texts) < 3 {
		t.Fatalf("120 lines on %d pages", len(texts))
	}
	all := flatten(strings.Join(texts, "\n"))
	for i, text := range texts {
		flat := flatten(text)
		if strings.Contains(flat, "Séance de coaching") && !strings.Contains(flat, "Désignation Quantité Prix unit. HT TVA Total HT") {
			t.Errorf("page %d: no table header", i+1)
		}
		if !strings.Contains(flat, fmt.Sprintf("%d/%d", i+1, len(texts))) {
			t.Errorf("page %d: no page number", i+1)
		}
		if running := "Facture n° F2026-000099 du 09/10/2026 (suite)"; (i > 0) != strings.Contains(flat, running) {
			t.Errorf("page %d: running head %q wrong", i+1, running)
		}
		if i < len(texts)-1 && strings.Contains(flat, "Total TTC") {
			t.Errorf("page %d: totals before the last page", i+1)
		}
	}
	for i := range 120 {
		if n := strings.Count(all, fmt.Sprintf("Séance de coaching n° %03d", i+1)); n != 1 {
			t.Errorf("line %d printed %d times", i+1, n)
		}
	}
	// 120 × 2 h × 50 € = 12 000 €; VAT 2 400 €; plus 90 € of débours.
	last := flatten(texts[len(texts)-1])
	for _, want := range []string{"Total HT 12 000,00 €", "Total TVA 2 400,00 €", "Total TTC 14 490,00 €", "Net à payer 14 490,00 €",
		"IBAN FR76", "Pas d'escompte pour paiement anticipé."} {
		if !strings.Contains(last, want) {
			t.Errorf("last page misses %q", want)
		}
	}
}

// TestInvoiceSnapshot: the JSON snapshot decodes to the same invoice and
// renders the same bytes.
func TestInvoiceSnapshot(t *testing.T) {
	for _, inv := range []Invoice{invoice(t), creditNote(t), opcoInvoice(t), finalInvoice(t)} {
		snap, err := json.Marshal(inv)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(KindInvoice, snap)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(back)
		if !bytes.Equal(snap, again) {
			t.Errorf("%s: snapshot changed in a round trip:\n%s\n%s", inv.Reference, snap, again)
		}
		if !bytes.Equal(mustRender(t, inv), mustRender(t, back)) {
			t.Errorf("%s: render from the JSON snapshot differs", inv.Reference)
		}
	}
}

// TestInvoiceFacturX: the PDF a Factur-X is made from has no link
// annotation and embeds every font (PDF/A-3, DOMAIN.md §5.4).
func TestInvoiceFacturX(t *testing.T) {
	inv := invoice(t)
	inv.FacturX = true
	doc := mustRender(t, inv)
	for _, bad := range []string{"/Annots", "/Link", "/URI"} {
		if bytes.Contains(doc, []byte(bad)) {
			t.Errorf("the PDF contains %s", bad)
		}
	}
	out, err := exec.Command(tool(t, "pdffonts"), writeTemp(t, doc)).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
	if len(lines) == 0 {
		t.Fatal("no font")
	}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) < 5 || f[len(f)-5] != "yes" || !strings.Contains(strings.ToLower(f[0]), "dejavu") {
			t.Errorf("font not embedded or not DejaVu: %s", l)
		}
	}
	// The title in the metadata is the document's, not the kind's.
	out, err = exec.Command(tool(t, "pdfinfo"), writeTemp(t, mustRender(t, creditNote(t)))).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "Title:           Avoir\n") {
		t.Errorf("credit note title:\n%s", out)
	}
}

// TestInvoiceRefused: what the law does not accept is an error.
func TestInvoiceRefused(t *testing.T) {
	noNumber := invoice(t)
	noNumber.Reference = ""
	noDate := invoice(t)
	noDate.Date = time.Time{}
	orphan := creditNote(t)
	orphan.Corrects = nil
	odd := invoice(t)
	odd.DocType = "proforma"
	for _, inv := range []Invoice{noNumber, noDate, orphan, odd} {
		if err := Render(&bytes.Buffer{}, inv, nil); err == nil {
			t.Errorf("%q (%s) rendered", inv.Reference, inv.DocType)
		}
	}
}

// TestInvoiceTexts: the keys built at run time exist.
func TestInvoiceTexts(t *testing.T) {
	for _, typ := range InvoiceTypes {
		if _, ok := textsFR["invoice.title."+string(typ)]; !ok {
			t.Errorf("no title for %s", typ)
		}
	}
	for _, c := range []string{"e", "ae", "g", "o", "k"} {
		if _, ok := textsFR["invoice.cat."+c]; !ok {
			t.Errorf("no label for category %s", c)
		}
	}
	fr := &page{lang: "fr"}
	for _, c := range []struct{ got, want string }{
		{fr.thousandths(1500), "1,5"}, {fr.thousandths(2000), "2"}, {fr.thousandths(-1250), "\u22121,25"}, {fr.thousandths(5), "0,005"},
		{fr.amount(-123450), "\u22121\u202f234,50\u00a0€"}, {(&page{lang: "en"}).amount(-123450), "\u2212€1,234.50"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestInvoiceArtefacts writes page images of invoices
// (COURTIER_PDF_ARTEFACTS=1 go test -run Artefacts ./documents/pdf/).
func TestInvoiceArtefacts(t *testing.T) {
	for _, a := range []struct {
		name  string
		doc   Invoice
		pages int
	}{
		{"invoice-fr", invoice(t), 1},
		{"invoice-credit-note-fr", creditNote(t), 1},
		{"invoice-opco-fr", opcoInvoice(t), 1},
		{"invoice-reverse-charge-en", reverseCharge(t), 1},
		{"invoice-long-fr", longInvoice(t), 6},
	} {
		artefacts(t, a.name, mustRender(t, a.doc), a.pages)
	}
}
