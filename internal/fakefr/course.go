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
	return g.course(p, g.subject(p), courseRefDate)
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
		s := g.subject(p)
		for try := 0; try < 5 && titles[s.title]; try++ {
			s = g.subject(p)
		}
		c := g.course(p, s, today)
		for try := 0; refs[c.Ref]; try++ {
			if try < 10 {
				c.Ref = g.courseRef(p, s.code())
			} else {
				c.Ref = fmt.Sprintf("%s-%d", c.Ref, len(out))
			}
		}
		refs[c.Ref], titles[c.Title] = true, true
		out = append(out, c)
	}
	return out
}

// subject is what a course is about, drawn before the rest so that a
// catalogue can avoid repeating titles cheaply.
type subject struct {
	f     *courseFamily
	title string
	hours float64
	level int // -1 for a family without levels
}

// code is what references start with: family and level ("EXC-INIT").
func (s subject) code() string { return s.f.code + levelTag(s.f.levels, s.level) }

func (g *Gen) subject(p Provider) subject {
	f := g.family(p)
	title, hours := g.courseTitle(f)
	level := -1
	if f.levels != levelsNone {
		level = g.weighted(45, 35, 20)
		title = strings.Replace(title, "{L}", g.levelSuffix(f.levels, level), 1)
	}
	return subject{f: f, title: title, hours: hours, level: level}
}

// course writes up a course on a subject.
func (g *Gen) course(p Provider, s subject, today time.Time) Course {
	f, title, hours, level := s.f, s.title, s.hours, s.level
	individual := f.group[1] == 1
	c := Course{
		Title:        title,
		Hours:        hours,
		Modality:     ModalityInPerson,
		NSF:          f.nsf,
		Languages:    []string{"fr"},
		MaxGroupSize: f.group[0] + g.r.IntN(f.group[1]-f.group[0]+1),
	}
	c.Ref = g.courseRef(p, s.code())
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
	return c
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
			if c := pick(g, cities); !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
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
