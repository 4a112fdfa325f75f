package fec

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sampleSales are one of each kind of sales document the broker issues.
func sampleSales() []Sale {
	return []Sale{
		{ // 20 % invoice; the name has a separator, an apostrophe from Word, a line break
			Number: "F2026-0001", Date: day(2026, 1, 15), ClientAux: "C000042", ClientLabel: "Société Générale | d’Île\r\nde-France",
			ClientAccount: "411000",
			Revenue:       []Posting{{"706100", "Formations", 100000}},
			VAT:           []Posting{{"44571", "TVA collectée 20 %", 20000}},
			Total:         120000,
		},
		{ // exempt training (261-4-4° a): no VAT line
			Number: "F2026-0002", Date: day(2026, 1, 20), ClientAux: "C000043", ClientLabel: "Œuvres € 👍🏽",
			ClientAccount: "411000",
			Revenue:       []Posting{{"706110", "Formations exonérées", 250050}},
			Total:         250050,
		},
		{ // credit note on the first invoice, half of it
			Number: "A2026-0001", Date: day(2026, 2, 1), CreditNote: true, Corrects: "F2026-0001",
			ClientAux: "C000042", ClientLabel: "Société Générale", ClientAccount: "411000",
			Revenue: []Posting{{"706100", "Formations", 50000}},
			VAT:     []Posting{{"44571", "TVA collectée 20 %", 10000}},
			Total:   60000,
		},
	}
}

