package fakefr

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

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
