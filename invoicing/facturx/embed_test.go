package facturx

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jung-kurt/gofpdf"
)

var dejavu = func() [2][]byte {
	r, err1 := os.ReadFile("../../documents/pdf/fonts/DejaVuSans.ttf")
	b, err2 := os.ReadFile("../../documents/pdf/fonts/DejaVuSans-Bold.ttf")
	if err := errors.Join(err1, err2); err != nil {
		panic(err)
	}
	return [2][]byte{r, b}
}()

// invoicePDF renders a one-page invoice the way documents/pdf does: DejaVu
// embedded, text, a table with fills and colours, no links.
func invoicePDF(t testing.TB, inv Invoice) []byte {
	t.Helper()
	f := gofpdf.New("P", "mm", "A4", "")
	f.SetCompression(true)
	f.AddUTF8FontFromBytes("DejaVu", "", bytes.Clone(dejavu[0]))
	f.AddUTF8FontFromBytes("DejaVu", "B", bytes.Clone(dejavu[1]))
	f.SetTitle("gofpdf title, replaced by Embed", true)
	f.AddPage()
	f.SetFont("DejaVu", "B", 16)
	f.SetTextColor(20, 60, 120)
	f.CellFormat(0, 10, "Facture "+inv.Number, "", 1, "L", false, 0, "")
	f.SetFont("DejaVu", "", 10)
	f.SetTextColor(0, 0, 0)
	f.MultiCell(0, 5, inv.Seller.Name+"\n"+inv.Seller.LegalForm+"\nClient : "+inv.Buyer.Name, "", "L", false)
	f.Ln(4)
	f.SetFillColor(230, 236, 245)
	f.SetDrawColor(120, 120, 120)
	for i, h := range []string{"Désignation", "Qté", "PU HT", "Total HT"} {
		w := []float64{100, 20, 30, 30}[i]
		f.CellFormat(w, 7, h, "1", 0, "C", true, 0, "")
	}
	f.Ln(-1)
	for _, l := range inv.Lines {
		f.CellFormat(100, 7, l.Name, "1", 0, "L", false, 0, "")
		f.CellFormat(20, 7, quantity(l.QuantityMilli), "1", 0, "R", false, 0, "")
		f.CellFormat(30, 7, amount(l.UnitPrice)+" €", "1", 0, "R", false, 0, "")
		f.CellFormat(30, 7, amount(l.Net)+" €", "1", 1, "R", false, 0, "")
	}
	f.SetFont("DejaVu", "B", 11)
	f.CellFormat(150, 8, "Total TTC", "", 0, "R", false, 0, "")
	f.CellFormat(30, 8, amount(inv.GrandTotal)+" €", "", 1, "R", false, 0, "")
	f.SetFont("DejaVu", "", 8)
	for _, n := range inv.Notes {
		f.MultiCell(0, 4, n.Text, "", "L", false)
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var embedOpts = Options{Title: "Facture F2026-000101", Author: "Courtier Formation SAS", Subject: "Facture – Industrie Dupont SA", Created: time.Date(2026, 10, 5, 9, 30, 0, 0, paris)}

func embedded(t testing.TB) (pdf, xml []byte) {
	t.Helper()
	inv := samples()["domestic 20%"]
	xml, err := XML(inv)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Embed(invoicePDF(t, inv), xml, embedOpts)
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	return out, xml
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func TestEmbed(t *testing.T) {
	out, xml := embedded(t)
	path := writeTemp(t, "invoice.pdf", out)

	t.Run("header", func(t *testing.T) {
		first, rest, _ := bytes.Cut(out, []byte("\n"))
		if !bytes.HasPrefix(first, []byte("%PDF-1.")) {
			t.Fatalf("header %q", first)
		}
		second, _, _ := bytes.Cut(rest, []byte("\n"))
		high := 0
		for _, c := range second {
			if c > 127 {
				high++
			}
		}
		if second[0] != '%' || high < 4 {
			t.Errorf("second line %q is not a binary comment (6.1.2)", second)
		}
	})

	t.Run("qpdf check", func(t *testing.T) {
		got := run(t, "qpdf", "--check", path)
		if !strings.Contains(got, "No syntax or stream encoding errors found") || strings.Contains(strings.ToLower(got), "warning") {
			t.Errorf("qpdf --check:\n%s", got)
		}
	})

	t.Run("qpdf json", func(t *testing.T) {
		var doc struct {
			Qpdf []map[string]json.RawMessage `json:"qpdf"`
		}
		if err := json.Unmarshal([]byte(run(t, "qpdf", "--json=2", "--json-key=qpdf", path)), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Qpdf) != 2 {
			t.Fatalf("qpdf json has %d parts", len(doc.Qpdf))
		}
		objs := map[string]map[string]any{}
		for k, raw := range doc.Qpdf[1] {
			var o map[string]any
			_ = json.Unmarshal(raw, &o)
			objs[k] = o
		}
		deref := func(v any) map[string]any {
			switch x := v.(type) {
			case string:
				o := objs["obj:"+x]
				if s, ok := o["stream"].(map[string]any); ok {
					return s["dict"].(map[string]any)
				}
				v, _ := o["value"].(map[string]any)
				return v
			case map[string]any:
				return x
			}
			return nil
		}
		trailer := deref(objs["trailer"]["value"])
		if _, ok := trailer["/ID"]; !ok {
			// With an xref stream the trailer keys live in the stream dict.
			found := false
			for _, o := range objs {
				if s, ok := o["stream"].(map[string]any); ok {
					d := s["dict"].(map[string]any)
					if d["/Type"] == "/XRef" && d["/ID"] != nil {
						found = true
					}
				}
			}
			if !found {
				t.Error("trailer has no /ID (6.1.3)")
			}
		}
		cat := deref(trailer["/Root"])
		for _, k := range []string{"/Metadata", "/AF", "/OutputIntents", "/Names"} {
			if cat[k] == nil {
				t.Errorf("Catalog lacks %s", k)
			}
		}
		if md := deref(cat["/Metadata"]); md["/Subtype"] != "/XML" || md["/Filter"] != nil {
			t.Errorf("Metadata stream %v: want uncompressed /Subtype /XML", md)
		}
		ois, _ := cat["/OutputIntents"].([]any)
		if len(ois) != 1 {
			t.Fatalf("OutputIntents %v", cat["/OutputIntents"])
		}
		oi := deref(ois[0])
		if oi["/S"] != "/GTS_PDFA1" {
			t.Errorf("OutputIntent /S %v", oi["/S"])
		}
		if icc := deref(oi["/DestOutputProfile"]); icc["/N"] != float64(3) {
			t.Errorf("ICC stream /N %v, want 3", icc["/N"])
		}
		afs, _ := cat["/AF"].([]any)
		if len(afs) != 1 {
			t.Fatalf("AF %v", cat["/AF"])
		}
		fs := deref(afs[0])
		if fs["/AFRelationship"] != "/Alternative" || fs["/UF"] != "u:factur-x.xml" || fs["/F"] != "u:factur-x.xml" {
			t.Errorf("file spec %v", fs)
		}
		ef := deref(deref(fs["/EF"])["/F"])
		if ef["/Subtype"] != "/text/xml" || ef["/Type"] != "/EmbeddedFile" {
			t.Errorf("embedded file %v", ef)
		}
		if p := deref(ef["/Params"]); p["/ModDate"] == nil || p["/Size"] != float64(len(xml)) {
			t.Errorf("embedded file params %v", p)
		}
		names := deref(deref(cat["/Names"])["/EmbeddedFiles"])
		if arr, _ := names["/Names"].([]any); len(arr) != 2 || arr[0] != "u:factur-x.xml" {
			t.Errorf("EmbeddedFiles name tree %v", names)
		}
	})

	t.Run("fonts embedded", func(t *testing.T) {
		lines := strings.Split(strings.TrimSpace(run(t, "pdffonts", path)), "\n")
		if len(lines) < 3 {
			t.Fatalf("pdffonts:\n%s", strings.Join(lines, "\n"))
		}
		for _, l := range lines[2:] {
			// name type encoding emb sub uni object ID: emb is the 4th column from the end but three.
			f := strings.Fields(l)
			if len(f) < 7 || f[len(f)-5] != "yes" {
				t.Errorf("font not embedded: %s", l)
			}
		}
	})

	t.Run("pdfdetach", func(t *testing.T) {
		dir := t.TempDir()
		list := run(t, "pdfdetach", "-list", path)
		if !strings.Contains(list, "1 embedded files") || !strings.Contains(list, "factur-x.xml") {
			t.Errorf("pdfdetach -list:\n%s", list)
		}
		out := filepath.Join(dir, "out.xml")
		run(t, "pdfdetach", "-save", "1", "-o", out, path)
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, xml) {
			t.Error("pdfdetach: extracted XML differs from the embedded one")
		}
	})

	t.Run("pdfinfo meta", func(t *testing.T) {
		meta := run(t, "pdfinfo", "-meta", path)
		for _, w := range []string{"<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
			"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>", "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
			"<fx:DocumentType>INVOICE</fx:DocumentType>", "<pdfaSchema:prefix>fx</pdfaSchema:prefix>",
			"Facture – Industrie Dupont SA"} {
			if !strings.Contains(meta, w) {
				t.Errorf("XMP lacks %s", w)
			}
		}
		if strings.Contains(meta, datePlaceholder) {
			t.Error("XMP dates were not patched")
		}
		// The XMP is well-formed XML.
		if err := parseXMLOnly([]byte(meta[strings.Index(meta, "<x:xmpmeta") : strings.Index(meta, "</x:xmpmeta>")+len("</x:xmpmeta>")])); err != nil {
			t.Errorf("XMP is not well-formed: %v", err)
		}
		// Info and XMP agree (title, author, dates).
		info := run(t, "pdfinfo", "-isodates", path)
		for _, w := range []string{"Title:           Facture F2026-000101", "Author:          Courtier Formation SAS"} {
			if !strings.Contains(info, w) {
				t.Errorf("pdfinfo lacks %q:\n%s", w, info)
			}
		}
		for _, l := range strings.Split(info, "\n") {
			if v, ok := strings.CutPrefix(l, "CreationDate:"); ok {
				v = strings.TrimSpace(v)
				iso, err := time.Parse(time.RFC3339, v)
				if err != nil {
					t.Fatalf("CreationDate %q", v)
				}
				if !strings.Contains(meta, "<xmp:CreateDate>"+iso.Format("2006-01-02T15:04:05-07:00")+"</xmp:CreateDate>") {
					t.Errorf("XMP CreateDate differs from Info %s", v)
				}
			}
		}
	})

	t.Run("Extract", func(t *testing.T) {
		got, err := Extract(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, xml) {
			t.Error("Extract differs from the embedded XML")
		}
		if err := CheckXML(got); err != nil {
			t.Error(err)
		}
		if _, err := Extract(invoicePDF(t, samples()["domestic 20%"])); err == nil {
			t.Error("Extract found an invoice in a plain PDF")
		}
	})

	t.Run("relationship Data", func(t *testing.T) {
		o := embedOpts
		o.Relationship = "Data"
		pdf, err := Embed(invoicePDF(t, samples()["exempt training"]), xml, o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Embed(pdf, xml, embedOpts); err == nil {
			t.Error("Embed accepted a PDF that already is a Factur-X")
		}
		// The file spec sits in an object stream: read it through qpdf.
		j := run(t, "qpdf", "--json=2", writeTemp(t, "data.pdf", pdf))
		if !strings.Contains(j, `"/AFRelationship": "/Data"`) {
			t.Error("AFRelationship Data not written")
		}
		o.Relationship = "Supplement"
		if _, err := Embed(invoicePDF(t, samples()["exempt training"]), xml, o); err == nil {
			t.Error("Embed accepted AFRelationship Supplement")
		}
	})
}

func parseXMLOnly(b []byte) error {
	_, err := parseTree(b)
	return err
}

func TestEmbedRefuses(t *testing.T) {
	xml, _ := XML(samples()["domestic 20%"])

	core := gofpdf.New("P", "mm", "A4", "")
	core.AddPage()
	core.SetFont("Helvetica", "", 12)
	core.Cell(40, 10, "Facture")
	var buf bytes.Buffer
	if err := core.Output(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := Embed(buf.Bytes(), xml, Options{})
	if !errors.Is(err, ErrNotPDFA) || !strings.Contains(err.Error(), "Helvetica") {
		t.Errorf("core font: got %v, want ErrNotPDFA naming Helvetica", err)
	}

	link := gofpdf.New("P", "mm", "A4", "")
	link.AddUTF8FontFromBytes("DejaVu", "", bytes.Clone(dejavu[0]))
	link.AddPage()
	link.SetFont("DejaVu", "", 12)
	link.CellFormat(60, 10, "Payer en ligne", "", 1, "L", false, 0, "https://pay.example/F2026-000101")
	buf.Reset()
	if err := link.Output(&buf); err != nil {
		t.Fatal(err)
	}
	_, err = Embed(buf.Bytes(), xml, Options{})
	if !errors.Is(err, ErrNotPDFA) || !strings.Contains(err.Error(), "Link") {
		t.Errorf("link annotation: got %v, want ErrNotPDFA naming the Link", err)
	}
}

func BenchmarkEmbed(b *testing.B) {
	inv := samples()["domestic 20%"]
	xml, _ := XML(inv)
	pdf := invoicePDF(b, inv)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Embed(pdf, xml, embedOpts); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEmbedConcurrent runs Embed from several goroutines, as the web server
// does (run with -race).
func TestEmbedConcurrent(t *testing.T) {
	inv := samples()["mixed E+S"]
	xml, _ := XML(inv)
	pdf := invoicePDF(t, inv)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			out, err := Embed(pdf, xml, Options{})
			if err == nil {
				var got []byte
				got, err = Extract(out)
				if err == nil && !bytes.Equal(got, xml) {
					err = errors.New("round trip differs")
				}
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
