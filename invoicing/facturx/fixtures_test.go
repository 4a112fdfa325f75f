package facturx

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The XML is checked with xmllint and the PDFs with qpdf and poppler-utils.
// Under CI=true a missing tool fails the test; elsewhere it skips it.

// tool returns the path of a command-line tool the test needs.
func tool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI (apt-get install libxml2-utils qpdf poppler-utils): %v", name, err)
	}
	t.Skipf("%s not installed (libxml2-utils, qpdf, poppler-utils): skipping outside CI only", name)
	return ""
}

// writeTemp stores data in the test's temporary folder under name.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const xsd = "testdata/factur-x-en16931-xsd/Factur-X_EN16931.xsd"

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, paris) }

// Mention texts as the invoicing package prints them.
const (
	mentionExempt  = "Exonération de TVA – art. 261, 4, 4° a du CGI"
	mentionAE      = "Autoliquidation – art. 283-2 du CGI – art. 196 de la directive 2006/112/CE"
	mentionNonEU   = "TVA non applicable – art. 259-1 du CGI"
	noteIndemnity  = "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €."
	notePenalties  = "Pénalités de retard : taux BCE + 10 points, exigibles sans rappel."
	noteNoDiscount = "Pas d'escompte pour paiement anticipé."
)

func seller() Party {
	return Party{
		Name: "Courtier Formation SAS", LegalForm: "SAS au capital de 10 000 € – RCS Lyon 123 456 789",
		SIREN: "123456789", SIRET: "12345678900017", VATNumber: "FR32123456789",
		Address:           Address{Line1: "12 rue de la République", PostCode: "69002", City: "Lyon", Country: "FR"},
		Email:             "factures@courtier.example",
		ElectronicAddress: "123456789", ElectronicScheme: "0225",
	}
}

func frenchBuyer() Party {
	return Party{
		Name: "Industrie Dupont SA", SIREN: "987654321", SIRET: "98765432100025", VATNumber: "FR45987654321",
		Address:           Address{Line1: "3 avenue Foch", Line2: "Bâtiment B", PostCode: "75016", City: "Paris", Country: "FR"},
		ElectronicAddress: "987654321", ElectronicScheme: "0225",
	}
}

func notes(bar string) []Note {
	n := []Note{
		{Subject: "PMT", Text: noteIndemnity},
		{Subject: "PMD", Text: notePenalties},
		{Subject: "AAB", Text: noteNoDiscount},
		{Subject: "REG", Text: "SAS au capital de 10 000 € – RCS Lyon 123 456 789 – NDA 84 69 12345 69"},
	}
	if bar != "" {
		n = append(n, Note{Subject: "BAR", Text: bar})
	}
	return n
}

// build fills the nets, the VAT breakdown and the totals from the lines, the
// way the invoicing package does (per category and rate, half away from zero).
func build(inv Invoice, reasons map[string][2]string) Invoice {
	type key struct {
		cat  string
		rate int64
	}
	idx := map[key]int{}
	inv.Taxes = nil
	inv.LineTotal = 0
	for i := range inv.Lines {
		l := &inv.Lines[i]
		l.Net = LineNet(l.QuantityMilli, l.UnitPrice, l.Discount)
		inv.LineTotal += l.Net
		k := key{l.Category, l.RateBP}
		j, ok := idx[k]
		if !ok {
			j = len(inv.Taxes)
			idx[k] = j
			r := reasons[l.Category]
			inv.Taxes = append(inv.Taxes, TaxSubtotal{Category: l.Category, RateBP: l.RateBP, ExemptionReason: r[0], ExemptionCode: r[1]})
		}
		inv.Taxes[j].Base += l.Net
	}
	inv.TaxTotal = 0
	for i := range inv.Taxes {
		inv.Taxes[i].VAT = VATAmount(inv.Taxes[i].Base, inv.Taxes[i].RateBP)
		inv.TaxTotal += inv.Taxes[i].VAT
	}
	inv.TaxBasis = inv.LineTotal
	inv.GrandTotal = inv.TaxBasis + inv.TaxTotal
	inv.DuePayable = inv.GrandTotal - inv.Prepaid
	return inv
}

var reasons = map[string][2]string{
	"E":  {mentionExempt, "VATEX-FR-CGI261-4"},
	"AE": {mentionAE, "VATEX-EU-AE"},
	"G":  {mentionNonEU, "VATEX-EU-G"},
}

func base(number string) Invoice {
	return Invoice{
		Number: number, TypeCode: "380",
		IssueDate: day(2026, 10, 5), DueDate: day(2026, 11, 4), Currency: "EUR",
		BusinessProcess: "S1",
		Seller:          seller(), Buyer: frenchBuyer(),
		PaymentMeans: "58", IBAN: "FR7630006000011234567890189", BIC: "AGRIFRPP",
		PaymentTerms: "Paiement à 30 jours par virement",
		Notes:        notes("B2B"),
	}
}

