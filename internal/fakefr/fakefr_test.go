package fakefr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// sample draws one of everything, in a fixed order.
func sample(g *Gen, n int) []any {
	var out []any
	for range n {
		p := g.Person()
		c := g.Company()
		out = append(out, p, Email(p, c.Domain), c, g.Address(), g.Phone(), g.PhoneFor(c.Address.Department),
			g.ContactRole(), g.JobTitle(), g.Department(), g.TrainingTopic(), g.Topic(), g.SIREN())
	}
	return append(out, g.UniqueCompanies(50))
}

func TestDeterminism(t *testing.T) {
	a, b := sample(New(42), 200), sample(New(42), 200)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed gave different data")
	}
	if c := sample(New(43), 200); reflect.DeepEqual(a, c) {
		t.Errorf("different seeds gave the same data")
	}
	r1, r2 := rand.New(rand.NewPCG(1, 2)), rand.New(rand.NewPCG(1, 2))
	if got, want := sample(NewWithRand(r1), 20), sample(NewWithRand(r2), 20); !reflect.DeepEqual(got, want) {
		t.Errorf("NewWithRand with equal sources gave different data")
	}
}

func TestLuhn(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"404833048", true},
		{"732829320", true},
		{"73282932000074", true},
		{"123456789", false},
		{"404833049", false},
		{"", false},
		{"40483304a", false},
		{"0", true},
	}
	for _, c := range cases {
		if got := LuhnValid(c.in); got != c.want {
			t.Errorf("LuhnValid(%q): got %v, want %v", c.in, got, c.want)
		}
	}
	g := New(1)
	digits := regexp.MustCompile(`^\d+$`)
	for range 10000 {
		siren := g.SIREN()
		siret := g.SIRET(siren)
		if len(siren) != 9 || !digits.MatchString(siren) || !LuhnValid(siren) {
			t.Fatalf("SIREN %q: want 9 Luhn-valid digits", siren)
		}
		if len(siret) != 14 || !strings.HasPrefix(siret, siren) || !LuhnValid(siret) {
			t.Fatalf("SIRET %q for %s: want 14 Luhn-valid digits starting with the SIREN", siret, siren)
		}
	}
	if got := g.SIRET("12345"); got != "" {
		t.Errorf(`SIRET("12345"): got %q, want ""`, got)
	}
}

