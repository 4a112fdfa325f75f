// Package fakefr owns the generation of realistic, deterministic French fake
// data for demos and scale seeding: people, companies, SIREN/SIRET numbers,
// postal addresses, phone numbers, job titles and training courses.
//
// All randomness comes from the *rand.Rand inside a Gen, so the same seed and
// the same sequence of calls always give the same data. Word lists are
// embedded text files under data/, parsed once on first use.
//
// Safety by construction: phone numbers come from the blocks ARCEP reserves
// for fiction, which are assigned to no one. SIREN numbers and web domains,
// however, are random or built from names and may exist for real: never let
// seeded data reach a real mail server or a real registry lookup.
package fakefr

import (
	"bufio"
	"embed"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/courtier-crm/courtier/internal/textsearch"
)

// Gen generates fake data from its own random source; it is not safe for
// concurrent use (give each goroutine its own Gen).
type Gen struct {
	r *rand.Rand
}

// New returns a generator seeded with seed.
func New(seed uint64) *Gen {
	// The second PCG word is a fixed constant so that one uint64 is enough.
	return &Gen{r: rand.New(rand.NewPCG(seed, 0x636f757274696572))}
}

// NewWithRand returns a generator drawing from r, for callers that share a
// random source with other seeding code.
func NewWithRand(r *rand.Rand) *Gen {
	return &Gen{r: r}
}

// Genders used in Person.Gender.
const (
	Female = "F"
	Male   = "M"
)

// Person is a fictional person with a common French name.
type Person struct {
	FirstName string
	LastName  string
	Gender    string // Female or Male
}

// Person returns a person with a first name matching a random gender.
func (g *Gen) Person() Person {
	w := vocabulary()
	if g.r.IntN(2) == 0 {
		return Person{FirstName: pick(g, w.female), LastName: pick(g, w.surnames), Gender: Female}
	}
	return Person{FirstName: pick(g, w.male), LastName: pick(g, w.surnames), Gender: Male}
}

// Email returns prenom.nom@domain in lower-case ASCII: accents are removed,
// hyphens kept, and spaces and apostrophes dropped, so Hélène Lefèvre gives
// helene.lefevre@domain, Jean-Pierre Le Goff jean-pierre.legoff@domain and
// Awa N'Diaye awa.ndiaye@domain.
func Email(p Person, domain string) string {
	return emailPart(p.FirstName) + "." + emailPart(p.LastName) + "@" +
		strings.ToLower(strings.TrimPrefix(strings.TrimSpace(domain), "@"))
}

// emailPart folds each hyphen-separated part of a name and glues its words.
func emailPart(name string) string {
	parts := strings.Split(name, "-")
	kept := parts[:0]
	for _, p := range parts {
		f := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, textsearch.Fold(p))
		if f != "" {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, "-")
}

// Topic is a training course title with its NSF group code (3 digits).
type Topic struct {
	Title string
	NSF   string
}

// TrainingTopics returns every training course known to the generator.
func TrainingTopics() []Topic {
	return append([]Topic(nil), vocabulary().topics...)
}

// TrainingTopic returns the title of a random training course.
func (g *Gen) TrainingTopic() string {
	return g.Topic().Title
}

// Topic returns a random training course with its NSF code.
func (g *Gen) Topic() Topic {
	return pick(g, vocabulary().topics)
}

// ContactRole returns the job title of a client's HR or training contact, in
// the masculine or feminine form at random.
func (g *Gen) ContactRole() string {
	return g.gendered(vocabulary().roles, "")
}

// ContactRoleFor returns a contact job title agreeing with gender (Female or Male).
func (g *Gen) ContactRoleFor(gender string) string {
	return g.gendered(vocabulary().roles, gender)
}

// JobTitle returns the job title of an employee sent on training, in the
// masculine or feminine form at random.
func (g *Gen) JobTitle() string {
	return g.gendered(vocabulary().jobs, "")
}

// JobTitleFor returns an employee job title agreeing with gender (Female or Male).
func (g *Gen) JobTitleFor(gender string) string {
	return g.gendered(vocabulary().jobs, gender)
}

// Department returns the name of a company department ("Logistique", "Qualité"…).
func (g *Gen) Department() string {
	return pick(g, vocabulary().services)
}

func (g *Gen) gendered(list [][2]string, gender string) string {
	t := pick(g, list)
	switch gender {
	case Female:
		return t[1]
	case Male:
		return t[0]
	}
	return t[g.r.IntN(2)]
}

func pick[T any](g *Gen, list []T) T {
	return list[g.r.IntN(len(list))]
}

// weighted returns an index drawn with probability proportional to weights.
func (g *Gen) weighted(weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

//go:embed data/*.txt
var files embed.FS

// vocab holds the embedded word lists; it is never modified once built.
type vocab struct {
	female, male, surnames []string
	streets, parkStreets   []string
	places, services       []string
	roles, jobs            [][2]string
	topics                 []Topic
	sectors                []sector
	sectorWeights          []int
	brandHeads, brandTails []string
	saints, mutualMembers  []string
}

// vocabulary panics because the lists are compiled into the binary: a
// malformed file is a build defect caught by the tests.
var vocabulary = sync.OnceValue(func() *vocab {
	w := &vocab{
		female:      lines("prenoms_f.txt"),
		male:        lines("prenoms_m.txt"),
		surnames:    lines("noms.txt"),
		streets:     lines("rues.txt"),
		parkStreets: lines("rues_za.txt"),
		places:      lines("lieux.txt"),
		services:    lines("services.txt"),
		roles:       pairs(lines("roles.txt")),
		jobs:        pairs(lines("jobs.txt")),
	}
	for _, l := range lines("topics.txt") {
		title, nsf, ok := strings.Cut(l, "|")
		if !ok || len(nsf) != 3 {
			panic(fmt.Sprintf("fakefr: topics.txt: malformed line %q", l))
		}
		w.topics = append(w.topics, Topic{Title: title, NSF: nsf})
	}
	w.initCompanyWords()
	return w
})

// lines returns the non-empty, non-comment lines of an embedded file.
func lines(name string) []string {
	f, err := files.Open("data/" + name)
	if err != nil {
		panic(fmt.Sprintf("fakefr: %v", err))
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil || len(out) == 0 {
		panic(fmt.Sprintf("fakefr: %s: empty or unreadable (%v)", name, err))
	}
	return out
}

// pairs splits "masculine|feminine" lines; a line without "|" is epicene.
func pairs(ls []string) [][2]string {
	out := make([][2]string, len(ls))
	for i, l := range ls {
		m, f, ok := strings.Cut(l, "|")
		if !ok {
			f = m
		}
		out[i] = [2]string{m, f}
	}
	return out
}
