package importer

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/courtier-crm/courtier/internal/errs"
)

// got is what reading a whole input gave, in a form easy to compare.
type got struct {
	header []string
	recs   []string // "line:field|field"
	errs   []string // "line:reason"
}

func readAll(t *testing.T, in string, opts Options) got {
	t.Helper()
	rd, err := NewReader(strings.NewReader(in), opts)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	g := got{header: rd.Header()}
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return g
		}
		var re *RowError
		if errors.As(err, &re) {
			g.errs = append(g.errs, fmt.Sprintf("%d:%s", re.Line, re.Reason))
			continue
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		g.recs = append(g.recs, fmt.Sprintf("%d:%s", rec.Line, strings.Join(rec.Fields, "|")))
	}
}

func TestReader(t *testing.T) {
	cases := []struct {
		name   string
		in     string
		opts   Options
		header []string
		recs   []string
		errs   []string
	}{
		{
			name:   "utf-8 semicolon",
			in:     "nom;prénom\nDurand;Élodie\n",
			opts:   Options{Header: true},
			header: []string{"nom", "prénom"},
			recs:   []string{"2:Durand|Élodie"},
		},
		{
			name:   "bom, crlf, trimmed header",
			in:     "\xEF\xBB\xBF Nom ; Prénom \r\nDurand;Élodie\r\nMartin;Loïc\r\n",
			opts:   Options{Header: true},
			header: []string{"Nom", "Prénom"},
			recs:   []string{"2:Durand|Élodie", "3:Martin|Loïc"},
		},
		{
			name:   "windows-1252",
			in:     "nom;pr\xe9nom;note\nDurand;\xc9lodie;co\xfbt 12\x80 \x96 \x9cuvre\n",
			opts:   Options{Header: true},
			header: []string{"nom", "prénom", "note"},
			recs:   []string{"2:Durand|Élodie|coût 12€ – œuvre"},
		},
		{
			name:   "latin-1 reads as windows-1252",
			in:     "ville\nFa\xe7ade de l'H\xf4tel\n",
			opts:   Options{Header: true},
			header: []string{"ville"},
			recs:   []string{"2:Façade de l'Hôtel"},
		},
		{
			name:   "mixed encodings, decided per line",
			in:     "nom;ville\nDurand;Orléans\nMartin;Orl\xe9ans\nPetit;Besançon\n",
			opts:   Options{Header: true},
			header: []string{"nom", "ville"},
			recs:   []string{"2:Durand|Orléans", "3:Martin|Orléans", "4:Petit|Besançon"},
		},
		{
			name:   "comma",
			in:     "a,b,c\n1,2,3\n",
			opts:   Options{Header: true},
			header: []string{"a", "b", "c"},
			recs:   []string{"2:1|2|3"},
		},
		{
			name:   "tab",
			in:     "a\tb\tc\n1\t2;5\t3\n",
			opts:   Options{Header: true},
			header: []string{"a", "b", "c"},
			recs:   []string{"2:1|2;5|3"},
		},
		{
			name:   "separators inside quotes do not count",
			in:     "\"a;b;c\",d,e\n1,2,3\n",
			opts:   Options{Header: true},
			header: []string{"a;b;c", "d", "e"},
			recs:   []string{"2:1|2|3"},
		},
		{
			name:   "forced separator",
			in:     "a;b,c\n1;2,3\n",
			opts:   Options{Header: true, Comma: ','},
			header: []string{"a;b", "c"},
			recs:   []string{"2:1;2|3"},
		},
		{
			name:   "single column",
			in:     "email\na@example.org\nDurand, Jean\n",
			opts:   Options{Header: true},
			header: []string{"email"},
			recs:   []string{"2:a@example.org", "3:Durand, Jean"},
		},
		{
			name:   "trailing separator on every line",
			in:     "a;b;\n1;2;\n3;4;\n",
			opts:   Options{Header: true},
			header: []string{"a", "b"},
			recs:   []string{"2:1|2", "3:3|4"},
		},
		{
			name:   "trailing separator on some lines only",
			in:     "a;b\n1;2;\n3;4\n5;6;;\n7;8;9\n",
			opts:   Options{Header: true},
			header: []string{"a", "b"},
			recs:   []string{"2:1|2", "3:3|4", "4:5|6"},
			errs:   []string{"5:wrong number of columns: 3, want 2"},
		},
		{
			name:   "empty field inside the width is kept",
			in:     "a;b;c\n1;;\n",
			opts:   Options{Header: true},
			header: []string{"a", "b", "c"},
			recs:   []string{"2:1||"},
		},
		{
			name:   "blank lines and separator-only lines",
			in:     "\n\na;b\n\n1;2\n;\n  \n\n3;4\n\n",
			opts:   Options{Header: true},
			header: []string{"a", "b"},
			recs:   []string{"5:1|2", "9:3|4"},
		},
		{
			name:   "multi-line quoted fields keep line numbers right",
			in:     "a;b\n\"line one\nline two\";1\n2;3\n\"x\r\n\r\ny\";4\r\n5;6\n",
			opts:   Options{Header: true},
			header: []string{"a", "b"},
			recs:   []string{"2:line one\nline two|1", "4:2|3", "5:x\n\ny|4", "8:5|6"},
		},
		{
			name:   "wrong column count does not stop",
			in:     "a;b;c\n1;2\n1;2;3\n1;2;3;4\n\"multi\nline\";2\n7;8;9",
			opts:   Options{Header: true},
			header: []string{"a", "b", "c"},
			recs:   []string{"3:1|2|3", "7:7|8|9"},
			errs:   []string{"2:wrong number of columns: 2, want 3", "4:wrong number of columns: 4, want 3", "5:wrong number of columns: 2, want 3"},
		},
		{
			name:   "malformed quotes do not stop",
			in:     "a;b\n1;12\" screen\n\"2\"x;3\n4;5\n",
			opts:   Options{Header: true},
			header: []string{"a", "b"},
			recs:   []string{"4:4|5"},
			errs:   []string{"2:malformed quotes: bare \" in non-quoted-field", "3:malformed quotes: extraneous or missing \" in quoted-field"},
		},
		{
			name:   "lazy quotes",
			in:     "a;b\n1;12\" screen\n",
			opts:   Options{Header: true, LazyQuotes: true},
			header: []string{"a", "b"},
			recs:   []string{"2:1|12\" screen"},
		},
		{
			name:   "header only",
			in:     "a;b;c\r\n",
			opts:   Options{Header: true},
			header: []string{"a", "b", "c"},
		},
		{
			name: "no header: no width check",
			in:   "\"1\",\"2\"\n\"3\",\"4\",\"5\"\n",
			opts: Options{Comma: ','},
			recs: []string{"1:1|2", "2:3|4|5"},
		},
		{
			name:   "no final line ending",
			in:     "a;b\n1;2",
			opts:   Options{Header: true},
			header: []string{"a", "b"},
			recs:   []string{"2:1|2"},
		},
		{
			name:   "utf-16 from Excel's unicode text",
			in:     "\xFF\xFEn\x00o\x00m\x00\t\x00v\x00i\x00l\x00l\x00e\x00\r\x00\n\x00D\x00u\x00\t\x00O\x00r\x00l\x00\xe9\x00a\x00n\x00s\x00\r\x00\n\x00",
			opts:   Options{Header: true},
			header: []string{"nom", "ville"},
			recs:   []string{"2:Du|Orléans"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := readAll(t, c.in, c.opts)
			if !reflect.DeepEqual(g.header, c.header) {
				t.Errorf("header: got %q, want %q", g.header, c.header)
			}
			if !reflect.DeepEqual(g.recs, c.recs) {
				t.Errorf("records: got %q, want %q", g.recs, c.recs)
			}
			if !reflect.DeepEqual(g.errs, c.errs) {
				t.Errorf("errors: got %q, want %q", g.errs, c.errs)
			}
		})
	}
}