func TestIntraEUVAT(t *testing.T) {
	cases := []struct{ in, want string }{
		{"404833048", "FR83404833048"},
		{"000000000", "FR12000000000"},
		{"40483304", ""},
		{"40483304x", ""},
	}
	for _, c := range cases {
		if got := IntraEUVAT(c.in); got != c.want {
			t.Errorf("IntraEUVAT(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEmail(t *testing.T) {
	cases := []struct {
		p      Person
		domain string
		want   string
	}{
		{Person{FirstName: "Hélène", LastName: "Lefèvre"}, "exemple.fr", "helene.lefevre@exemple.fr"},
		{Person{FirstName: "Jean-Pierre", LastName: "Le Goff"}, "Acme.FR", "jean-pierre.legoff@acme.fr"},
		{Person{FirstName: "Anaïs", LastName: "N'Diaye"}, "@x.fr", "anais.ndiaye@x.fr"},
		{Person{FirstName: "Noël", LastName: "D’Almeida"}, "x.fr", "noel.dalmeida@x.fr"},
		{Person{FirstName: "Gaëlle", LastName: "Martin-Dubœuf"}, "x.fr", "gaelle.martin-duboeuf@x.fr"},
	}
	for _, c := range cases {
		if got := Email(c.p, c.domain); got != c.want {
			t.Errorf("Email(%v, %q): got %q, want %q", c.p, c.domain, got, c.want)
		}
	}
	valid := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*@[a-z0-9.-]+$`)
	w := vocabulary()
	for _, first := range slices.Concat(w.female, w.male) {
		for _, last := range w.surnames {
			if e := Email(Person{FirstName: first, LastName: last}, "exemple.fr"); !valid.MatchString(e) {
				t.Errorf("Email(%s %s): got %q, want lower-case ASCII prenom.nom", first, last, e)
			}
		}
	}
}

func TestPersonLists(t *testing.T) {
	w := vocabulary()
	if len(w.female) < 150 || len(w.male) < 150 || len(w.surnames) < 300 {
		t.Errorf("got %v/%v first names and %v surnames, want ≥150/150/300", len(w.female), len(w.male), len(w.surnames))
	}
	for name, list := range map[string][]string{"female": w.female, "male": w.male, "surnames": w.surnames} {
		seen := map[string]bool{}
		for _, n := range list {
			if seen[n] {
				t.Errorf("%s: duplicate %q", name, n)
			}
			seen[n] = true
		}
	}
	for _, n := range []string{"Hélène", "Anaïs"} {
		if !slices.Contains(w.female, n) {
			t.Errorf("female first names lack %q", n)
		}
	}
	for _, n := range []string{"Jérôme", "Noël"} {
		if !slices.Contains(w.male, n) {
			t.Errorf("male first names lack %q", n)
		}
	}
	g := New(7)
	genders := map[string]int{}
	for range 1000 {
		p := g.Person()
		genders[p.Gender]++
		list := w.male
		if p.Gender == Female {
			list = w.female
		}
		if !slices.Contains(list, p.FirstName) || !slices.Contains(w.surnames, p.LastName) {
			t.Errorf("Person(): got %+v, not from the lists", p)
		}
	}
	if genders[Female] < 400 || genders[Male] < 400 {
		t.Errorf("genders: got %v, want roughly balanced F/M", genders)
	}
}

func TestCompany(t *testing.T) {
	g := New(3)
	naf := regexp.MustCompile(`^\d{2}\.\d{2}[A-Z]$`)
	domain := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*\.fr$`)
	names := map[string]bool{}
	sectors := map[string]bool{}
	publicForms := []string{"Commune", "EPCI", "Établissement public administratif",
		"Syndicat intercommunal", "Syndicat mixte", "EPIC", "Établissement public de santé"}
	const n = 5000
	for range n {
		c := g.Company()
		names[c.Name] = true
		sectors[c.Sector] = true
		if c.Name == "" || c.LegalForm == "" || c.Sector == "" || c.Headcount <= 0 || strings.Contains(c.Name, "{") {
			t.Errorf("Company(): got %+v, want every field set", c)
		}
		if !naf.MatchString(c.NAF) {
			t.Errorf("%s: NAF %q, want NN.NNX", c.Name, c.NAF)
		}
		if !LuhnValid(c.SIREN) || len(c.SIREN) != 9 || !LuhnValid(c.SIRET) || !strings.HasPrefix(c.SIRET, c.SIREN) {
			t.Errorf("%s: SIREN %q / SIRET %q not valid", c.Name, c.SIREN, c.SIRET)
		}
		if !domain.MatchString(c.Domain) || len(c.Domain) > 66 {
			t.Errorf("%s: domain %q, want an ASCII .fr domain", c.Name, c.Domain)
		}
		if c.Address.CommuneCode == "" {
			t.Errorf("%s: no head-office address", c.Name)
		}
		if public := c.SIREN[0] == '2'; public != slices.Contains(publicForms, c.LegalForm) {
			t.Errorf("%s (%s): SIREN %s, want a leading 2 exactly for public bodies", c.Name, c.LegalForm, c.SIREN)
		}
	}
	if len(sectors) != 10 {
		t.Errorf("got %v sectors, want %v", len(sectors), 10)
	}
	// Plain Company() calls may repeat names, but rarely.
	if len(names) < n*9/10 {
		t.Errorf("Company(): got %v distinct names in %v, want at least 90%%", len(names), n)
	}
}

func TestUniqueCompanies(t *testing.T) {
	cs := New(11).UniqueCompanies(5000)
	if len(cs) != 5000 {
		t.Fatalf("got %v companies, want %v", len(cs), 5000)
	}
	names, sirens, domains := map[string]bool{}, map[string]bool{}, map[string]bool{}
	suffixed := 0
	for _, c := range cs {
		key := textsearch.Fold(c.Name)
		if names[key] || sirens[c.SIREN] || domains[c.Domain] {
			t.Errorf("duplicate: %q %s %s", c.Name, c.SIREN, c.Domain)
		}
		names[key], sirens[c.SIREN], domains[c.Domain] = true, true, true
		if strings.Contains(c.Name, " - ") {
			suffixed++
		}
	}
	if suffixed > 100 {
		t.Errorf("got %v names with a commune suffix, want them rare (≤ 100)", suffixed)
	}
	if got := New(1).UniqueCompanies(0); len(got) != 0 {
		t.Errorf("UniqueCompanies(0): got %v companies, want 0", len(got))
	}
}

func TestDeName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Vannes", "de Vannes"},
		{"Angers", "d'Angers"},
		{"Évreux", "d'Évreux"},
		{"Le Mans", "du Mans"},
		{"Les Sables-d'Olonne", "des Sables-d'Olonne"},
		{"La Rochelle", "de La Rochelle"},
		{"L'Isle-Adam", "de L'Isle-Adam"},
		{"Yvetot", "d'Yvetot"},
	}
	for _, c := range cases {
		if got := deName(c.in); got != c.want {
			t.Errorf("deName(%q): got %q, want %q", c.in, got, c.want)
		}
	}
	if got, want := domainFor("Transports Morel & Fils"), "transports-morel-fils.fr"; got != want {
		t.Errorf("domainFor: got %q, want %q", got, want)
	}
	if got, want := domainFor("Mutuelle des Artisans de Bretagne"), "mutuelle-artisans-bretagne.fr"; got != want {
		t.Errorf("domainFor: got %q, want %q", got, want)
	}
}

