package documents

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/textsearch"
	"github.com/jung-kurt/gofpdf"
)

// dejaVu is the TrueType font the PDF tests write with (Debian's fonts-dejavu-core).
const dejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// makePDF writes a PDF as documents/pdf does: gofpdf with a UTF-8 TrueType
// font, one page per text.
func makePDF(t *testing.T, pages ...string) []byte {
	t.Helper()
	ttf, err := os.ReadFile(dejaVu)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the PDF tests need %s (apt-get install fonts-dejavu-core): %v", dejaVu, err)
		}
		t.Skipf("PDF test skipped outside CI: %s is missing (apt-get install fonts-dejavu-core)", dejaVu)
	}
	p := gofpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes("dejavu", "", ttf)
	for _, text := range pages {
		p.AddPage()
		p.SetFont("dejavu", "", 11)
		p.MultiCell(0, 6, text, "", "L", false)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipOf(t *testing.T, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		f, err := w.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(files[i+1]))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSniffMIME(t *testing.T) {
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 48)...)
	exe = append(exe, "This program cannot be run in DOS mode.\r\n$"...)
	cases := []struct {
		name    string
		content []byte
		file    string
		want    string
	}{
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj"), "devis.pdf", MimePDF},
		{"pdf with junk before", []byte("\r\n\x00junk%PDF-1.4\n"), "scan.bin", MimePDF},
		{"exe renamed pdf", exe, "facture.pdf", MimeBin},
		{"text renamed pdf", []byte("not a %PDF-x file"), "note.pdf", "text/plain; charset=utf-8"},
		{"docx", zipOf(t, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>"), "proposition.docx", MimeDOCX},
		{"xlsx", zipOf(t, "[Content_Types].xml", "<Types/>", "xl/workbook.xml", "<workbook/>"), "stagiaires.xlsx", MimeXLSX},
		{"docx named zip", zipOf(t, "[Content_Types].xml", "<Types/>", "word/document.xml", "<w:document/>"), "x.zip", MimeDOCX},
		{"odt", zipOf(t, "mimetype", "application/vnd.oasis.opendocument.text", "content.xml", "<office/>"), "programme.odt", "application/vnd.oasis.opendocument.text"},
		{"zip named docx", zipOf(t, "a.txt", "hello"), "faux.docx", MimeZip},
		{"csv", []byte("nom;prénom\nMorel;Hélène\n"), "stagiaires.csv", "text/csv; charset=utf-8"},
		{"markdown", []byte("# Programme\n"), "programme.md", "text/markdown; charset=utf-8"},
		{"text", []byte("Bonjour"), "notes", "text/plain; charset=utf-8"},
		{"html", []byte("<!DOCTYPE html><html><body>x</body></html>"), "page.txt", "text/html; charset=utf-8"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "logo.pdf", "image/png"},
		{"old word", append(append([]byte{}, oleMagic...), make([]byte, 100)...), "CONVENTION.DOC", "application/msword"},
	}
	for _, c := range cases {
		if got := SniffMIME(c.content, c.file); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestExtractText(t *testing.T) {
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range "Été" {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	cases := []struct {
		name, mime string
		content    []byte
		want       string
		status     string
	}{
		{"utf-8", "text/plain; charset=utf-8", []byte("Éligibilité CPF\x00ok"), "Éligibilité CPF ok", TextExtracted},
		{"windows-1252 csv", "text/csv; charset=utf-8", []byte("Lef\xe8vre;\x80;c\x9cur"), "Lefèvre;€;cœur", TextExtracted},
		{"utf-16 bom", "text/plain; charset=utf-16le", utf16le, "Été", TextExtracted},
		{"html", "text/html; charset=utf-8", []byte("<p>Bilan&nbsp;de <b>compé</b>tences</p><script>var x='caché'</script>"), "Bilan de compé tences", TextExtracted},
		{"image", "image/png", []byte("\x89PNG"), "", TextNone},
		{"broken pdf", MimePDF, []byte("%PDF-1.4\nnot really"), "", TextFailed},
	}
	for _, c := range cases {
		got := extractText(c.mime, c.content, 1000)
		// Tags and control characters become spaces: compare the words.
		if got.Text = strings.Join(strings.Fields(got.Text), " "); got.Text != c.want || got.Status != c.status {
			t.Errorf("%s: got %q %s (%s), want %q %s", c.name, got.Text, got.Status, got.Err, c.want, c.status)
		}
	}
	long := extractText("text/plain", []byte(strings.Repeat("é", 600)), 1001)
	if long.Status != TextTruncated || len(long.Text) != 1000 {
		t.Errorf("cap: %s, %d bytes, want truncated at 1000", long.Status, len(long.Text))
	}
}

// The PDF text must survive gofpdf's UTF-8 fonts, past Latin-1 too (œ ’ € —).
func TestPDFText(t *testing.T) {
	content := makePDF(t,
		"Convention de formation professionnelle — éligibilité au CPF.\nMise en œuvre : 1 250,00 € l’ensemble.",
		"Deuxième page : attestation d'assiduité de Hélène Lefèvre.")
	got := extractText(MimePDF, content, DefaultMaxText)
	if got.Status != TextExtracted {
		t.Fatalf("status %s (%s)", got.Status, got.Err)
	}
	for _, want := range []string{"éligibilité", "œuvre", "1 250,00 €", "l’ensemble", "—", "Deuxième page", "Hélène Lefèvre"} {
		if !strings.Contains(got.Text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, got.Text)
		}
	}
	folded := textsearch.Fold(got.Text)
	for _, want := range []string{"formation professionnelle", "eligibilite au cpf", "mise en oeuvre"} {
		if !strings.Contains(folded, want) {
			t.Errorf("folded PDF text lacks %q: %s", want, folded)
		}
	}
	capped := extractText(MimePDF, content, 40)
	if capped.Status != TextTruncated || len(capped.Text) > 40 {
		t.Errorf("capped PDF: %s, %d bytes", capped.Status, len(capped.Text))
	}
}

// A crafted PDF whose cross-reference sections point at themselves must not
// hang the upload: the deadline stops the library.
func TestPDFTextHostile(t *testing.T) {
	content := makePDF(t, "Convention")
	start := bytes.LastIndex(content, []byte("trailer"))
	end := bytes.Index(content[start:], []byte(">>")) + start
	dict := string(content[start+len("trailer") : end])
	offset := len(content)
	loop := fmt.Sprintf("xref\n0 0\ntrailer\n%s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", dict, offset, offset)
	hostile := append(append([]byte{}, content...), loop...)
	began := time.Now()
	_, err := pdfText(hostile, DefaultMaxText, time.Now().Add(300*time.Millisecond))
	if err == nil {
		t.Fatal("a cyclic PDF gave no error")
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("a cyclic PDF took %s", took)
	}
	if got := extractText(MimePDF, []byte("%PDF-1.4\n"+strings.Repeat("garbage ", 100)), DefaultMaxText); got.Status != TextFailed || got.Err == "" {
		t.Errorf("garbage PDF: %+v", got)
	}
}
