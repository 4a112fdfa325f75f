package fakefr

import (
	"fmt"
	"strings"

	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Company is a fictional French organisation that buys training for its staff.
type Company struct {
	Name      string // trade name, e.g. "Transports Morel & Fils"
	LegalForm string // "SAS", "SARL", "SA", "SASU", "EURL", "SCOP", "Mutuelle", "Commune"…
	Sector    string // e.g. "Transport et logistique"
	NAF       string // NAF rév. 2 activity code matching the name, e.g. "49.41A"
	SIREN     string // Luhn-valid; starts with 2 for public bodies
	SIRET     string // head office, Luhn-valid
	Domain    string // ASCII web domain built from the name, e.g. "transports-morel-fils.fr"
	Headcount int
	// Address is the head office, in the commune the name mentions if any.
	Address Address
}

// Company returns a company of a random sector with a name built from that
// sector's usual naming patterns. Names repeat now and then, like in a real
// register; use UniqueCompanies when they must be distinct.
func (g *Gen) Company() Company {
	w := vocabulary()
	s := w.sectors[g.weighted(w.sectorWeights...)]
	p := pick(g, s.patterns)
	c := g.commune()
	if strings.Contains(p.tmpl, "C}") {
		// A city in the name: flatten the draw, or "Laiterie de Paris" would
		// come up every thirty companies.
		c = g.communeFlat()
		for c.Population < p.minPopulation {
			c = g.communeFlat()
		}
	}
	name := g.fill(p.tmpl, c)
	head := g.headcount()
	switch {
	case p.perHead > 0:
		head = max(p.minHeadcount, c.Population/p.perHead)
	case head < p.minHeadcount:
		head = p.minHeadcount + g.r.IntN(p.minHeadcount*3)
	case p.maxHeadcount > 0 && head > p.maxHeadcount:
		head = 3 + g.r.IntN(p.maxHeadcount-2)
	}
	form := p.form
	if form == "" {
		form = g.privateForm(head)
	}
	siren := g.SIREN()
	if p.public {
		siren = g.sirenWithPrefix('2')
	}
	return Company{
		Name:      name,
		LegalForm: form,
		Sector:    s.name,
		NAF:       p.naf,
		SIREN:     siren,
		SIRET:     g.SIRET(siren),
		Domain:    domainFor(name),
		Headcount: head,
		Address:   g.addressIn(c),
	}
}

// UniqueCompanies returns n companies with distinct names (ignoring case and
// accents), domains and SIRENs. A repeated name is first replaced by a fresh
// one; only if that keeps failing is the commune name, then a number, appended.
func (g *Gen) UniqueCompanies(n int) []Company {
	out := make([]Company, 0, max(n, 0))
	names := make(map[string]bool, n)
	domains := make(map[string]bool, n)
	sirens := make(map[string]bool, n)
	taken := func(name string) bool { return names[textsearch.Fold(name)] || domains[domainFor(name)] }
	for len(out) < n {
		c := g.Company()
		for try := 0; try < 3 && taken(c.Name); try++ {
			c = g.Company()
		}
		if taken(c.Name) {
			base := c.Name
			if !strings.Contains(base, c.Address.City) {
				base += " - " + c.Address.City
			}
			name := base
			for k := 2; taken(name); k++ {
				name = fmt.Sprintf("%s %d", base, k)
			}
			c.Name, c.Domain = name, domainFor(name)
		}
		for sirens[c.SIREN] {
			c.SIREN = g.sirenWithPrefix(c.SIREN[0])
			c.SIRET = g.SIRET(c.SIREN)
		}
		names[textsearch.Fold(c.Name)], domains[c.Domain], sirens[c.SIREN] = true, true, true
		out = append(out, c)
	}
	return out
}

// fill expands the placeholders of a name pattern; see sectorTable.
func (g *Gen) fill(tmpl string, c geo.Commune) string {
	w := vocabulary()
	var b strings.Builder
	surname := ""
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		end := strings.IndexByte(tmpl[open:], '}') + open
		b.WriteString(tmpl[:open])
		switch key := tmpl[open+1 : end]; key {
		case "N":
			surname = pick(g, w.surnames)
			b.WriteString(surname)
		case "F":
			if g.r.IntN(2) == 0 {
				b.WriteString(pick(g, w.female))
			} else {
				b.WriteString(pick(g, w.male))
			}
		case "N2":
			other := pick(g, w.surnames)
			for other == surname {
				other = pick(g, w.surnames)
			}
			b.WriteString(other)
		case "B":
			b.WriteString(pick(g, w.brandHeads) + pick(g, w.brandTails))
		case "P":
			b.WriteString(pick(g, w.places))
		case "S":
			b.WriteString(pick(g, w.saints))
		case "M":
			b.WriteString(pick(g, w.mutualMembers))
		case "C":
			b.WriteString(c.Name)
		case "deC":
			b.WriteString(deName(c.Name))
		case "deR":
			b.WriteString(regionPhrase(c.Region))
		case "Ville":
			if c.Population >= 20000 {
				b.WriteString("Ville")
			} else {
				b.WriteString("Commune")
			}
		default:
			panic("fakefr: unknown placeholder " + key)
		}
		tmpl = tmpl[end+1:]
	}
}

