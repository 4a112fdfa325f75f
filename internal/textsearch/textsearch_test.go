package textsearch

import (
	"reflect"
	"strings"
	"testing"
)

func TestIndexAndQuery(t *testing.T) {
	cases := []struct {
		text, query string
		match       bool
	}{
		{"Comptabilité générale", "comptabilite", true},
		{"Excel : niveau avancé", "excel avancé", true},
		{"Formations des managers", "formation manager", true},
		{"Réunion de lancement", "compta", false},
		{"L'entretien annuel d'évaluation", "entretiens", true},
		{"Stage de sécurité incendie", "secu", true},
	}
	for _, c := range cases {
		indexed := map[string]bool{}
		for _, w := range strings.Fields(Index(c.text)) {
			indexed[w] = true
		}
		all := true
		for _, q := range Query(c.query) {
			found := false
			for w := range indexed {
				if strings.HasPrefix(w, q) {
					found = true
				}
			}
			all = all && found
		}
		if all != c.match {
			t.Errorf("%q ~ %q: got %v, want %v (index %q, query %q)", c.text, c.query, all, c.match, Index(c.text), Query(c.query))
		}
	}
}

func TestQuery(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Les formations de la Région", []string{"formation", "region"}},
		{"les", []string{"les"}},
		{"  ", nil},
		{"Excel excel EXCEL", []string{"excel"}},
		{"marie.durand@acme-industrie.fr", []string{"marie", "durand", "acme", "industrie", "fr"}},
	}
	for _, c := range cases {
		if got := Query(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Query(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}
