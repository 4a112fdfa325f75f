package fakefr

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/courtier-crm/courtier/internal/geo"
)

// Address is a French postal address in a real commune.
type Address struct {
	Street      string // "12 rue des Tanneurs", "ZA de la Plaine, 3 allée des Érables"
	PostalCode  string // one of the commune's own postal codes
	City        string // commune name
	CommuneCode string // INSEE code
	Department  string // department code
	Lat, Lon    float64
}

// dromWeight divides the population weight of overseas departments so that
// they stay rare in demo data; overseas collectivities are left out.
const dromWeight = 4

// communeTable is the population-weighted list of communes addresses are
// drawn from; it is never modified once built.
type communeTable struct {
	communes []geo.Commune
	cum      []int // cumulative population weights
	cumFlat  []int // cumulative square roots of the population weights
}

var addressCommunes = sync.OnceValue(func() *communeTable {
	t := &communeTable{}
	total, flat := 0, 0
	for _, c := range geo.Communes() {
		if c.Type != "commune" || c.Population <= 0 || len(c.PostalCodes) == 0 {
			continue
		}
		d, _ := geo.DepartmentByCode(c.Department)
		w := c.Population
		switch d.Zone {
		case "metro":
		case "drom":
			w = max(1, w/dromWeight)
		default:
			continue
		}
		total += w
		flat += int(math.Sqrt(float64(w))) + 1
		t.communes = append(t.communes, c)
		t.cum = append(t.cum, total)
		t.cumFlat = append(t.cumFlat, flat)
	}
	return t
})

// commune returns a commune drawn with probability proportional to its
// population (see dromWeight).
func (g *Gen) commune() geo.Commune {
	t := addressCommunes()
	return t.communes[g.cumulative(t.cum)]
}

// communeFlat favours small communes more than commune does, with weights
// proportional to the square root of the population.
func (g *Gen) communeFlat() geo.Commune {
	t := addressCommunes()
	return t.communes[g.cumulative(t.cumFlat)]
}

// cumulative draws an index from cumulative weights.
func (g *Gen) cumulative(cum []int) int {
	n := g.r.IntN(cum[len(cum)-1])
	i, found := slices.BinarySearch(cum, n)
	if found {
		i++
	}
	return i
}

// Address returns an address in a commune drawn by population, so that big
// cities are as frequent as in reality and overseas departments are rare.
func (g *Gen) Address() Address {
	return g.addressIn(g.commune())
}

func (g *Gen) addressIn(c geo.Commune) Address {
	// Jitter of up to ~500 m so that map pins in one commune do not overlap.
	jitter := func() float64 { return (g.r.Float64() - 0.5) * 0.009 }
	return Address{
		Street:      g.street(),
		PostalCode:  pick(g, c.PostalCodes),
		City:        c.Name,
		CommuneCode: c.Code,
		Department:  c.Department,
		Lat:         c.Lat + jitter(),
		Lon:         c.Lon + jitter(),
	}
}

func (g *Gen) street() string {
	w := vocabulary()
	if g.r.IntN(100) < 15 {
		kind := [...]string{"ZA", "ZI", "ZAC", "Parc d'activités"}[g.r.IntN(4)]
		typ := [...]string{"rue", "allée", "avenue", "impasse"}[g.r.IntN(4)]
		return fmt.Sprintf("%s %s, %d %s %s", kind, pick(g, w.places), 1+g.r.IntN(40), typ, pick(g, w.parkStreets))
	}
	var n int
	switch k := g.r.IntN(10); {
	case k < 6:
		n = 1 + g.r.IntN(30)
	case k < 9:
		n = 31 + g.r.IntN(69)
	default:
		n = 100 + g.r.IntN(150)
	}
	num := fmt.Sprint(n)
	switch k := g.r.IntN(100); {
	case k < 4:
		num += " bis"
	case k < 5:
		num += " ter"
	}
	// Roughly as frequent as in the Base adresse nationale.
	typ := [...]string{"rue", "avenue", "boulevard", "place", "allée", "chemin", "impasse", "route", "quai", "cours"}[g.weighted(55, 12, 5, 4, 6, 6, 5, 5, 1, 1)]
	name := pick(g, w.streets)
	if typ == "route" && !strings.HasPrefix(name, "de ") {
		typ = "rue"
	}
	return num + " " + typ + " " + name
}

// mobileZone is the pseudo-zone of mobile numbers in fictionBlock.
const mobileZone = 6

// fictionBlock returns the digits after +33 of the block of 10,000 numbers
// ARCEP reserves for fiction in a zone (1–5 fixed, 6 mobile): they are never
// assigned, so a seeded number can never ring a real person. There is no 07
// block, hence no +33 7 numbers.
func fictionBlock(zone int) string {
	return [...]string{"19900", "26191", "35301", "46571", "53649", "63998"}[zone-1]
}

// Phone returns a French number in E.164 form, "+33" and 9 digits: a mobile
// (+33 6) or a fixed line (+33 1 to +33 5), always within the blocks ARCEP
// reserves for fiction.
func (g *Gen) Phone() string {
	if g.r.IntN(100) < 55 {
		return g.phoneIn(mobileZone)
	}
	// Zones weighted by population: Île-de-France, north-west, north-east,
	// south-east, south-west.
	return g.phoneIn(1 + g.weighted(19, 22, 19, 25, 15))
}

// PhoneFor returns a fixed line whose zone (+33 1 to +33 5) matches the
// department code, like a company's switchboard; overseas or unknown
// departments, which have no fiction block, get a mobile number.
func (g *Gen) PhoneFor(department string) string {
	d, _ := geo.DepartmentByCode(department)
	return g.phoneIn(phoneZone(d.Region, department))
}

// phoneZone maps a region to its telephone zone; Occitanie straddles 04
// (former Languedoc-Roussillon) and 05 (former Midi-Pyrénées).
func phoneZone(region, department string) int {
	switch region {
	case "11":
		return 1
	case "24", "28", "52", "53":
		return 2
	case "27", "32", "44":
		return 3
	case "84", "93", "94":
		return 4
	case "75":
		return 5
	case "76":
		switch department {
		case "11", "30", "34", "48", "66":
			return 4
		}
		return 5
	}
	return mobileZone
}

func (g *Gen) phoneIn(zone int) string {
	return fmt.Sprintf("+33%s%04d", fictionBlock(zone), g.r.IntN(10000))
}

// FormatFrenchPhone formats a French number for display in the national
// form: "+33142685300" gives "01 42 68 53 00". Input that is not "+33"
// followed by 9 digits, or 10 digits starting with 0, is returned unchanged.
func FormatFrenchPhone(e164 string) string {
	s := strings.ReplaceAll(e164, " ", "")
	switch {
	case len(s) == 12 && strings.HasPrefix(s, "+33") && isDigits(s[3:]) && s[3] != '0':
		s = "0" + s[3:]
	case len(s) == 10 && s[0] == '0' && isDigits(s):
	default:
		return e164
	}
	return s[0:2] + " " + s[2:4] + " " + s[4:6] + " " + s[6:8] + " " + s[8:10]
}
