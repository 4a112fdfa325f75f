package fakefr

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/courtier-crm/courtier/internal/geo"
)

// Course is a fictional course of a provider's catalogue, in the shape of
// the courses import (docs/imports.md).
type Course struct {
	Ref           string // the provider's own reference, unique within Courses
	Title         string
	Objectives    string // 3 to 5 lines "Être capable de …"
	Programme     string // day-by-day (or session, week, module) outline
	Prerequisites string
	Hours, Days   float64 // Days is 0 for courses spread over weeks (languages, skills assessments)
	Modality      string  // ModalityInPerson, ModalityRemote or ModalityBlended
	Intra, Inter  bool
	Communes      []string // INSEE codes; empty for remote courses
	Languages     []string // ISO 639-1
	// Prices excluding VAT in cents; -1 when the course is not sold that way
	// or the price is not published.
	PricePerTraineeCents, PricePerGroupDayCents int64
	MaxGroupSize                                int    // 0 when unknown
	Certification                               string // "RS1234" or "RNCP12345": fictional numbers that may exist for real
	CPF                                         bool
	NSF                                         string // 3 digits
	NextSessions                                []time.Time
	LastConfirmed                               time.Time // zero when never confirmed
}

// The modalities of Course.Modality, as the courses import spells them.
const (
	ModalityInPerson = "in_person"
	ModalityRemote   = "remote"
	ModalityBlended  = "blended"
)

// courseRefDate is the "today" of Course and Courses: sessions follow it and
// confirmations precede it. It matches the providers' declaration dates.
var courseRefDate = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// familiesByNSF indexes the catalogue by NSF group.
var familiesByNSF = sync.OnceValue(func() map[string][]*courseFamily {
	m := map[string][]*courseFamily{}
	for i := range catalogue {
		f := &catalogue[i]
		m[f.nsf] = append(m[f.nsf], f)
	}
	return m
})

// bigCities are the metropolitan communes of more than 150,000 people,
// where providers also hold sessions away from home.
var bigCities = sync.OnceValue(func() []string {
	var cs []geo.Commune
	for _, c := range addressCommunes().communes {
		if c.Population > 150000 && len(c.Department) == 2 {
			cs = append(cs, c)
		}
	}
	slices.SortFunc(cs, func(a, b geo.Commune) int { return cmp.Compare(b.Population, a.Population) })
	codes := make([]string, len(cs))
	for i, c := range cs {
		codes[i] = c.Code
	}
	return codes
})

// Course returns a course of p's catalogue in one of its NSF specialities,
// written like a French training catalogue, with sessions in the months
// after 1 December 2026. Its reference may repeat across calls; Courses
// returns a catalogue with distinct references.
func (g *Gen) Course(p Provider) Course {
	c, _ := g.course(p, courseRefDate)
	return c
}

// Courses returns n courses of p's catalogue with distinct references and,
// as far as the subjects allow, distinct titles.
func (g *Gen) Courses(p Provider, n int) []Course {
	return g.CoursesOn(p, n, courseRefDate)
}

// CoursesOn is Courses with sessions after today and confirmations before
// it, for demo data that must look current.
func (g *Gen) CoursesOn(p Provider, n int, today time.Time) []Course {
	out := make([]Course, 0, max(n, 0))
	refs := make(map[string]bool, n)
	titles := make(map[string]bool, n)
	for len(out) < n {
		c, code := g.course(p, today)
		for try := 0; try < 5 && titles[c.Title]; try++ {
			c, code = g.course(p, today)
		}
		for try := 0; refs[c.Ref]; try++ {
			if try < 10 {
				c.Ref = g.courseRef(p, code)
			} else {
				c.Ref = fmt.Sprintf("%s-%d", c.Ref, len(out))
			}
		}
		refs[c.Ref], titles[c.Title] = true, true
		out = append(out, c)
	}
	return out
}

