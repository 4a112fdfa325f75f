package fakefr

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/internal/geo"
	"github.com/courtier-crm/courtier/internal/nsf"
	"github.com/courtier-crm/courtier/internal/textsearch"
)

func TestProvidersDeterminism(t *testing.T) {
	draw := func(seed uint64) ([]Provider, [][]Course) {
		g := New(seed)
		ps := g.UniqueProviders(300)
		var cs [][]Course
		for _, p := range ps[:50] {
			cs = append(cs, g.Courses(p, 4))
		}
		cs = append(cs, []Course{g.Course(ps[0])})
		return ps, cs
	}
	p1, c1 := draw(42)
	p2, c2 := draw(42)
	if !reflect.DeepEqual(p1, p2) || !reflect.DeepEqual(c1, c2) {
		t.Errorf("same seed gave different providers or courses")
	}
	if p3, _ := draw(43); reflect.DeepEqual(p1, p3) {
		t.Errorf("different seeds gave the same providers")
	}
}

func TestUniqueProviders(t *testing.T) {
	const n = 20000
	ps := New(5).UniqueProviders(n)
	if len(ps) != n {
		t.Fatalf("got %d providers, want %d", len(ps), n)
	}
	ndaShape := regexp.MustCompile(`^(\d\d)([0-9][0-9AB])(\d{7})$`)
	ndas, sirens, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
	forms := map[string]int{}
	qualiopi := [4]int{}
	foreign, undeclared, previous, upper := 0, 0, 0, 0
	for _, p := range ps {
		if ndas[p.NDA] || sirens[p.SIREN] || names[textsearch.Fold(p.Name)] {
			t.Fatalf("%s %s %q: NDA, SIREN or name repeated", p.NDA, p.SIREN, p.Name)
		}
		ndas[p.NDA], sirens[p.SIREN], names[textsearch.Fold(p.Name)] = true, true, true
		m := ndaShape.FindStringSubmatch(p.NDA)
		if m == nil || m[1] != p.RegionCode || m[2] != p.Address.Department[:2] {
			t.Errorf("NDA %s: want region %s + department %s + 7 digits", p.NDA, p.RegionCode, p.Address.Department)
		}
		if c, ok := geo.CommuneByCode(p.Address.CommuneCode); !ok || c.Region != p.RegionCode || !slices.Contains(c.PostalCodes, p.Address.PostalCode) {
			t.Errorf("%s: address %+v does not match region %s", p.NDA, p.Address, p.RegionCode)
		}
		if !LuhnValid(p.SIREN) || len(p.SIREN) != 9 || !LuhnValid(p.SIRET) || !strings.HasPrefix(p.SIRET, p.SIREN) {
			t.Errorf("%s: SIREN %s / SIRET %s invalid", p.NDA, p.SIREN, p.SIRET)
		}
		if len(p.Specialities) < 1 || len(p.Specialities) > 3 {
			t.Errorf("%s: %d specialities", p.NDA, len(p.Specialities))
		}
		for _, s := range p.Specialities {
			if c, ok := nsf.Lookup(s.NSF); !ok || c.Level != 3 || c.Label != s.Label {
				t.Errorf("%s: speciality %+v not an NSF group", p.NDA, s)
			}
		}
		if p.Trainees < 0 {
			undeclared++
			if !p.LastDeclaration.IsZero() || p.Trainers != -1 || p.TraineesFromOtherOF != -1 {
				t.Errorf("%s: no BPF but %+v", p.NDA, p)
			}
		} else if !p.FiscalEnd.After(p.FiscalStart) || !p.LastDeclaration.After(p.FiscalEnd) || p.LastDeclaration.After(providerRefDate) ||
			p.Trainers < 1 || p.TraineesFromOtherOF > p.Trainees {
			t.Errorf("%s: inconsistent BPF %v %v %v %d %d %d", p.NDA, p.FiscalStart, p.FiscalEnd, p.LastDeclaration,
				p.Trainees, p.TraineesFromOtherOF, p.Trainers)
		}
		for i, q := range p.Qualiopi {
			if q {
				qualiopi[i]++
			}
		}
		if !strings.Contains(p.Email, "@") || !strings.HasPrefix(p.Phone, "+33") || p.Website != "" && !strings.HasPrefix(p.Website, "https://www.") {
			t.Errorf("%s: contact %q %q %q", p.NDA, p.Email, p.Phone, p.Website)
		}
		for _, prev := range p.PreviousNDAs {
			if !ndaShape.MatchString(prev) {
				t.Errorf("%s: previous NDA %s", p.NDA, prev)
			}
			previous++
		}
		if p.Foreign != nil {
			foreign++
		}
		if p.Name == strings.ToUpper(p.Name) {
			upper++
		}
		forms[p.LegalForm]++
	}
	for _, p := range ps {
		for _, prev := range p.PreviousNDAs {
			if slices.ContainsFunc(ps, func(q Provider) bool { return q.NDA == prev }) {
				t.Errorf("previous NDA %s of %s is someone's current NDA", prev, p.NDA)
			}
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	checks := []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"Qualiopi actions", share(qualiopi[QualiopiActions]), 0.70, 0.85},
		{"Qualiopi skills assessments", share(qualiopi[QualiopiSkillsAssessment]), 0.03, 0.15},
		{"Qualiopi VAE", share(qualiopi[QualiopiVAE]), 0.02, 0.12},
		{"Qualiopi apprenticeship", share(qualiopi[QualiopiApprenticeship]), 0.03, 0.15},
		{"sole traders", share(forms["EI"]), 0.18, 0.32},
		{"associations", share(forms["Association"]), 0.06, 0.16},
		{"GRETA", share(forms["GRETA (EPLE)"]), 0.003, 0.03},
		{"no BPF yet", share(undeclared), 0.005, 0.04},
		{"foreign bodies", share(foreign), 0.001, 0.02},
		{"previous NDAs", share(previous), 0.005, 0.04},
		{"upper-case names", share(upper), 0.2, 0.45},
	}
	for _, c := range checks {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %.3f of providers, want %.3f to %.3f", c.what, c.got, c.lo, c.hi)
		}
	}
}