func TestAddress(t *testing.T) {
	g := New(5)
	drom := 0
	const n = 20000
	for range n {
		a := g.Address()
		c, ok := geo.CommuneByCode(a.CommuneCode)
		if !ok {
			t.Fatalf("Address(): unknown commune %q", a.CommuneCode)
		}
		if !slices.Contains(c.PostalCodes, a.PostalCode) {
			t.Errorf("Address(): postal code %s not one of %s's %v", a.PostalCode, c.Name, c.PostalCodes)
		}
		if a.City != c.Name || a.Department != c.Department || a.Street == "" {
			t.Errorf("Address(): got %+v, inconsistent with commune %+v", a, c)
		}
		if geo.DistanceKm(a.Lat, a.Lon, c.Lat, c.Lon) > 1 {
			t.Errorf("Address(): %v,%v too far from %s", a.Lat, a.Lon, c.Name)
		}
		d, _ := geo.DepartmentByCode(c.Department)
		switch d.Zone {
		case "drom":
			drom++
		case "com":
			t.Errorf("Address(): got overseas collectivity %s", c.Name)
		}
	}
	if drom == 0 || drom > n/50 {
		t.Errorf("DROM addresses: got %v in %v, want rare but present (≤ 2%%)", drom, n)
	}
	streets := regexp.MustCompile(`^((ZA|ZI|ZAC|Parc d'activités) .+, )?\d+( bis| ter)? (rue|avenue|boulevard|place|allée|chemin|impasse|route|quai|cours) .+$`)
	for range 1000 {
		if s := g.street(); !streets.MatchString(s) {
			t.Errorf("street(): got %q", s)
		}
	}
}

func TestPhone(t *testing.T) {
	g := New(9)
	e164 := regexp.MustCompile(`^\+33[1-9]\d{8}$`)
	fiction := regexp.MustCompile(`^\+33(19900|26191|35301|46571|53649|63998)\d{4}$`)
	mobiles := 0
	for range 10000 {
		p := g.Phone()
		if !e164.MatchString(p) || !fiction.MatchString(p) {
			t.Fatalf("Phone(): got %q, want +33 and 9 digits in an ARCEP fiction block", p)
		}
		if p[3] == '6' {
			mobiles++
		}
	}
	if mobiles < 4000 || mobiles > 7000 {
		t.Errorf("mobiles: got %v in 10000, want about half", mobiles)
	}
	zones := map[string]byte{"75": '1', "92": '1', "29": '2', "45": '2', "67": '3', "59": '3', "21": '3',
		"13": '4', "69": '4', "2A": '4', "34": '4', "33": '5', "31": '5', "87": '5', "974": '6', "988": '6', "00": '6'}
	for dept, zone := range zones {
		if p := g.PhoneFor(dept); !fiction.MatchString(p) || p[3] != zone {
			t.Errorf("PhoneFor(%q): got %q, want +33%c…", dept, p, zone)
		}
	}
}