// course draws a course and returns with it the code its reference is
// built from ("EXC-INIT"), for drawing another reference.
func (g *Gen) course(p Provider, today time.Time) (Course, string) {
	f := g.family(p)
	title, hours := g.courseTitle(f)
	level := -1
	if f.levels != levelsNone {
		level = g.weighted(45, 35, 20)
		title = strings.Replace(title, "{L}", g.levelSuffix(f.levels, level), 1)
	}
	individual := f.group[1] == 1
	c := Course{
		Title:        title,
		Hours:        hours,
		Modality:     ModalityInPerson,
		NSF:          f.nsf,
		Languages:    []string{"fr"},
		MaxGroupSize: f.group[0] + g.r.IntN(f.group[1]-f.group[0]+1),
	}
	code := f.code + levelTag(f.levels, level)
	c.Ref = g.courseRef(p, code)
	if f.lang == "" && !individual {
		// Languages and skills assessments are spread over weeks.
		c.Days = max(0.5, math.Round(hours/7*2)/2)
	}
	if f.remote {
		switch g.weighted(51, 21, 28) {
		case 1:
			c.Modality = ModalityBlended
		case 2:
			c.Modality = ModalityRemote
		}
	}
	switch {
	case individual:
		c.Inter = true
	default:
		switch g.weighted(55, 25, 20) {
		case 0:
			c.Intra, c.Inter = true, true
		case 1:
			c.Inter = true
		default:
			c.Intra = true
		}
	}
	g.prices(&c, f)
	if c.Modality == ModalityRemote && !individual {
		c.MaxGroupSize += g.r.IntN(5)
	}
	if g.r.IntN(20) == 0 {
		c.MaxGroupSize = 0
	}
	if c.Modality != ModalityRemote {
		c.Communes = g.courseCommunes(p)
	}
	switch {
	case f.lang != "":
		c.Languages = []string{f.lang}
		if g.r.IntN(4) == 0 {
			c.Languages = append(c.Languages, "fr")
		}
	case g.r.IntN(25) == 0:
		c.Languages = append(c.Languages, "en")
	}
	if f.cert != "" && g.r.IntN(100) < 55 {
		c.Certification = certCode(f, g.r.IntN(2))
		c.CPF = g.r.IntN(100) < 85
	}
	if f.cpfNoCert {
		c.CPF = g.r.IntN(100) < 80
	}
	c.Objectives = g.objectives(f, level)
	c.Prerequisites = g.prerequisites(f, level)
	c.Programme = g.programme(f, level, c)
	if c.Inter && !individual {
		c.NextSessions = g.sessions(today)
	}
	if g.r.IntN(30) != 0 {
		c.LastConfirmed = today.AddDate(0, 0, -g.r.IntN(540))
	}
	return c, code
}

// family picks a subject in one of p's specialities, the main one most
// often; a provider without a known speciality teaches anything.
func (g *Gen) family(p Provider) *courseFamily {
	byNSF := familiesByNSF()
	if len(p.Specialities) > 0 {
		i := 0
		if len(p.Specialities) > 1 && g.r.IntN(100) >= 60 {
			i = 1 + g.r.IntN(len(p.Specialities)-1)
		}
		if fams := byNSF[p.Specialities[i].NSF]; len(fams) > 0 {
			return pick(g, fams)
		}
	}
	return &catalogue[g.r.IntN(len(catalogue))]
}

// courseTitle picks a title and its duration: the title's own durations
// after "|" when it has some, else the family's.
func (g *Gen) courseTitle(f *courseFamily) (string, float64) {
	t := pick(g, f.titles)
	title, hours, ok := strings.Cut(t, "|")
	if !ok {
		return title, pick(g, f.hours)
	}
	list := strings.Split(hours, ",")
	h, err := strconv.ParseFloat(pick(g, list), 64)
	if err != nil {
		panic(fmt.Sprintf("fakefr: catalogue title %q: bad hours", t))
	}
	return title, h
}

func (g *Gen) levelSuffix(scale, level int) string {
	if scale == levelsCEFR {
		return [...][3]string{{" – niveau A2", " – niveau B1", " – niveau B2"}, {" (A2)", " (B1)", " (B2)"}}[g.r.IntN(2)][level]
	}
	return [...][3]string{
		{" – initiation", " – niveau intermédiaire", " – niveau avancé"},
		{" : les bases", " : perfectionnement", " : expert"},
	}[g.r.IntN(2)][level]
}