func TestReaderEmpty(t *testing.T) {
	for _, in := range []string{"", "\n\n", "  \r\n\t\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF\r\n"} {
		for _, header := range []bool{true, false} {
			_, err := NewReader(strings.NewReader(in), Options{Header: header})
			if !errors.Is(err, ErrEmptyFile) || !errors.Is(err, errs.ErrInvalid) {
				t.Errorf("NewReader(%q, header %v): got %v, want ErrEmptyFile", in, header, err)
			}
		}
	}
	if _, err := NewReader(strings.NewReader(";;\n"), Options{Header: true}); !errors.Is(err, ErrEmptyFile) {
		t.Errorf("separators only: got %v, want ErrEmptyFile", err)
	}
}

func TestReaderBadSeparator(t *testing.T) {
	for _, c := range []rune{'"', '\n', '\r', utf8.RuneError, -1} {
		if _, err := NewReader(strings.NewReader("a;b\n"), Options{Comma: c}); err == nil {
			t.Errorf("Comma %q: got no error", c)
		}
	}
}

func TestReaderBadHeader(t *testing.T) {
	_, err := NewReader(strings.NewReader("a;\"b\nc;d\n"), Options{Header: true})
	if !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), "header at line 1") {
		t.Errorf("got %v, want an invalid header error", err)
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("disk on fire")
	}
	f.n = 0
	return copy(p, "a;b\n1;2\n"), nil
}

