package textsearch

import "testing"

func TestFold(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Saint-Étienne", "saint etienne"},
		{"ST-ETIENNE", "st etienne"},
		{"L'Haÿ-les-Roses", "l hay les roses"},
		{"  Bœuf   Æther ", "boeuf aether"},
		{"Hélène Lefèvre", "helene lefevre"},
		{"Anaïs & Noël", "anais noel"},
		{"Jérôme d’Arc", "jerome d arc"},
		{"Straße Łódź", "strasse lodz"},
		{"Cre\u0301teil", "creteil"}, // decomposed é
		{"Faʻaʻā", "fa a a"},
		{"Paris 15e Arrondissement", "paris 15e arrondissement"},
		{"ÇA", "ca"},
		{"", ""},
		{"--''--", ""},
	}
	for _, c := range cases {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}