func TestProviderNames(t *testing.T) {
	g := New(11)
	seen := map[string]bool{}
	for range 5000 {
		p := g.Provider()
		if strings.ContainsAny(p.Name, "{}") || strings.TrimSpace(p.Name) != p.Name || strings.Contains(p.Name, "  ") {
			t.Errorf("malformed name %q", p.Name)
		}
		for _, w := range []string{"GRETA", "Institut", "Académie", "Formation", "Conseil", "Centre de formation", "Association", "CCI", "Université"} {
			if strings.Contains(textsearch.Fold(p.Name), textsearch.Fold(w)) {
				seen[w] = true
			}
		}
		for _, c := range chains {
			if strings.HasPrefix(p.Name, c) || strings.HasPrefix(p.Name, strings.ToUpper(c)) {
				seen["chain"] = true
			}
		}
		if p.LegalForm == "EI" {
			seen["sole trader"] = true
		}
	}
	for _, w := range []string{"GRETA", "Institut", "Académie", "Formation", "Conseil", "Centre de formation", "Association", "CCI", "Université", "chain", "sole trader"} {
		if !seen[w] {
			t.Errorf("no provider name with %q in 5,000", w)
		}
	}
}

func TestWriteDGEFP(t *testing.T) {
	ps := New(3).UniqueProviders(400)
	var b bytes.Buffer
	if err := WriteDGEFP(&b, ps); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(b.Bytes()))
	sc.Buffer(nil, 1<<20)
	sc.Scan()
	header := strings.TrimSuffix(sc.Text(), "\r")
	if sample, err := os.ReadFile("../../../shared/data/liste_publique_of.SAMPLE-FICTIF.csv"); err == nil {
		want, _, _ := strings.Cut(string(sample), "\r\n")
		if header != want {
			t.Errorf("header differs from the DGEFP sample:\n got %s\nwant %s", header, want)
		}
	} else if !errors.Is(err, fs.ErrNotExist) || os.Getenv("CI") == "true" {
		t.Errorf("reading the DGEFP sample: %v", err)
	}
	if !bytes.Contains(b.Bytes(), []byte(";\r\n")) || bytes.Contains(b.Bytes(), []byte{0xEF, 0xBB, 0xBF}) {
		t.Errorf("want CRLF, some trailing ';' and no BOM")
	}
	r := csv.NewReader(bytes.NewReader(b.Bytes()))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil || len(recs) != len(ps)+1 {
		t.Fatalf("got %d records, %v", len(recs), err)
	}
	for i, rec := range recs[1:] {
		if len(rec) != 30 && !(len(rec) == 31 && rec[30] == "") {
			t.Errorf("line %d: %d fields", i+2, len(rec))
		}
		if rec[0] != ps[i].NDA || rec[2] != ps[i].Name {
			t.Errorf("line %d: %q %q", i+2, rec[0], rec[2])
		}
	}
}