func TestReaderInputError(t *testing.T) {
	rd, err := NewReader(&failingReader{n: 1}, Options{Header: true})
	if err != nil {
		t.Fatal(err)
	}
	if rec, err := rd.Read(); err != nil || rec.Line != 2 {
		t.Fatalf("first record: %v, %v", rec, err)
	}
	_, err = rd.Read()
	var re *RowError
	if err == nil || err == io.EOF || errors.As(err, &re) || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("got %v, want the input error", err)
	}
}

func TestReaderRaw(t *testing.T) {
	in := "a;b;c\n\n1;2\n\"multi\r\nline\";x\r\n" + strings.Repeat("z", 200000) + ";1\n4;5;6\n"
	rd, err := NewReader(strings.NewReader(in), Options{Header: true})
	if err != nil {
		t.Fatal(err)
	}
	var raws []string
	for {
		_, err := rd.Read()
		if err == io.EOF {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			if re.Raw != rd.Raw() {
				t.Errorf("RowError.Raw %q differs from Raw() %q", re.Raw, rd.Raw())
			}
			raws = append(raws, re.Raw)
		}
	}
	want := []string{"1;2", "\"multi\r\nline\";x", strings.Repeat("z", 200000) + ";1"}
	if !reflect.DeepEqual(raws, want) {
		t.Errorf("got %.60q, want %.60q", raws, want)
	}
}

// TestReaderLongLines checks lines longer than every buffer, in both encodings.
func TestReaderLongLines(t *testing.T) {
	long := strings.Repeat("é", 100000)
	in := "a;b\n" + long + ";1\n" + strings.Repeat("\xe9", 100000) + ";2\n3;4\n"
	g := readAll(t, in, Options{Header: true})
	want := []string{"2:" + long + "|1", "3:" + long + "|2", "4:3|4"}
	if !reflect.DeepEqual(g.recs, want) || g.errs != nil {
		t.Errorf("got %d records %.40q and errors %q", len(g.recs), g.recs, g.errs)
	}
}

// TestReaderManyRecords checks that line numbers and fields stay right
// across buffer refills and compactions.
func TestReaderManyRecords(t *testing.T) {
	var b strings.Builder
	b.WriteString("n;text\n")
	for i := range 20000 {
		if i%7 == 0 {
			fmt.Fprintf(&b, "%d;\"two\nlines\"\n", i)
		} else {
			fmt.Fprintf(&b, "%d;r\xe9sum\xe9 %d\n", i, i)
		}
	}
	rd, err := NewReader(strings.NewReader(b.String()), Options{Header: true})
	if err != nil {
		t.Fatal(err)
	}
	line := 2
	for i := range 20000 {
		rec, err := rd.Read()
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		want := fmt.Sprintf("résumé %d", i)
		if i%7 == 0 {
			want = "two\nlines"
		}
		if rec.Line != line || rec.Fields[0] != fmt.Sprint(i) || rec.Fields[1] != want {
			t.Fatalf("record %d: got line %d %q, want line %d %q", i, rec.Line, rec.Fields, line, want)
		}
		line++
		if i%7 == 0 {
			line++
		}
	}
	if _, err := rd.Read(); err != io.EOF {
		t.Errorf("end: got %v", err)
	}
}