func TestFormatFrenchPhone(t *testing.T) {
	cases := []struct{ in, want string }{
		{"+33142685300", "01 42 68 53 00"},
		{"+33639981234", "06 39 98 12 34"},
		{"+33 1 42 68 53 00", "01 42 68 53 00"},
		{"0142685300", "01 42 68 53 00"},
		{"+3314268530", "+3314268530"},
		{"+32142685300", "+32142685300"},
		{"+33042685300", "+33042685300"},
		{"", ""},
	}
	for _, c := range cases {
		if got := FormatFrenchPhone(c.in); got != c.want {
			t.Errorf("FormatFrenchPhone(%q): got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestJobs(t *testing.T) {
	g := New(2)
	w := vocabulary()
	if len(w.roles) < 20 || len(w.jobs) < 50 || len(w.services) < 15 {
		t.Errorf("got %v roles, %v jobs, %v departments, want ≥ 20/50/15", len(w.roles), len(w.jobs), len(w.services))
	}
	seen := map[string]bool{}
	for range 2000 {
		seen[g.ContactRoleFor(Female)] = true
		seen[g.JobTitleFor(Male)] = true
		if r := g.ContactRole(); r == "" {
			t.Errorf("ContactRole(): empty")
		}
		if d := g.Department(); !slices.Contains(w.services, d) {
			t.Errorf("Department(): got %q", d)
		}
	}
	for _, want := range []string{"Directrice des ressources humaines", "Responsable formation", "Technicien de maintenance"} {
		if !seen[want] {
			t.Errorf("gendered titles: %q never drawn", want)
		}
	}
	for _, bad := range []string{"Directeur des ressources humaines", "Technicienne de maintenance"} {
		if seen[bad] {
			t.Errorf("gendered titles: %q drawn for the wrong gender", bad)
		}
	}
}

func TestTrainingTopics(t *testing.T) {
	topics := TrainingTopics()
	if len(topics) < 60 {
		t.Errorf("got %v topics, want at least 60", len(topics))
	}
	codes, err := nsfCodes("../../../shared/data/nsf.csv")
	if errors.Is(err, fs.ErrNotExist) && os.Getenv("CI") != "true" {
		t.Skipf("nsf.csv not found, NSF check skipped outside CI: %v", err)
	}
	if err != nil {
		t.Fatalf("reading nsf.csv: %v", err)
	}
	titles := map[string]bool{}
	for _, tp := range topics {
		if !codes[tp.NSF] {
			t.Errorf("%q: NSF %q not a 3-digit code of nsf.csv", tp.Title, tp.NSF)
		}
		if titles[tp.Title] {
			t.Errorf("duplicate topic %q", tp.Title)
		}
		titles[tp.Title] = true
	}
	g := New(4)
	for range 100 {
		if tt := g.TrainingTopic(); !titles[tt] {
			t.Errorf("TrainingTopic(): got %q, not in TrainingTopics()", tt)
		}
	}
}

// nsfCodes returns the 3-digit (level 3) codes of nsf.csv.
func nsfCodes(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || !slices.Equal(rows[0], []string{"code", "niveau", "libelle", "code_parent"}) {
		return nil, fmt.Errorf("unexpected header")
	}
	codes := map[string]bool{}
	for _, r := range rows[1:] {
		if len(r[0]) == 3 {
			codes[r[0]] = true
		}
	}
	return codes, nil
}

func BenchmarkCompany(b *testing.B) {
	g := New(1)
	g.Company()
	for b.Loop() {
		g.Company()
	}
}
