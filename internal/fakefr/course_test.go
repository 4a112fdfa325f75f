package fakefr

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/nsf"
)

func TestCatalogue(t *testing.T) {
	codes := map[string]bool{}
	for _, f := range catalogue {
		if codes[f.code] {
			t.Errorf("family code %s repeated", f.code)
		}
		codes[f.code] = true
		if c, ok := nsf.Lookup(f.nsf); !ok || c.Level != 3 {
			t.Errorf("%s: NSF %s is not a group", f.code, f.nsf)
		}
		if len(f.titles) == 0 || len(f.objectives) < 3 || len(f.modules) < 3 || len(f.hours) == 0 {
			t.Errorf("%s: too little material", f.code)
		}
		if f.group[0] < 1 || f.group[1] < f.group[0] || f.price < 0 || f.price >= len(priceClasses) {
			t.Errorf("%s: group %v, price class %d", f.code, f.group, f.price)
		}
		if f.cert != "" && f.cert != "RS" && f.cert != "RNCP" {
			t.Errorf("%s: certification kind %q", f.code, f.cert)
		}
		if f.levels == levelsNone && len(f.prereq) == 0 {
			t.Errorf("%s: no prerequisites", f.code)
		}
		g := New(1)
		for _, title := range f.titles {
			if strings.Contains(title, "{L}") != (f.levels != levelsNone) {
				t.Errorf("%s: title %q and levels %d disagree", f.code, title, f.levels)
			}
		}
		for range 20 {
			if _, h := g.courseTitle(&f); h <= 0 {
				t.Errorf("%s: duration %v", f.code, h)
			}
		}
	}
	byNSF := familiesByNSF()
	for _, p := range ofProfiles {
		for _, code := range p.nsf {
			if len(byNSF[code]) == 0 {
				t.Errorf("profile %v: no course family for NSF %s", p.words, code)
			}
		}
	}
}

