package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The PDFs are checked with poppler-utils (pdftotext, pdftoppm) and qpdf.
// Under CI=true a missing tool fails the test; elsewhere it skips it.

// tool returns the path of a command-line tool the test needs.
func tool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI (apt-get install poppler-utils qpdf): %v", name, err)
	}
	t.Skipf("%s not installed (poppler-utils, qpdf): skipping outside CI", name)
	return ""
}

// writeTemp stores a PDF in the test's temporary folder.
func writeTemp(t testing.TB, doc []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// pages returns the text of each page, as pdftotext -layout prints it.
func pages(t testing.TB, doc []byte) []string {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), "-layout", "-enc", "UTF-8", writeTemp(t, doc), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// pdftotext ends each page with a form feed.
	return strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
}

// flatten turns every kind of space into one plain space, so assertions need
// not know about non-breaking spaces nor the column padding of -layout.
func flatten(s string) string {
	s = strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// qpdfCheck fails the test when qpdf finds the file damaged or warns.
func qpdfCheck(t testing.TB, doc []byte) {
	t.Helper()
	out, err := exec.Command(tool(t, "qpdf"), "--check", writeTemp(t, doc)).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors found")) {
		t.Errorf("qpdf --check: %v\n%s", err, out)
	}
}

// artefacts writes page images under testdata/artefacts when
// COURTIER_PDF_ARTEFACTS=1, to look at the layouts.
func artefacts(t testing.TB, name string, doc []byte, lastPage int) {
	t.Helper()
	if os.Getenv("COURTIER_PDF_ARTEFACTS") != "1" {
		return
	}
	dir := filepath.Join("testdata", "artefacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	args := []string{"-r", "50", "-png", "-l", strconv.Itoa(lastPage), writeTemp(t, doc), filepath.Join(dir, name)}
	if out, err := exec.Command(tool(t, "pdftoppm"), args...).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
}