func sampleEntries(t testing.TB) []Entry {
	t.Helper()
	var es []Entry
	for _, s := range sampleSales() {
		e, err := PostSale(s, "VE")
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	es = append(es, PostPayment(Payment{Ref: "VIR-0001", Date: day(2026, 2, 10), ClientAux: "C000043",
		ClientLabel: "Œuvres", ClientAccount: "411000", BankAccount: "512000", Amount: 250050, Invoice: "F2026-0002"}, "BQ"))
	Number(es)
	return es
}

func write(t testing.TB, es []Entry, opt Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, es, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWriteReadRoundTrip(t *testing.T) {
	// Only the separator is stripped; only ISO 8859-15 transliterates.
	wantName := map[Options]string{
		{}:                      "Société Générale d'Île de-France",
		{Charset: UTF8}:         "Société Générale d’Île de-France",
		{Sep: '\t', CRLF: true}: "Société Générale | d'Île de-France",
	}
	wantEmoji := map[Options]string{{}: "Œuvres € ?", {Charset: UTF8}: "Œuvres € 👍🏽", {Sep: '\t', CRLF: true}: "Œuvres € ?"}
	for _, opt := range []Options{{}, {Charset: UTF8}, {Sep: '\t', CRLF: true}} {
		es := sampleEntries(t)
		out := write(t, es, opt)
		sep := "|"
		if opt.Sep == '\t' {
			sep = "\t"
		}
		header, _, _ := strings.Cut(string(out), "\n")
		if want := strings.Join(Fields[:], sep); strings.TrimSuffix(header, "\r") != want {
			t.Errorf("header %q, want %q", header, want)
		}
		if got := strings.Count(string(out), "\r\n"); opt.CRLF != (got > 0) {
			t.Errorf("CRLF %v: %d CR/LF line ends", opt.CRLF, got)
		}
		recs, err := Read(bytes.NewReader(out), opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := Check(recs); err != nil {
			t.Error(err)
		}
		lines := 0
		for _, e := range es {
			lines += len(e.Lines)
		}
		if len(recs) != lines {
			t.Fatalf("%d records, want %d", len(recs), lines)
		}
		first := recs[0]
		if first.JournalCode != "VE" || first.JournalLib != "Ventes" || first.EcritureNum != "VE000001" ||
			!first.EcritureDate.Equal(day(2026, 1, 15)) || first.CompAuxNum != "C000042" ||
			first.CompAuxLib != wantName[opt] || first.Debit != 120000 || first.Credit != 0 {
			t.Errorf("first record %+v", first)
		}
		if r := recs[3]; r.CompAuxLib != wantEmoji[opt] {
			t.Errorf("charset round trip: %q", r.CompAuxLib)
		}
	}
}

func TestWriteCharsetBytes(t *testing.T) {
	es := sampleEntries(t)
	iso := write(t, es, Options{})
	for _, c := range []byte{0xE9, 0xA4, 0xBC} { // é, €, Œ in ISO 8859-15
		if !bytes.Contains(iso, []byte{c}) {
			t.Errorf("ISO 8859-15 file lacks byte %#x", c)
		}
	}
	if bytes.Contains(iso, []byte("é")) || bytes.Contains(iso, []byte("’")) {
		t.Error("ISO 8859-15 file holds UTF-8 sequences")
	}
	if !bytes.Contains(iso, []byte("|\xBCuvres \xA4 ?|")) {
		t.Error("the emoji should become one '?', its skin tone nothing")
	}
	u := write(t, es, Options{Charset: UTF8})
	if !bytes.Contains(u, []byte("Société")) || !bytes.Contains(u, []byte("d’Île")) {
		t.Error("UTF-8 file lacks the original text")
	}
}

func TestText(t *testing.T) {
	enc := textEncoder{sep: '|'}
	for in, want := range map[string]string{
		"  a | b\r\nc\t":   "a b c",
		"l’été – “ok” …":   "l'été - \"ok\" ...",
		"Œuvre Ÿ š ž €":    "Œuvre Ÿ š ž €",
		"Łódź Kőbánya":     "Lódz Kobánya",
		"½ ¼ ™":            "1/2 1/4 TM",
		"café 🎓":           "café ?",
		"x\xffy":           "x?y",
		"\u00a0nbsp\u202f": "nbsp",
	} {
		got := enc.text(nil, in)
		dec := make([]rune, len(got))
		for i, c := range got {
			dec[i] = charmap.ISO8859_15.DecodeByte(c)
		}
		if string(dec) != want {
			t.Errorf("text(%q) = %q, want %q", in, string(dec), want)
		}
	}
}

func TestFormats(t *testing.T) {
	for c, want := range map[int64]string{0: "0,00", 5: "0,05", 100: "1,00", 123456: "1234,56", -1: "-0,01", -250050: "-2500,50"} {
		if got := string(appendAmount(nil, c)); got != want {
			t.Errorf("amount %d = %q, want %q", c, got, want)
		}
		if back, err := parseAmount(want); err != nil || back != c {
			t.Errorf("parseAmount(%q) = %d, %v", want, back, err)
		}
	}
	if got := FileName("123456789", day(2026, 12, 31)); got != "123456789FEC20261231.txt" {
		t.Errorf("file name %q", got)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	if got := string(appendDate(nil, time.Date(2026, 3, 1, 0, 30, 0, 0, paris))); got != "20260301" {
		t.Errorf("date in its own location: %q", got)
	}
	out := string(write(t, sampleEntries(t), Options{}))
	want := "VE|Ventes|VE000001|20260115|411000|Clients|C000042|Soci\xe9t\xe9 G\xe9n\xe9rale d'\xcele de-France|F2026-0001|20260115|" +
		"Facture F2026-0001 - Soci\xe9t\xe9 G\xe9n\xe9rale d'\xcele de-France|1200,00|0,00|||20260115||\n" +
		"VE|Ventes|VE000001|20260115|706100|Formations|||F2026-0001|20260115|" +
		"Facture F2026-0001 - Soci\xe9t\xe9 G\xe9n\xe9rale d'\xcele de-France|0,00|1000,00|||20260115||\n"
	if !strings.Contains(out, want) {
		t.Errorf("file lacks\n%q\ngot\n%q", want, out)
	}
}

func TestForeignCurrency(t *testing.T) {
	e := Entry{Journal: "VE", Num: "VE000001", Date: day(2026, 1, 1), PieceRef: "F1", PieceDate: day(2026, 1, 1), ValidDate: day(2026, 1, 1),
		Lines: []Line{
			{Account: "411000", Debit: 9000, CurrencyAmount: 10000, Currency: "USD"},
			{Account: "706300", Credit: 9000, CurrencyAmount: -10000, Currency: "USD"},
		}}
	out := string(write(t, []Entry{e}, Options{}))
	if !strings.Contains(out, "|90,00|0,00|||20260101|100,00|USD\n") || !strings.Contains(out, "|0,00|90,00|||20260101|-100,00|USD\n") {
		t.Errorf("currency fields:\n%s", out)
	}
	recs, err := Read(strings.NewReader(out), Options{})
	if err != nil || recs[1].Montantdevise != -10000 || recs[1].Idevise != "USD" {
		t.Errorf("read back %+v, %v", recs, err)
	}
}

// TestDeterministic: the same entries in any input order give the same bytes.
func TestDeterministic(t *testing.T) {
	a := write(t, sampleEntries(t), Options{})
	for i := 0; i < 5; i++ {
		es := sampleEntries(t)
		rand.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		Number(es)
		if b := write(t, es, Options{}); !bytes.Equal(a, b) {
			t.Fatalf("output changed with the input order:\n%s\n%s", a, b)
		}
	}
}

// TestTotals: the file's 411 debits minus credits are the documents' totals,
// credit notes counted negative, and no amount is negative.
func TestTotals(t *testing.T) {
	recs, err := Read(bytes.NewReader(write(t, sampleEntries(t), Options{})), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want, got, debit, credit int64
	for _, s := range sampleSales() {
		if s.CreditNote {
			want -= s.Total
		} else {
			want += s.Total
		}
	}
	for _, r := range recs {
		if r.JournalCode == "VE" && r.CompteNum == "411000" {
			got += r.Debit - r.Credit
		}
		if r.Debit < 0 || r.Credit < 0 || (r.Debit != 0 && r.Credit != 0) {
			t.Errorf("record %s %s: debit %d credit %d", r.EcritureNum, r.CompteNum, r.Debit, r.Credit)
		}
		debit += r.Debit
		credit += r.Credit
	}
	if got != want || debit != credit {
		t.Errorf("411 net %d, want %d; file debit %d credit %d", got, want, debit, credit)
	}
}

func TestWriteRefuses(t *testing.T) {
	ok := func() Entry {
		return Entry{Journal: "VE", Num: "VE000007", Date: day(2026, 1, 1), PieceRef: "F9", PieceDate: day(2026, 1, 1), ValidDate: day(2026, 1, 1),
			Lines: []Line{{Account: "411000", Debit: 100}, {Account: "706000", Credit: 100}}}
	}
	cases := map[string]func(*Entry){
		"unbalanced": func(e *Entry) { e.Lines[1].Credit = 99 },
		"no lines":   func(e *Entry) { e.Lines = nil },
		"negative":   func(e *Entry) { e.Lines[0].Debit, e.Lines[1].Credit = -100, -100 },
		"two sides":  func(e *Entry) { e.Lines[0].Credit, e.Lines[1].Debit = 5, 5 },
		"no number":  func(e *Entry) { e.Num = "" },
		"no date":    func(e *Entry) { e.ValidDate = time.Time{} },
		"no piece":   func(e *Entry) { e.PieceRef = "" },
		"let date":   func(e *Entry) { e.Lines[0].Let = "AA" },
	}
	for name, spoil := range cases {
		e := ok()
		spoil(&e)
		var b bytes.Buffer
		err := Write(&b, []Entry{ok(), e}, Options{})
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
			continue
		}
		if name == "unbalanced" && (!errors.Is(err, ErrUnbalanced) || !strings.Contains(err.Error(), "VE000007") || !strings.Contains(err.Error(), "F9")) {
			t.Errorf("unbalanced: %v should name the entry", err)
		}
		if b.Len() != 0 {
			t.Errorf("%s: %d bytes written before the error", name, b.Len())
		}
	}
	if err := Write(&bytes.Buffer{}, nil, Options{Sep: ';'}); err == nil {
		t.Error("';' separator accepted")
	}
}

func TestReadRejects(t *testing.T) {
	good := string(write(t, sampleEntries(t), Options{}))
	for name, in := range map[string]string{
		"header": strings.Replace(good, "Montantdevise", "MontantDevise", 1),
		"fields": strings.Replace(good, "|20260115||\n", "|20260115|\n", 1),
		"amount": strings.Replace(good, "|1200,00|", "|1200.00|", 1),
		"date":   strings.Replace(good, "|20260115|", "|2026-01-15|", 1),
		"empty":  "",
	} {
		if _, err := Read(strings.NewReader(in), Options{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	recs, _ := Read(strings.NewReader(good), Options{})
	recs[0].Debit++
	if err := Check(recs); !errors.Is(err, ErrUnbalanced) {
		t.Errorf("Check of an unbalanced entry: %v", err)
	}
}

func TestNumber(t *testing.T) {
	es := sampleEntries(t)
	var got []string
	for _, e := range es {
		got = append(got, e.Num+" "+e.PieceRef)
	}
	want := "VE000001 F2026-0001,VE000002 F2026-0002,VE000003 A2026-0001,BQ000001 VIR-0001"
	if strings.Join(got, ",") != want {
		t.Errorf("numbers %v, want %s", got, want)
	}
}