func TestCourses(t *testing.T) {
	g := New(8)
	ps := g.UniqueProviders(2000)
	ref := regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]*$`)
	cert := regexp.MustCompile(`^(RS\d{4}|RNCP\d{5})$`)
	var all []Course
	for _, p := range ps {
		cs := g.Courses(p, 6)
		refs := map[string]bool{}
		for _, c := range cs {
			if refs[c.Ref] || !ref.MatchString(c.Ref) {
				t.Errorf("%s: reference %q repeated or malformed", p.NDA, c.Ref)
			}
			refs[c.Ref] = true
			if !slices.ContainsFunc(p.Specialities, func(s Speciality) bool { return s.NSF == c.NSF }) {
				t.Errorf("%s: course %q in NSF %s, not one of %v", p.NDA, c.Title, c.NSF, p.Specialities)
			}
			if c.Modality != ModalityRemote && (len(c.Communes) == 0 || c.Communes[0] != p.Address.CommuneCode) {
				t.Errorf("%s: course %q given in %v, not at home %s", p.NDA, c.Title, c.Communes, p.Address.CommuneCode)
			}
		}
		all = append(all, cs...)
	}
	var remote, blended, cpf, certified, inter, intra, sessions int
	for _, c := range all {
		lines := strings.Split(c.Objectives, "\n")
		if len(lines) < 3 || len(lines) > 5 {
			t.Errorf("%q: %d objectives", c.Title, len(lines))
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "Être capable de ") && !strings.HasPrefix(l, "Être capable d'") {
				t.Errorf("%q: objective %q", c.Title, l)
			}
		}
		if c.Title == "" || strings.Contains(c.Title, "{") || strings.Contains(c.Title, "|") || c.Programme == "" || c.Prerequisites == "" {
			t.Errorf("incomplete course %+v", c)
		}
		if c.Hours <= 0 || c.Days < 0 || c.Days > 0 && (c.Days < c.Hours/7-0.5 || c.Days > c.Hours/7+0.5) {
			t.Errorf("%q: %v hours in %v days", c.Title, c.Hours, c.Days)
		}
		if !c.Intra && !c.Inter {
			t.Errorf("%q: neither intra nor inter", c.Title)
		}
		if p := c.PricePerTraineeCents; p != -1 && (!c.Inter || p < 300_00 || p > 2500_00) {
			t.Errorf("%q: inter price %d (inter %v)", c.Title, p, c.Inter)
		}
		if p := c.PricePerGroupDayCents; p != -1 && (!c.Intra || p < 900_00 || p > 2200_00) {
			t.Errorf("%q: intra price %d (intra %v)", c.Title, p, c.Intra)
		}
		if c.MaxGroupSize < 0 || c.MaxGroupSize > 25 {
			t.Errorf("%q: group of %d", c.Title, c.MaxGroupSize)
		}
		for _, code := range c.Communes {
			if _, ok := geo.CommuneByCode(code); !ok {
				t.Errorf("%q: unknown commune %s", c.Title, code)
			}
		}
		if len(c.Languages) == 0 {
			t.Errorf("%q: no language", c.Title)
		}
		if c.Certification != "" && !cert.MatchString(c.Certification) {
			t.Errorf("%q: certification %q", c.Title, c.Certification)
		}
		if c.CPF && c.Certification == "" && !strings.Contains(c.Title, "Bilan") && !strings.Contains(c.Title, "VAE") {
			t.Errorf("%q: CPF-eligible without a certification", c.Title)
		}
		if !slices.IsSortedFunc(c.NextSessions, time.Time.Compare) {
			t.Errorf("%q: sessions not sorted", c.Title)
		}
		for _, s := range c.NextSessions {
			if !s.After(courseRefDate) || s.Weekday() != time.Monday && s.Weekday() != time.Tuesday {
				t.Errorf("%q: session on %v", c.Title, s)
			}
		}
		if c.LastConfirmed.After(courseRefDate) {
			t.Errorf("%q: confirmed in the future", c.Title)
		}
		switch c.Modality {
		case ModalityRemote:
			remote++
			if len(c.Communes) > 0 {
				t.Errorf("%q: remote in %v", c.Title, c.Communes)
			}
		case ModalityBlended:
			blended++
		case ModalityInPerson:
		default:
			t.Errorf("%q: modality %q", c.Title, c.Modality)
		}
		if c.CPF {
			cpf++
		}
		if c.Certification != "" {
			certified++
		}
		if c.Inter {
			inter++
		}
		if c.Intra {
			intra++
		}
		sessions += len(c.NextSessions)
	}
	share := func(k int) float64 { return float64(k) / float64(len(all)) }
	checks := []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"remote", share(remote), 0.13, 0.27},
		{"blended", share(blended), 0.09, 0.21},
		{"CPF-eligible", share(cpf), 0.22, 0.38},
		{"certifying", share(certified), 0.22, 0.40},
		{"inter", share(inter), 0.70, 0.90},
		{"intra", share(intra), 0.60, 0.80},
	}
	for _, c := range checks {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %.3f of courses, want %.2f to %.2f", c.what, c.got, c.lo, c.hi)
		}
	}
	if sessions == 0 {
		t.Errorf("no sessions at all")
	}
}

func TestCapableDe(t *testing.T) {
	for in, want := range map[string]string{
		"analyser un bilan":      "Être capable d'analyser un bilan",
		"établir un budget":      "Être capable d'établir un budget",
		"créer un tableau":       "Être capable de créer un tableau",
		"utiliser un extincteur": "Être capable d'utiliser un extincteur",
	} {
		if got := capableDe(in); got != want {
			t.Errorf("capableDe(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestWriteCourses(t *testing.T) {
	g := New(2)
	ps := g.UniqueProviders(20)
	cs := map[string][]Course{}
	for _, p := range ps {
		cs[p.NDA] = g.Courses(p, 3)
	}
	var b bytes.Buffer
	if err := WriteCourses(&b, ps, cs); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if !strings.HasPrefix(s, "\uFEFFNDA organisme;SIRET organisme;Référence;Intitulé;") || !strings.Contains(s, "\r\n") {
		t.Errorf("want a BOM, the French header and CRLF: %.80q", s)
	}
	for _, want := range []string{"présentiel", ";oui;", ";non;", "Être capable d"} {
		if !strings.Contains(s, want) {
			t.Errorf("no %q in the file", want)
		}
	}
	for in, want := range map[int64]string{-1: "", 0: "0,00", 99: "0,99", 120050: "1 200,50", 250000: "2 500,00", 123456789: "1 234 567,89"} {
		if got := euros(in); got != want {
			t.Errorf("euros(%d): got %q, want %q", in, got, want)
		}
	}
	for in, want := range map[float64]string{0: "", 7: "7", 10.5: "10,5", 0.5: "0,5"} {
		if got := decimal(in); got != want {
			t.Errorf("decimal(%v): got %q, want %q", in, got, want)
		}
	}
}

// BenchmarkCourses generates 80,000 courses, 10 for each of 8,000
// providers, the size of a broker's database; the target is well under 5 s.
func BenchmarkCourses(b *testing.B) {
	g := New(1)
	ps := g.UniqueProviders(8000)
	b.ResetTimer()
	for b.Loop() {
		for _, p := range ps {
			g.Courses(p, 10)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/80000, "ns/course")
}

// BenchmarkUniqueProviders measures the generation of a DGEFP-sized list.
func BenchmarkUniqueProviders(b *testing.B) {
	for b.Loop() {
		New(1).UniqueProviders(150000)
	}
}