func TestColumns(t *testing.T) {
	want := map[string][]string{
		"external_id": {"matricule", "id salarié"},
		"last_name":   {"nom", "last name"},
		"birth_date":  {"date de naissance", "birth date"},
		"hire_date":   {"date d'entrée", "date d'embauche"},
		"email":       {"e-mail", "courriel"},
	}
	rd, err := NewReader(strings.NewReader("N° Matricule;ID SALARIE;LastName;Date de Naissance (jj/mm/aaaa);DATE D’ENTRÉE;Autre\n"+
		" 42 ;x; Durand ;01/02/1990;;z\n"), Options{Header: true})
	if err != nil {
		t.Fatal(err)
	}
	cols, err := rd.Columns(want, "external_id", "last_name")
	if err != nil {
		t.Fatalf("Columns: %v", err)
	}
	rec, err := rd.Read()
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]string{"external_id": "x", "last_name": "Durand", "birth_date": "01/02/1990", "hire_date": "", "email": "", "nope": ""} {
		if got := cols.Get(rec, name); got != v {
			t.Errorf("Get(%q): got %q, want %q", name, got, v)
		}
	}
	if !cols.Has("hire_date") || cols.Has("email") {
		t.Errorf("Has: hire_date %v, email %v", cols.Has("hire_date"), cols.Has("email"))
	}
	var zero Columns
	if zero.Get(rec, "email") != "" || zero.Has("email") {
		t.Errorf("the zero Columns maps something")
	}
}

func TestColumnsErrors(t *testing.T) {
	want := map[string][]string{"external_id": {"matricule"}, "last_name": {"nom", "last name"}, "email": {"e-mail"}}
	cases := []struct {
		header    string
		missing   []string
		ambiguous []string
		text      string
	}{
		{"Prénom;Email", []string{"external_id", "last_name"}, nil,
			`importer: missing column external_id (headers accepted: "matricule"); missing column last_name (headers accepted: "nom", "last name"); columns found: "Prénom", "Email"`},
		{"Matricule;Nom;nom", nil, []string{"last_name"},
			`importer: 2 columns named "Nom"; columns found: "Matricule", "Nom", "nom"`},
		{"Matricule;E-mail;EMAIL;Nom", nil, []string{"email"}, ""},
	}
	for _, c := range cases {
		rd, err := NewReader(strings.NewReader(c.header+"\n"), Options{Header: true})
		if err != nil {
			t.Fatal(err)
		}
		_, err = rd.Columns(want, "external_id", "last_name")
		var ce *ColumnsError
		if !errors.As(err, &ce) || !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%s: got %v, want a *ColumnsError", c.header, err)
			continue
		}
		if !reflect.DeepEqual(ce.Missing, c.missing) || !reflect.DeepEqual(ce.Ambiguous, c.ambiguous) {
			t.Errorf("%s: got missing %q ambiguous %q, want %q %q", c.header, ce.Missing, ce.Ambiguous, c.missing, c.ambiguous)
		}
		if c.text != "" && err.Error() != c.text {
			t.Errorf("%s: got %q\nwant %q", c.header, err, c.text)
		}
	}
}

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Prénom", "prenom"},
		{"PRÉNOM", "prenom"},
		{"Pre\u0301nom", "prenom"}, // decomposed accent
		{"Date d'entrée", "datedentree"},
		{"date_d_entree", "datedentree"},
		{"E-mail", "email"},
		{"N° salarié", "nsalarie"},
		{"Nº salarié", "nosalarie"},
		{"Cœur", "coeur"},
		{"Date de naissance (jj/mm/aaaa)", "datedenaissance"},
		{"(vide)", "vide"},
		{"Nom *", "nom"},
		{"  Last Name ", "lastname"},
	}
	for _, c := range cases {
		if got := fold(c.in); got != c.want {
			t.Errorf("fold(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}