// deName returns "de X" with French elision and contraction: "d'Angers",
// "du Mans", "des Sables-d'Olonne", "de La Rochelle".
func deName(name string) string {
	switch {
	case strings.HasPrefix(name, "Le "):
		return "du " + name[len("Le "):]
	case strings.HasPrefix(name, "Les "):
		return "des " + name[len("Les "):]
	case strings.ContainsRune("aeiouy", rune(textsearch.Fold(name + "x")[0])):
		return "d'" + name
	}
	return "de " + name
}

// regionPhrase returns "de/du/des/d'" + the region name as French says it.
func regionPhrase(code string) string {
	switch code {
	case "11":
		return "d'Île-de-France"
	case "24":
		return "du Centre-Val de Loire"
	case "27":
		return "de Bourgogne-Franche-Comté"
	case "28":
		return "de Normandie"
	case "32":
		return "des Hauts-de-France"
	case "44":
		return "du Grand Est"
	case "52":
		return "des Pays de la Loire"
	case "53":
		return "de Bretagne"
	case "75":
		return "de Nouvelle-Aquitaine"
	case "76":
		return "d'Occitanie"
	case "84":
		return "d'Auvergne-Rhône-Alpes"
	case "93":
		return "de Provence-Alpes-Côte d'Azur"
	case "94":
		return "de Corse"
	case "01":
		return "de Guadeloupe"
	case "02":
		return "de Martinique"
	case "03":
		return "de Guyane"
	case "04":
		return "de La Réunion"
	case "06":
		return "de Mayotte"
	}
	return "de France"
}

// domainFor builds a plausible .fr domain from a company name: folded to
// ASCII, small words dropped, words joined by hyphens.
func domainFor(name string) string {
	var words []string
	for _, w := range strings.Fields(textsearch.Fold(name)) {
		switch w {
		case "de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "en", "sur", "sous":
			continue
		}
		words = append(words, w)
	}
	label := strings.Join(words, "-")
	// A DNS label is at most 63 bytes; cut at a word boundary.
	for len(label) > 63 {
		label = label[:strings.LastIndexByte(label, '-')]
	}
	return label + ".fr"
}

// headcount draws a workforce size; training brokers' clients are mostly
// SMEs, with a long tail of large employers.
func (g *Gen) headcount() int {
	bands := [...][2]int{{3, 9}, {10, 19}, {20, 49}, {50, 99}, {100, 249}, {250, 499}, {500, 1999}, {2000, 8000}}
	b := bands[g.weighted(10, 20, 27, 17, 14, 6, 5, 1)]
	return b[0] + g.r.IntN(b[1]-b[0]+1)
}

// privateForm draws a legal form plausible for a private company of that
// size: single-shareholder forms are for small firms, SA for larger ones.
func (g *Gen) privateForm(headcount int) string {
	switch {
	case headcount < 10:
		return [...]string{"SARL", "SAS", "SASU", "EURL"}[g.weighted(35, 25, 20, 20)]
	case headcount < 50:
		return [...]string{"SAS", "SARL", "SASU", "SCOP", "SA"}[g.weighted(45, 40, 5, 5, 5)]
	case headcount < 250:
		return [...]string{"SAS", "SARL", "SA", "SCOP"}[g.weighted(60, 15, 20, 5)]
	}
	return [...]string{"SAS", "SA"}[g.weighted(55, 45)]
}
