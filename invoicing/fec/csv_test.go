package fec

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestWriteCSV(t *testing.T) {
	es := sampleEntries(t)
	es[0].Lines[0].Label = `Formation "Excel"; niveau 2`
	es[0].Lines[1].Label = "=HYPERLINK(\"x\")"
	var b bytes.Buffer
	if err := WriteCSV(&b, es); err != nil {
		t.Fatal(err)
	}
	out := b.Bytes()
	body, ok := bytes.CutPrefix(out, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatal("no UTF-8 BOM")
	}
	if !bytes.HasPrefix(body, []byte(strings.Join(Fields[:], ";")+"\r\n")) {
		t.Errorf("header: %q", body[:200])
	}
	if !bytes.Contains(body, []byte(`;"Formation ""Excel""; niveau 2";1200,00;0,00;;;20260115;;`+"\r\n")) {
		t.Errorf("quoting or amounts:\n%s", body)
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+10 {
		t.Fatalf("%d rows", len(recs))
	}
	if got := recs[1][10]; got != `Formation "Excel"; niveau 2` {
		t.Errorf("label read back %q", got)
	}
	if got := recs[2][10]; got != `'=HYPERLINK("x")` {
		t.Errorf("a formula label is not defused: %q", got)
	}
	if got := recs[1][7]; got != "Société Générale | d’Île de-France" {
		t.Errorf("UTF-8 text %q", got)
	}
	var again bytes.Buffer
	if err := WriteCSV(&again, es); err != nil || !bytes.Equal(out, again.Bytes()) {
		t.Errorf("not deterministic (%v)", err)
	}
	es[1].Lines = nil
	if err := WriteCSV(&bytes.Buffer{}, es); err == nil {
		t.Error("entry without lines accepted")
	}
}
