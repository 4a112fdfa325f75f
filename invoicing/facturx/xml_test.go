package facturx

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// xmllint validates data against the Factur-X EN 16931 XSD.
func xmllint(t *testing.T, data []byte) {
	t.Helper()
	path := writeTemp(t, "factur-x.xml", data)
	out, err := exec.Command(tool(t, "xmllint"), "--noout", "--schema", xsd, path).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

func TestSamples(t *testing.T) {
	for name, inv := range samples() {
		t.Run(name, func(t *testing.T) {
			if err := Check(inv); err != nil {
				t.Fatalf("Check: %v", err)
			}
			data, err := XML(inv)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckXML(data); err != nil {
				t.Fatalf("CheckXML: %v\n%s", err, data)
			}
			again, _ := XML(inv)
			if !bytes.Equal(data, again) {
				t.Error("XML is not deterministic")
			}
			xmllint(t, data)
		})
	}
}

// TestXMLContent spot-checks the values a PA reads, in the bytes.
func TestXMLContent(t *testing.T) {
	s := samples()
	cases := []struct {
		sample string
		want   []string
		not    []string
	}{
		{"domestic 20%", []string{
			`<ram:ID>urn:cen.eu:en16931:2017</ram:ID>`,
			`<ram:IssueDateTime>`, `<udt:DateTimeString format="102">20261005</udt:DateTimeString>`,
			`<ram:BilledQuantity unitCode="HUR">1.5</ram:BilledQuantity>`,
			`<ram:LineTotalAmount>125.00</ram:LineTotalAmount>`, // 1.5 × 83.33 = 124.995, half away from zero
			`<ram:ID schemeID="0002">123456789</ram:ID>`,
			`<ram:GlobalID schemeID="0009">12345678900017</ram:GlobalID>`,
			`<ram:ID schemeID="VA">FR32123456789</ram:ID>`,
			`<ram:URIID schemeID="0225">987654321</ram:URIID>`,
			`<ram:SubjectCode>PMT</ram:SubjectCode>`,
			`<ram:TaxTotalAmount currencyID="EUR">`,
			`<ram:BuyerReference>DRH-2026</ram:BuyerReference>`,
			`<ram:IBANID>FR7630006000011234567890189</ram:IBANID>`,
		}, nil},
		{"exempt training", []string{
			`<ram:ExemptionReason>` + mentionExempt + `</ram:ExemptionReason>`,
			`<ram:ExemptionReasonCode>VATEX-FR-CGI261-4</ram:ExemptionReasonCode>`,
			`<ram:RateApplicablePercent>0.00</ram:RateApplicablePercent>`,
		}, nil},
		{"credit note", []string{
			`<ram:TypeCode>381</ram:TypeCode>`,
			`<ram:InvoiceReferencedDocument>`, `<ram:IssuerAssignedID>F2026-000101</ram:IssuerAssignedID>`,
			`<qdt:DateTimeString format="102">20261005</qdt:DateTimeString>`,
		}, nil},
		{"OPCO payee", []string{`<ram:PayeeTradeParty>`, `<ram:Name>OPCO Atlas</ram:Name>`}, nil},
		{"mixed E+S", []string{`<ram:TotalPrepaidAmount>200.00</ram:TotalPrepaidAmount>`}, nil},
	}
	for _, c := range cases {
		data, err := XML(s[c.sample])
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !bytes.Contains(data, []byte(w)) {
				t.Errorf("%s: XML lacks %s", c.sample, w)
			}
		}
	}
}