func levelTag(scale, level int) string {
	switch scale {
	case levelsSkill:
		return "-" + [...]string{"INIT", "INTER", "AV"}[level]
	case levelsCEFR:
		return "-" + [...]string{"A2", "B1", "B2"}[level]
	}
	return ""
}

// courseRef builds a reference in the provider's house style, which
// depends only on its NDA so that its whole catalogue looks alike; code is
// the subject and level ("EXC-INIT") some styles start with.
func (g *Gen) courseRef(p Provider, code string) string {
	h := fnv.New32a()
	h.Write([]byte(p.NDA))
	switch h.Sum32() % 4 {
	case 0:
		return fmt.Sprintf("%s-%02d", code, 1+g.r.IntN(99))
	case 1:
		return fmt.Sprintf("F%04d", 1+g.r.IntN(9999))
	case 2:
		return fmt.Sprintf("%d-%03d", 2025+g.r.IntN(2), 1+g.r.IntN(999))
	}
	return fmt.Sprintf("FORM%03d", 1+g.r.IntN(999))
}

// certCode returns a fictional but well-formed certification number, fixed
// for a family and a variant so that providers share it.
func certCode(f *courseFamily, variant int) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d", f.code, variant)
	n := int(h.Sum32())
	if f.cert == "RNCP" {
		return fmt.Sprintf("RNCP%d", 34000+n%6000)
	}
	return fmt.Sprintf("RS%d", 5000+n%2000)
}

// prices draws an inter-company price per trainee of 300 to 2,500 € and an
// intra-company price per group-day of 900 to 2,200 €, from the subject's
// price class; now and then a price is not published.
func (g *Gen) prices(c *Course, f *courseFamily) {
	c.PricePerTraineeCents, c.PricePerGroupDayCents = -1, -1
	pc := priceClasses[f.price]
	if c.Inter && g.r.IntN(25) != 0 {
		perDay := pc.interLo + g.r.IntN(pc.interHi-pc.interLo+1)
		euros := min(max(int(float64(perDay)*max(c.Hours/7, 0.5)), 300), 2500)
		euros = euros / 10 * 10
		if g.r.IntN(4) == 0 && euros > 300 {
			euros -= 5 // 495 € rather than 500 €
		}
		c.PricePerTraineeCents = int64(euros) * 100
		if g.r.IntN(30) == 0 && euros < 2500 {
			c.PricePerTraineeCents += 50
		}
	}
	if c.Intra && g.r.IntN(25) != 0 {
		euros := pc.intraLo + g.r.IntN(pc.intraHi-pc.intraLo+1)
		c.PricePerGroupDayCents = int64(euros/50*50) * 100
	}
}

