package geo

import (
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/courtier-crm/courtier/internal/textsearch"
)

func TestConcurrentFirstUse(t *testing.T) {
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, ok := CommuneByCode("42218"); !ok {
				t.Errorf("CommuneByCode(42218) not found")
			}
		})
	}
	wg.Wait()
}

func TestCounts(t *testing.T) {
	if got, want := len(Communes()), 35014; got != want {
		t.Errorf("len(Communes()) = %v, want %v", got, want)
	}
	if got, want := len(Departments()), 109; got != want {
		t.Errorf("len(Departments()) = %v, want %v", got, want)
	}
	if got, want := len(Regions()), 26; got != want {
		t.Errorf("len(Regions()) = %v, want %v", got, want)
	}
	arr, noCoord := 0, 0
	for _, c := range Communes() {
		if c.Type == "arrondissement" {
			arr++
		}
		if !c.HasCoordinates {
			noCoord++
		}
	}
	if arr != 45 {
		t.Errorf("arrondissements: got %v, want %v", arr, 45)
	}
	if noCoord != 106 {
		t.Errorf("communes without coordinates: got %v, want %v", noCoord, 106)
	}
}

func TestCommunesSortedAndConsistent(t *testing.T) {
	cs := Communes()
	if !slices.IsSortedFunc(cs, func(a, b Commune) int { return strings.Compare(a.Code, b.Code) }) {
		t.Errorf("Communes() not sorted by code")
	}
	for _, c := range cs {
		if _, ok := DepartmentByCode(c.Department); !ok {
			t.Errorf("%s: unknown department %q", c.Code, c.Department)
		}
		if _, ok := RegionByCode(c.Region); !ok {
			t.Errorf("%s: unknown region %q", c.Code, c.Region)
		}
		// codes_postaux.csv and the codes_postaux column must agree both ways.
		for _, cp := range c.PostalCodes {
			if !slices.ContainsFunc(CommunesByPostalCode(cp), func(o Commune) bool { return o.Code == c.Code }) {
				t.Errorf("%s: postal code %s does not list it", c.Code, cp)
			}
		}
	}
	for _, d := range Departments() {
		r, ok := RegionByCode(d.Region)
		if !ok || r.Name != d.RegionName {
			t.Errorf("department %s: region %q/%q not found", d.Code, d.Region, d.RegionName)
		}
	}
}

func TestReturnedSlicesAreCopies(t *testing.T) {
	cs := Communes()
	cs[0].Name = "changed"
	if got := Communes()[0].Name; got == "changed" {
		t.Errorf("Communes() shares its backing array with the index")
	}
}

func TestParis(t *testing.T) {
	c, ok := CommuneByCode("75056")
	if !ok {
		t.Fatalf("CommuneByCode(75056) not found")
	}
	if c.Name != "Paris" || c.Department != "75" || c.Region != "11" || !c.HasCoordinates {
		t.Errorf("got %+v, want Paris in 75/11 with coordinates", c)
	}
	if math.Abs(c.Lat-48.86) > 0.03 || math.Abs(c.Lon-2.35) > 0.03 {
		t.Errorf("got %v,%v, want near 48.86,2.35", c.Lat, c.Lon)
	}
	// 75001–75020 plus 75116, the second code of the 16th arrondissement.
	if len(c.PostalCodes) != 21 {
		t.Errorf("got %v postal codes, want %v", len(c.PostalCodes), 21)
	}
	if _, ok := CommuneByCode("99999"); ok {
		t.Errorf("CommuneByCode(99999) found, want not found")
	}
}

func TestCommunesByPostalCode(t *testing.T) {
	got := CommunesByPostalCode("51300")
	if len(got) != 46 {
		t.Errorf("51300: got %v communes, want %v", len(got), 46)
	}
	for _, c := range got {
		if !slices.Contains(c.PostalCodes, "51300") || c.Department != "51" {
			t.Errorf("51300: got %s %s with %v", c.Code, c.Name, c.PostalCodes)
		}
	}
	var names []string
	for _, c := range CommunesByPostalCode("75015") {
		names = append(names, c.Name)
	}
	if want := []string{"Paris", "Paris 15e Arrondissement"}; !slices.Equal(names, want) {
		t.Errorf("75015: got %v, want %v", names, want)
	}
	if got := CommunesByPostalCode("00000"); got != nil {
		t.Errorf("00000: got %v, want nil", got)
	}
}

func TestDepartmentsAndRegions(t *testing.T) {
	d, ok := DepartmentByCode("2A")
	if !ok || d.Name != "Corse-du-Sud" || d.Region != "94" || d.Zone != "metro" {
		t.Errorf("DepartmentByCode(2A) = %+v, %v", d, ok)
	}
	d, ok = DepartmentByCode("974")
	if !ok || d.Zone != "drom" || d.Lat > -20 {
		t.Errorf("DepartmentByCode(974) = %+v, %v", d, ok)
	}
	r, ok := RegionByCode("84")
	if !ok || r.Name != "Auvergne-Rhône-Alpes" || r.Zone != "metro" {
		t.Errorf("RegionByCode(84) = %+v, %v", r, ok)
	}
	metro := 0
	for _, r := range Regions() {
		if r.Zone == "metro" {
			metro++
		}
	}
	if metro != 13 {
		t.Errorf("metropolitan regions: got %v, want %v", metro, 13)
	}
}

