package nsf

import (
	"cmp"
	"slices"
	"testing"
)

func TestCounts(t *testing.T) {
	levels := map[int]int{}
	for _, c := range All() {
		levels[c.Level]++
	}
	if levels[1] != 4 || levels[2] != 17 || levels[3] != 93 || len(levels) != 3 {
		t.Errorf("got levels %v, want 4 / 17 / 93", levels)
	}
	groups := Groups()
	if len(groups) != 93 {
		t.Fatalf("Groups: got %d, want 93", len(groups))
	}
	if !slices.IsSortedFunc(groups, func(a, b Code) int { return cmp.Compare(a.Code, b.Code) }) {
		t.Errorf("Groups are not sorted")
	}
	for _, g := range groups {
		if len(g.Code) != 3 || g.Label == "" {
			t.Errorf("group %+v", g)
		}
		if d := Domain(g.Code); d.Code != g.Parent || d.Level != 2 {
			t.Errorf("Domain(%s): got %+v, want %s", g.Code, d, g.Parent)
		}
	}
}

func TestSplit(t *testing.T) {
	cases := []struct{ in, group, letter string }{
		{"326", "326", ""},
		{"326t", "326", "t"},
		{"326 t", "326", "t"},
		{" 326T ", "326", "t"},
		{"32", "32", ""},
		{"3 2 6", "326", ""},
		{"", "", ""},
		{"t", "", ""},
		{"326tt", "", ""},
		{"32a6", "", ""},
		{"326-t", "", ""},
	}
	for _, c := range cases {
		if g, l := Split(c.in); g != c.group || l != c.letter {
			t.Errorf("Split(%q): got %q %q, want %q %q", c.in, g, l, c.group, c.letter)
		}
	}
}

func TestLookup(t *testing.T) {
	cases := []struct {
		in    string
		code  string
		label string
		level int
	}{
		{"326", "326", "Informatique, traitement de l'information, réseau de transmission des données", 3},
		{"326t", "326", "Informatique, traitement de l'information, réseau de transmission des données", 3},
		{"326 t", "326", "Informatique, traitement de l'information, réseau de transmission des données", 3},
		{"344", "344", "Sécurité des biens et des personnes, police, surveillance (y compris hygiène et sécurité)", 3},
		{"32", "32", "Communication et information", 2},
		{"3", "3", "Domaines technico-professionnels des services", 1},
		{"227", "227", "Energie, génie climatique (y compris énergie nucléaire, thermique, hydraulique ; utilités ; froid, climatisation, chauffage)", 3},
		{"999", "", "", 0},
		{"326x", "", "", 0}, // x is not a letter of the nomenclature
		{"", "", "", 0},
		{"abc", "", "", 0},
	}
	for _, c := range cases {
		got, ok := Lookup(c.in)
		if ok != (c.code != "") || got.Code != c.code || got.Label != c.label || got.Level != c.level {
			t.Errorf("Lookup(%q): got %+v %v, want %s %q level %d", c.in, got, ok, c.code, c.label, c.level)
		}
	}
	if l, ok := LookupLetter("T"); !ok || l.Label != "Réalisation du service" || l.Kind != "fonction" {
		t.Errorf("LookupLetter(T): got %+v %v", l, ok)
	}
	if _, ok := LookupLetter("x"); ok {
		t.Errorf("LookupLetter(x): found")
	}
}

func TestDomainAndChildren(t *testing.T) {
	for in, want := range map[string]string{"326": "32", "326t": "32", "32": "32", "100": "10", "415": "41", "3": "", "999": "", "": ""} {
		if got := Domain(in); got.Code != want {
			t.Errorf("Domain(%q): got %q, want %q", in, got.Code, want)
		}
	}
	codes := func(cs []Code) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Code)
		}
		return out
	}
	cases := []struct {
		in   string
		want []string
	}{
		{"32", []string{"320", "321", "322", "323", "324", "325", "326"}},
		{"4", []string{"41", "42"}},
		{"326", nil},
		{"99", nil},
	}
	for _, c := range cases {
		if got := codes(Children(c.in)); !slices.Equal(got, c.want) {
			t.Errorf("Children(%q): got %v, want %v", c.in, got, c.want)
		}
	}
	// Every code has its parent in the table, and all is reachable.
	n := 0
	for _, d1 := range All() {
		if d1.Level != 1 {
			continue
		}
		n++
		for _, d2 := range Children(d1.Code) {
			n += 1 + len(Children(d2.Code))
		}
	}
	if n != len(All()) {
		t.Errorf("tree from the level-1 domains covers %d codes, want %d", n, len(All()))
	}
}

func TestAllIsACopy(t *testing.T) {
	a := All()
	a[0].Label = "changed"
	if All()[0].Label == "changed" {
		t.Errorf("All returns the shared table")
	}
}