// courseCommunes returns the provider's commune, and for one course in four
// up to three big cities where it also holds sessions.
func (g *Gen) courseCommunes(p Provider) []string {
	out := []string{p.Address.CommuneCode}
	if g.r.IntN(4) == 0 {
		cities := bigCities()
		for n := 1 + g.r.IntN(3); n > 0; n-- {
			if c := pick(g, cities); !contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// window returns the part of a basics-to-advanced list a level covers.
func window[T any](items []T, level int) []T {
	if level < 0 || len(items) < 4 {
		return items
	}
	w := (len(items)*6 + 9) / 10
	start := int(math.Round(float64(len(items)-w) * float64(level) / 2))
	return items[start : start+w]
}

// subset returns k items of list, keeping their order.
func (g *Gen) subset(list []string, k int) []string {
	if k >= len(list) {
		return slices.Clone(list)
	}
	idx := g.r.Perm(len(list))[:k]
	slices.Sort(idx)
	out := make([]string, k)
	for i, j := range idx {
		out[i] = list[j]
	}
	return out
}

func (g *Gen) objectives(f *courseFamily, level int) string {
	items := g.subset(window(f.objectives, level), 3+g.r.IntN(3))
	var b strings.Builder
	for i, o := range items {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(capableDe(o))
	}
	return b.String()
}

// capableDe writes an objective the way catalogues do, with the elision
// French requires: "Être capable d'analyser", "Être capable de créer".
func capableDe(verb string) string {
	r, _ := utf8.DecodeRuneInString(verb)
	if strings.ContainsRune("aâàeéèêiîoôuhy", r) {
		return "Être capable d'" + verb
	}
	return "Être capable de " + verb
}

func (g *Gen) prerequisites(f *courseFamily, level int) string {
	var s string
	switch {
	case f.levels == levelsSkill:
		s = [...]string{
			"Aucun prérequis",
			"Avoir suivi le niveau initiation ou disposer de connaissances équivalentes",
			"Pratiquer régulièrement et maîtriser les notions du niveau intermédiaire",
		}[level]
	case f.levels == levelsCEFR:
		s = "Niveau " + [...]string{"A1", "A2", "B1"}[level] + " attesté par le test de positionnement"
	case len(f.prereq) > 0:
		s = pick(g, f.prereq)
	default:
		s = "Aucun prérequis"
	}
	if f.levels != levelsNone && g.r.IntN(3) == 0 {
		s += ". Un test de positionnement est proposé avant l'entrée en formation"
	}
	return s
}

// programme lays the modules out by day, or by session for remote courses,
// by week for long ones and by module for individual or language courses,
// and ends with the assessment.
func (g *Gen) programme(f *courseFamily, level int, c Course) string {
	mods := window(f.modules, level)
	if level < 0 && len(mods) > 4 && g.r.IntN(2) == 0 {
		k := g.r.IntN(len(mods))
		mods = slices.Delete(slices.Clone(mods), k, k+1)
	}
	closing := "Évaluation des acquis et bilan de la formation"
	if c.Certification != "" {
		closing = "Épreuves de certification et bilan de la formation"
	}
	var b strings.Builder
	if f.lang != "" || f.group[1] == 1 {
		for i, m := range mods {
			fmt.Fprintf(&b, "Module %d : %s\n", i+1, m)
		}
		b.WriteString(closing)
		return b.String()
	}
	unit, n := "Jour", int(math.Ceil(c.Hours/7))
	switch {
	case c.Hours > 35:
		unit, n = "Semaine", int(math.Ceil(c.Hours/35))
	case c.Modality == ModalityRemote:
		unit, n = "Séance", min(int(math.Ceil(c.Hours/3.5)), 10)
	case c.Hours <= 4:
		unit, n = "Demi-journée", 1
	}
	practice := "Exercices d'application et études de cas"
	if f.workshop {
		practice = "Travaux pratiques sur plateau technique"
	}
	for u := range n {
		if u > 0 {
			b.WriteByte('\n')
		}
		if n == 1 && unit == "Demi-journée" {
			b.WriteString(unit)
		} else {
			fmt.Fprintf(&b, "%s %d", unit, u+1)
		}
		// Fewer modules than days: one a day, then practice days.
		part := []string{practice}
		switch {
		case len(mods) >= n:
			part = mods[u*len(mods)/n : (u+1)*len(mods)/n]
		case u < len(mods):
			part = mods[u : u+1]
		}
		for _, m := range part {
			b.WriteString("\n- ")
			b.WriteString(m)
		}
		if u == n-1 {
			b.WriteString("\n- ")
			b.WriteString(closing)
		}
	}
	return b.String()
}

// sessions returns 0 to 4 start dates in the 7 months after today, on
// Mondays or Tuesdays, sorted.
func (g *Gen) sessions(today time.Time) []time.Time {
	n := g.weighted(20, 25, 25, 15, 15)
	var out []time.Time
	for range n {
		d := today.AddDate(0, 0, 7+g.r.IntN(200))
		d = d.AddDate(0, 0, (8-int(d.Weekday()))%7) // next Monday
		if g.r.IntN(4) == 0 {
			d = d.AddDate(0, 0, 1)
		}
		if !slices.ContainsFunc(out, d.Equal) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}