// TestBroken proves each rule on a sample that breaks it, in the struct and
// in the XML bytes.
func TestBroken(t *testing.T) {
	cases := []struct {
		name   string
		sample string
		breakf func(*Invoice)
		rules  []string
	}{
		{"wrong grand total", "domestic 20%", func(i *Invoice) { i.GrandTotal++ }, []string{"BR-CO-15", "BR-CO-16"}},
		{"wrong VAT per rate", "domestic 20%", func(i *Invoice) { i.Taxes[0].VAT++; i.TaxTotal++; i.GrandTotal++; i.DuePayable++ }, []string{"BR-S-09"}},
		{"wrong category base", "mixed E+S", func(i *Invoice) { i.Taxes[0].Base -= 100 }, []string{"BR-E-08"}},
		{"line total", "domestic 20%", func(i *Invoice) { i.LineTotal += 1 }, []string{"BR-CO-10", "BR-CO-13"}},
		{"VAT total", "domestic 20%", func(i *Invoice) { i.TaxTotal -= 1 }, []string{"BR-CO-14", "BR-CO-15"}},
		{"missing PMT note", "domestic 20%", func(i *Invoice) { i.Notes = i.Notes[1:] }, []string{"BR-FR-05"}},
		{"AAB twice", "domestic 20%", func(i *Invoice) { i.Notes = append(i.Notes, Note{Subject: "AAB", Text: "x"}) }, []string{"BR-FR-06"}},
		{"381 without reference", "credit note", func(i *Invoice) { i.Preceding = nil }, []string{"BR-FR-CO-05"}},
		{"number with a space", "domestic 20%", func(i *Invoice) { i.Number = "F2026 000101" }, []string{"BR-FR-02"}},
		{"number too long", "domestic 20%", func(i *Invoice) { i.Number = strings.Repeat("A", 36) }, []string{"BR-FR-01"}},
		{"SIREN", "domestic 20%", func(i *Invoice) { i.Seller.SIREN = "12345678" }, []string{"BR-FR-09"}},
		{"SIRET of another SIREN", "domestic 20%", func(i *Invoice) { i.Buyer.SIRET = "11111111100017" }, []string{"BR-FR-10"}},
		{"B2B without buyer SIREN", "domestic 20%", func(i *Invoice) { i.Buyer.SIREN, i.Buyer.SIRET = "", "" }, []string{"BR-FR-11"}},
		{"category", "domestic 20%", func(i *Invoice) { i.Lines[0].Category = "L"; i.Taxes[0].Category = "L" }, []string{"BR-FR-15"}},
		{"rate", "domestic 20%", func(i *Invoice) {
			for j := range i.Lines {
				i.Lines[j].RateBP = 1900
			}
			i.Taxes[0].RateBP = 1900
			i.Taxes[0].VAT = VATAmount(i.Taxes[0].Base, 1900)
			i.TaxTotal = i.Taxes[0].VAT
			i.GrandTotal = i.TaxBasis + i.TaxTotal
			i.DuePayable = i.GrandTotal
		}, []string{"BR-FR-16"}},
		{"AE without buyer VAT", "EU reverse charge", func(i *Invoice) { i.Buyer.VATNumber = "" }, []string{"BR-AE-02"}},
		{"due before issue", "domestic 20%", func(i *Invoice) { i.DueDate = i.IssueDate.AddDate(0, 0, -1) }, []string{"BR-FR-CO-07"}},
		{"line net", "domestic 20%", func(i *Invoice) { i.Lines[0].Net++; i.LineTotal++; i.TaxBasis++ }, []string{"LINE-NET"}},
	}
	s := samples()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			inv := s[c.sample]
			inv.Lines = slices.Clone(inv.Lines)
			inv.Taxes = slices.Clone(inv.Taxes)
			inv.Notes = slices.Clone(inv.Notes)
			c.breakf(&inv)
			got := Rules(Check(inv))
			for _, r := range c.rules {
				if !slices.Contains(got, r) {
					t.Errorf("Check: rules %v, want %s", got, r)
				}
			}
			data, err := XML(inv)
			if err != nil {
				t.Fatal(err)
			}
			got = Rules(CheckXML(data))
			for _, r := range c.rules {
				if !slices.Contains(got, r) {
					t.Errorf("CheckXML: rules %v, want %s", got, r)
				}
			}
		})
	}
}

// TestCheckXMLBytes edits the bytes directly: the reader must not trust the struct.
func TestCheckXMLBytes(t *testing.T) {
	data, _ := XML(samples()["domestic 20%"])
	bad := bytes.Replace(data, []byte("<ram:GrandTotalAmount>"), []byte("<ram:GrandTotalAmount>1"), 1)
	if got := Rules(CheckXML(bad)); !slices.Contains(got, "BR-CO-15") {
		t.Errorf("edited grand total: rules %v, want BR-CO-15", got)
	}
	bad = bytes.Replace(data, []byte("<ram:DuePayableAmount>"), []byte("<ram:DuePayableAmount>0.001"), 1)
	if got := Rules(CheckXML(bad)); !slices.Contains(got, "BR-FR-DEC-01") {
		t.Errorf("three decimals: rules %v, want BR-FR-DEC-01", got)
	}
	if err := CheckXML([]byte("<Invoice/>")); err == nil {
		t.Error("a non-CII document passed CheckXML")
	}
}

func TestFormats(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{amount(123450), "1234.50"}, {amount(5), "0.05"}, {amount(-199), "-1.99"}, {amount(0), "0.00"},
		{quantity(1500), "1.5"}, {quantity(2000), "2"}, {quantity(125), "0.125"},
		{fixed(2000, 2), "20.00"}, {fixed(850, 2), "8.50"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
	// Half away from zero, on both signs.
	if LineNet(1500, 8333, 0) != 12500 || LineNet(-1500, 8333, 0) != -12500 || VATAmount(2, 2500) != 1 {
		t.Error("rounding is not half away from zero")
	}
}