func TestCoordinateFallback(t *testing.T) {
	// Aurseulles (14581), a 2017 commune nouvelle, has no coordinates upstream.
	c, ok := CommuneByCode("14581")
	if !ok {
		t.Fatalf("CommuneByCode(14581) not found")
	}
	d, _ := DepartmentByCode("14")
	if c.HasCoordinates || c.Lat != d.Lat || c.Lon != d.Lon {
		t.Errorf("got %v,%v (HasCoordinates=%v), want department centre %v,%v", c.Lat, c.Lon, c.HasCoordinates, d.Lat, d.Lon)
	}
	// Overseas collectivities have no centre either: coordinates stay zero.
	c, _ = CommuneByCode("98735")
	if c.HasCoordinates || c.Lat != 0 || c.Lon != 0 {
		t.Errorf("98735: got %v,%v (HasCoordinates=%v), want 0,0 false", c.Lat, c.Lon, c.HasCoordinates)
	}
}

func TestSearchCommunes(t *testing.T) {
	for _, q := range []string{"saint etienne", "Saint-Étienne", "ST-ETIENNE", "st etienne", "SAINT-ETIENNE", "saint-éti"} {
		got := SearchCommunes(q, 5)
		if len(got) == 0 || got[0].Code != "42218" {
			t.Errorf("SearchCommunes(%q): got %v, want 42218 first", q, codes(got))
		}
		if len(got) != 5 {
			t.Errorf("SearchCommunes(%q): got %v results, want %v", q, len(got), 5)
		}
		for i := 1; i < len(got); i++ {
			if got[i].Population > got[i-1].Population {
				t.Errorf("SearchCommunes(%q): not sorted by population: %v", q, codes(got))
			}
		}
	}
	// "st" alone is a prefix being typed, not an abbreviation.
	if got := SearchCommunes("st", 1); len(got) != 1 || got[0].Code != "67482" {
		t.Errorf(`SearchCommunes("st"): got %v, want [67482] (Strasbourg)`, codes(got))
	}
	// A trailing space completes the word: "Paris " excludes Parisot but
	// keeps Paris-l'Hôpital.
	for _, c := range SearchCommunes("Paris ", 0) {
		if !strings.HasPrefix(c.Name, "Paris") || c.Name == "Parisot" {
			t.Errorf(`SearchCommunes("Paris "): got %s`, c.Name)
		}
	}
	if got := len(SearchCommunes("Paris ", 0)); got != 22 {
		t.Errorf(`SearchCommunes("Paris "): got %v results, want %v`, got, 22)
	}
	if got := SearchCommunes("l'hay les", 1); len(got) != 1 || got[0].Code != "94038" {
		t.Errorf(`SearchCommunes("l'hay les"): got %v, want [94038]`, codes(got))
	}
	if got := SearchCommunes("", 10); got != nil {
		t.Errorf(`SearchCommunes(""): got %v, want nil`, codes(got))
	}
	if got := SearchCommunes("zzzz", 10); got != nil {
		t.Errorf(`SearchCommunes("zzzz"): got %v, want nil`, codes(got))
	}
}

func TestSearchCommunesPostalCode(t *testing.T) {
	got := SearchCommunes("42000", 10)
	if len(got) != 1 || got[0].Code != "42218" {
		t.Errorf(`SearchCommunes("42000"): got %v, want [42218]`, codes(got))
	}
	got = SearchCommunes("51300", 3)
	if len(got) != 3 || got[0].Code != "51649" {
		t.Errorf(`SearchCommunes("51300", 3): got %v, want 3 results, Vitry-le-François (51649) first`, codes(got))
	}
	got = SearchCommunes(" 690", 2)
	if len(got) != 2 || got[0].Code != "69123" {
		t.Errorf(`SearchCommunes(" 690", 2): got %v, want Lyon (69123) first`, codes(got))
	}
}

func TestDistanceKm(t *testing.T) {
	paris, _ := CommuneByCode("75056")
	lyon, _ := CommuneByCode("69123")
	if d := DistanceKm(paris.Lat, paris.Lon, lyon.Lat, lyon.Lon); math.Abs(d-392) > 5 {
		t.Errorf("Paris–Lyon: got %v km, want 392 ± 5", d)
	}
	if d := DistanceKm(48.85, 2.35, 48.85, 2.35); d != 0 {
		t.Errorf("same point: got %v, want 0", d)
	}
	// Half the equator's circumference: π × R.
	if d := DistanceKm(0, 0, 0, 180); math.Abs(d-math.Pi*earthRadiusKm) > 1e-6 {
		t.Errorf("antipodes: got %v, want %v", d, math.Pi*earthRadiusKm)
	}
}

func TestFoldCommunes(t *testing.T) {
	for _, c := range Communes() {
		f := textsearch.Fold(c.Name)
		for i := range len(f) {
			if b := f[i]; b != ' ' && (b < 'a' || b > 'z') && (b < '0' || b > '9') {
				t.Errorf("textsearch.Fold(%q) = %q: non-ASCII or punctuation left", c.Name, f)
				break
			}
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchCommunes(b *testing.B) {
	data()
	for b.Loop() {
		SearchCommunes("saint et", 10)
	}
}

func codes(cs []Commune) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
	}
	return out
}
