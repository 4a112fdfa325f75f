package web

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	err := WriteCSV(&b, []string{"Raison sociale", "Téléphone", "Note"}, [][]string{
		{"Société \"Générale\"; SA", "+33123456789", "=HYPERLINK(\"http://x\")"},
		{"Perrin", "", "ligne 1\nligne 2"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFRaison sociale;Téléphone;Note\r\n" +
		"\"Société \"\"Générale\"\"; SA\";'+33123456789;\"'=HYPERLINK(\"\"http://x\"\")\"\r\n" +
		"Perrin;;\"ligne 1\r\nligne 2\"\r\n" // line breaks in a cell become CRLF too
	if got := b.String(); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

func TestTemplateFuncs(t *testing.T) {
	tpl := template.Must(template.New("t").Funcs(funcs).Parse(
		`<a href="{{tel .N}}">{{phone .N}}</a>|<a href="{{tel .Bad}}">{{phone .Bad}}</a>|{{with dict "a" 1 "b" "x"}}{{.a}}{{.b}}{{end}}`))
	var b strings.Builder
	if err := tpl.Execute(&b, map[string]string{"N": "+33612345678", "Bad": "javascript:alert(1)"}); err != nil {
		t.Fatal(err)
	}
	want := `<a href="tel:&#43;33612345678">&#43;33 6 12 34 56 78</a>|<a href="">javascript:alert(1)</a>|1x`
	if b.String() != want {
		t.Errorf("got  %s\nwant %s", b.String(), want)
	}
	if _, err := dict("odd"); err == nil {
		t.Error("dict accepted an odd number of arguments")
	}
}