// samples are the invoices of the tests, one per VAT case.
func samples() map[string]Invoice {
	domestic := base("F2026-000101")
	domestic.BuyerReference = "DRH-2026"
	domestic.PurchaseOrder = "PO-4521"
	domestic.ServiceStart, domestic.ServiceEnd = day(2026, 9, 14), day(2026, 9, 16)
	domestic.Lines = []Line{
		{ID: "1", Name: "Conseil en ingénierie de formation", Description: "Audit des besoins, 3 jours", QuantityMilli: 3000, UnitCode: "DAY", UnitPrice: 95000, Category: "S", RateBP: 2000},
		{ID: "2", Name: "Frais de dossier", QuantityMilli: 1000, UnitCode: "C62", UnitPrice: 4999, Discount: 499, Category: "S", RateBP: 2000},
		{ID: "3", Name: "Heures de coordination", QuantityMilli: 1500, UnitCode: "HUR", UnitPrice: 8333, Category: "S", RateBP: 2000,
			Start: day(2026, 9, 14), End: day(2026, 9, 16)},
	}
	domestic = build(domestic, reasons)

	exempt := base("F2026-000102")
	exempt.ContractRef = "CONV-2026-044"
	exempt.Lines = []Line{
		{ID: "1", Name: "Formation « Management d'équipe »", Description: "Session intra, 2 jours, 8 stagiaires", QuantityMilli: 14000, UnitCode: "HUR", UnitPrice: 12500, Category: "E",
			Start: day(2026, 9, 21), End: day(2026, 9, 22)},
		{ID: "2", Name: "Supports de cours", QuantityMilli: 8000, UnitCode: "C62", UnitPrice: 1850, Category: "E"},
	}
	exempt.ServiceStart, exempt.ServiceEnd = day(2026, 9, 21), day(2026, 9, 22)
	exempt = build(exempt, reasons)

	eu := base("F2026-000103")
	eu.Notes = notes("B2BINT")
	eu.Buyer = Party{Name: "Weiterbildung GmbH", VATNumber: "DE123456789",
		Address: Address{Line1: "Hauptstraße 5", PostCode: "10115", City: "Berlin", Country: "DE"}}
	eu.Lines = []Line{{ID: "1", Name: "Formation sur mesure (intra-entreprise)", QuantityMilli: 2000, UnitCode: "DAY", UnitPrice: 180000, Category: "AE"}}
	eu = build(eu, reasons)

	nonEU := base("F2026-000104")
	nonEU.Notes = notes("B2BINT")
	nonEU.Buyer = Party{Name: "Training Ltd", Address: Address{Line1: "1 King Street", PostCode: "EC2V 8AU", City: "London", Country: "GB"}}
	nonEU.Lines = []Line{{ID: "1", Name: "Coaching de dirigeants", QuantityMilli: 10000, UnitCode: "HUR", UnitPrice: 25000, Category: "G"}}
	nonEU = build(nonEU, reasons)

	credit := base("AV2026-000012")
	credit.TypeCode = "381"
	credit.Preceding = []Ref{{Number: "F2026-000101", Date: day(2026, 10, 5)}}
	credit.IssueDate, credit.DueDate = day(2026, 10, 12), day(2026, 10, 12)
	credit.Lines = []Line{{ID: "1", Name: "Frais de dossier (annulation)", QuantityMilli: 1000, UnitCode: "C62", UnitPrice: 4500, Category: "S", RateBP: 2000}}
	credit = build(credit, reasons)

	opco := base("F2026-000105")
	opco.Payee = &Party{Name: "OPCO Atlas", SIREN: "851296632"}
	opco.Notes = append(opco.Notes,
		Note{Subject: "TXD", Text: mentionExempt},
		Note{Text: "Subrogation de paiement : règlement direct par l'OPCO Atlas, accord de prise en charge n° 2026-77812."})
	opco.Lines = []Line{{ID: "1", Name: "Formation « Excel avancé »", QuantityMilli: 21000, UnitCode: "HUR", UnitPrice: 4000, Category: "E",
		Start: day(2026, 9, 1), End: day(2026, 9, 3)}}
	opco.Prepaid = 0
	opco = build(opco, reasons)

	mixed := base("F2026-000106")
	mixed.Lines = []Line{
		{ID: "1", Name: "Formation « Sécurité incendie »", QuantityMilli: 7000, UnitCode: "HUR", UnitPrice: 11000, Category: "E"},
		{ID: "2", Name: "Location de salle", QuantityMilli: 1000, UnitCode: "DAY", UnitPrice: 35050, Category: "S", RateBP: 2000},
		{ID: "3", Name: "Pauses café", QuantityMilli: 12000, UnitCode: "C62", UnitPrice: 333, Category: "S", RateBP: 2000},
	}
	mixed.Prepaid = 20000
	mixed.BusinessProcess = "S4"
	mixed = build(mixed, reasons)

	return map[string]Invoice{
		"domestic 20%": domestic, "exempt training": exempt, "EU reverse charge": eu,
		"non-EU": nonEU, "credit note": credit, "OPCO payee": opco, "mixed E+S": mixed,
	}
}
