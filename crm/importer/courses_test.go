package importer

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/fakefr"
)

func TestParseEuros(t *testing.T) {
	cases := []struct {
		in    string
		cents int64
		bad   bool
	}{
		{"1200", 120000, false},
		{"1 200,50", 120050, false},
		{"1\u00a0200,50\u00a0€", 120050, false},
		{"1\u202f200,50", 120050, false},
		{"1.200,50 €", 120050, false},
		{"1,200.50", 120050, false},
		{"1200.5", 120050, false},
		{"0,99", 99, false},
		{"0,9", 90, false},
		{"€ 950", 95000, false},
		{"950 € HT", 95000, false},
		{"950 EUR", 95000, false},
		{"1 234 567,89", 123456789, false},
		{"1.234.567", 123456700, false},
		{"0", 0, false},
		{"", -1, false},
		{"  ", -1, false},
		{"-", -1, false},
		{"abc", 0, true},
		{"12,345", 0, true},
		{"1.200", 0, true},
		{"1 200,505", 0, true},
		{"1.234,567", 0, true},
		{"-12,50", 0, true},
		{"12,", 0, true},
		{",99", 0, true},
		{"1 20,00", 0, true},
		{"1  200", 0, true},
		{"12.50.3", 0, true},
		{"1,2,3", 0, true},
		{"€", 0, true},
		{"1e3", 0, true},
		{"99999999999999999999", 0, true},
	}
	for _, c := range cases {
		got, err := ParseEuros(c.in)
		if c.bad {
			if err == nil || !errors.Is(err, errs.ErrInvalid) {
				t.Errorf("ParseEuros(%q): got %d, %v, want an invalid-input error", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.cents {
			t.Errorf("ParseEuros(%q): got %d, %v, want %d", c.in, got, err, c.cents)
		}
	}
}

// coursesHeader is the documented French header.
const coursesHeader = "NDA organisme;SIRET organisme;Référence;Intitulé;Objectifs;Programme;Prérequis;Durée en heures;Durée en jours;" +
	"Modalité;Intra;Inter;Villes;Langues;Prix inter HT par stagiaire;Prix intra HT par jour;Effectif maximum;Certification;" +
	"Éligible CPF;Code NSF;Prochaines sessions;Dernière confirmation"

func TestReadCourses(t *testing.T) {
	lines := []string{
		coursesHeader,
		// 2: every column, several lines in quoted cells.
		"11751459275;95822412300017;EXC-AV-01;Excel : niveau avancé;\"Être capable d'analyser des données\r\nÊtre capable de créer des macros\";" +
			"\"Jour 1\r\n- Tableaux croisés dynamiques\";Maîtriser les bases;14;2;présentiel;oui;oui;" +
			"75056|Lyon (69003)|St-Étienne (42000), 2a004|75056;FR|anglais;1 200,50 €;1.450,00;8;rncp 34567;oui;326 t;" +
			"12/01/2027|05/01/2027|12/01/2027;15/11/2026",
		// 5: a remote course known by the provider's SIRET, with decimals; empty optional cells.
		";95822412300017;CYB1;Cybersécurité : les bons réflexes;;;;10,5;1.5;Distanciel;non;OUI;;;;;;;non;;;",
		"",
		// 7: nothing to identify it.
		";;;;;;;;;;;;;;;;;;;;;2026-11-15",
		// 8: unknown places.
		"11751459275;;P1;Paie;;;;7;1;mixte;oui;non;Lyon (75001)|99999;;;;;;;;;",
		// 9: amounts.
		"11751459275;;P2;Paie;;;;7;1;;oui;oui;;;\"12,345\";-12;;;;;;",
		// 10: everything else wrong.
		"11751459275;;P3;Paie;;;;sept;-1;en plein air;peut-être;oui;;klingon;;;huit;RNCP-ABC;bof;999;32/01/2027;hier",
		// 11: the reference of line 2 again for the same provider.
		"11751459275;;EXC-AV-01;Excel : niveau avancé (bis);;;;;;;;;;;;;;;;;;",
		// 12: the same reference for another provider.
		"84699719669;;EXC-AV-01;Excel avancé;;;;;;;;;;;;;;;;;;",
		// 13, 14: bad provider numbers.
		";12345678901234;X1;Titre;;;;;;;;;;;;;;;;;;",
		"ABC;;X2;Titre;;;;;;;;;;;;;;;;;;",
	}
	s := newSink[CourseRow]()
	rep, err := ReadCourses(context.Background(), strings.NewReader("\uFEFF"+strings.Join(lines, "\r\n")+"\r\n"), s.add)
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := []string{
		"7:missing provider NDA or SIRET; missing reference (Référence); missing title (Intitulé)",
		`8:Villes: "Lyon (75001)" unknown (write an INSEE commune code or "name (postal code)"); ` +
			`Villes: "99999" unknown (write an INSEE commune code or "name (postal code)")`,
		`9:Prix inter HT par stagiaire "12,345": 3 digits after the separator: write 12345 for thousands or 12,35 for decimals; ` +
			`Prix intra HT par jour "-12": negative`,
		`10:Durée en heures "sept" is not a number; Durée en jours "-1" is not a number; ` +
			`Modalité "en plein air" is not présentiel, distanciel or mixte; Intra "peut-être" is not oui or non; ` +
			`Éligible CPF "bof" is not oui or non; Langues "klingon" is not a language code (fr, en, es…); ` +
			`Effectif maximum "huit" is not a whole number; Certification "RNCP-ABC" is not an RNCP or RS code (RNCP12345, RS1234); ` +
			`Code NSF "999" is not an NSF speciality (3 digits, optionally a letter); ` +
			`Prochaines sessions "32/01/2027" is not a date (dd/mm/yyyy); Dernière confirmation "hier" is not a date (dd/mm/yyyy)`,
		"11:reference EXC-AV-01 of provider NDA 11751459275 already on line 2",
		"13:SIRET 12345678901234 invalid (check digit)",
		"14:NDA ABC invalid (want 8 to 14 letters or digits)",
	}
	if got := rejects(rep); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	if rep.Inserted != 3 || rep.Rejected != len(wantRejects) {
		t.Errorf("report: %s", rep.String())
	}
	if got := slices.Sorted(maps.Keys(s.got)); !slices.Equal(got, []int{2, 5, 12}) {
		t.Errorf("sink called for lines %v", got)
	}
	want := map[int]CourseRow{
		2: {ProviderNDA: "11751459275", ProviderSIRET: "95822412300017", Ref: "EXC-AV-01", Title: "Excel : niveau avancé",
			Objectives: "Être capable d'analyser des données\nÊtre capable de créer des macros", Programme: "Jour 1\n- Tableaux croisés dynamiques",
			Prerequisites: "Maîtriser les bases", DurationHours: 14, DurationDays: 2, Modality: ModalityInPerson, Intra: true, Inter: true,
			Communes: []string{"75056", "69123", "42218", "2A004"}, Languages: []string{"fr", "en"},
			PricePerTraineeCents: 120050, PricePerGroupDayCents: 145000, MaxGroupSize: 8, Certification: "RNCP34567", CPF: true,
			NSF: "326t", NextSessions: []time.Time{date(2027, 1, 5), date(2027, 1, 12)}, LastConfirmed: date(2026, 11, 15)},
		5: {ProviderSIRET: "95822412300017", Ref: "CYB1", Title: "Cybersécurité : les bons réflexes", DurationHours: 10.5, DurationDays: 1.5,
			Modality: ModalityRemote, Inter: true, Languages: []string{"fr"}, PricePerTraineeCents: -1, PricePerGroupDayCents: -1},
		12: {ProviderNDA: "84699719669", Ref: "EXC-AV-01", Title: "Excel avancé", Languages: []string{"fr"},
			PricePerTraineeCents: -1, PricePerGroupDayCents: -1},
	}
	for line, w := range want {
		if g := s.got[line]; !reflect.DeepEqual(g, w) {
			t.Errorf("line %d:\n got %+v\nwant %+v", line, g, w)
		}
	}
}

// TestReadCoursesEnglish reads a file with English headers, ',' as the
// separator and only some columns.
func TestReadCoursesEnglish(t *testing.T) {
	in := "Provider SIRET,Course reference,Course title,Duration hours,Modality,Price per trainee excl. VAT,Cities,Languages\n" +
		"95822412300017,PY-1,Python,\"17,5\",blended,\"1,200.00\",Marseille (13001),en|fr\n"
	s := newSink[CourseRow]()
	rep, err := ReadCourses(context.Background(), strings.NewReader(in), s.add)
	want := CourseRow{ProviderSIRET: "95822412300017", Ref: "PY-1", Title: "Python", DurationHours: 17.5, Modality: ModalityBlended,
		Communes: []string{"13055"}, Languages: []string{"en", "fr"}, PricePerTraineeCents: 120000, PricePerGroupDayCents: -1}
	if err != nil || rep.Inserted != 1 || !reflect.DeepEqual(s.got[2], want) {
		t.Errorf("got %s %q %v\n got %+v\nwant %+v", rep.String(), rejects(rep), err, s.got[2], want)
	}
}

func TestReadCoursesHeader(t *testing.T) {
	never := func(context.Context, int, CourseRow) (Outcome, error) {
		t.Error("sink called")
		return Inserted, nil
	}
	cases := []struct{ header, want string }{
		{"Référence;Intitulé;Villes", "missing column provider_nda or provider_siret"},
		{"NDA;Référence;Villes", "missing column title (headers accepted: \"Intitulé\""},
		{"NDA;SIRET;Intitulé", "missing column ref (headers accepted: \"Référence\""},
	}
	for _, c := range cases {
		_, err := ReadCourses(context.Background(), strings.NewReader(c.header+"\na;b;c\n"), never)
		var ce *ColumnsError
		if !errors.As(err, &ce) || !errors.Is(err, errs.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.header, err, c.want)
		}
	}
}

func TestResolvePlace(t *testing.T) {
	for in, want := range map[string]string{
		"69123": "69123", "2A004": "2A004", "2a004": "2A004", "Lyon (69003)": "69123", "LYON (69003)": "69123",
		"Lyon 3e Arrondissement (69003)": "69383", "Saint-Étienne (42100)": "42218", "ST ETIENNE (42000)": "42218",
		"Paris (75011)": "75056", "Ajaccio (20000)": "2A004", "Ajaccio ( 20 000 )": "2A004",
		"75011": "", "Lyon": "", "Lyon (42000)": "", "(69003)": "", "": "",
	} {
		if got := resolvePlace(in); got != want {
			t.Errorf("resolvePlace(%q): got %q, want %q", in, got, want)
		}
	}
}

func TestValueHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"présentiel": ModalityInPerson, "En présentiel": ModalityInPerson, "in_person": ModalityInPerson, "IN PERSON": ModalityInPerson,
		"distanciel": ModalityRemote, "À distance": ModalityRemote, "remote": ModalityRemote, "e-learning": ModalityRemote,
		"mixte": ModalityBlended, "blended": ModalityBlended, "Hybride": ModalityBlended, "sur la lune": "",
	} {
		if got := modality(in); got != want {
			t.Errorf("modality(%q): got %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"fr": "fr", "EN": "en", "fr-FR": "fr", "Français": "fr", "anglais": "en", "German": "de", "LSF": "fsl", "klingon": "", "f": "", "fra": "",
	} {
		if got := languageCode(in); got != want {
			t.Errorf("languageCode(%q): got %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"RNCP34567": "RNCP34567", "rncp 34567": "RNCP34567", "RS-1234": "RS1234", "rs5974": "RS5974",
		"RNCP": "", "RS12345678": "", "34567": "", "RNCP34567A": "", "CQP": "",
	} {
		if got := certificationCode(in); got != want {
			t.Errorf("certificationCode(%q): got %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]float64{"": 0, "7": 7, "10,5": 10.5, "3.5": 3.5, " 1 400 ": 1400} {
		if got, ok := parseDecimal(in); !ok || got != want {
			t.Errorf("parseDecimal(%q): got %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"1e3", "Inf", "NaN", "0x10", "1_000", "7,", ",5", "-1", "1,5,2", "7h"} {
		if got, ok := parseDecimal(in); ok {
			t.Errorf("parseDecimal(%q): got %v, want an error", in, got)
		}
	}
}

// TestReadCoursesGenerated writes generated catalogues and reads them back.
func TestReadCoursesGenerated(t *testing.T) {
	g := fakefr.New(2027)
	providers := g.UniqueProviders(1000)
	catalogues := map[string][]fakefr.Course{}
	total := 0
	for _, p := range providers {
		catalogues[p.NDA] = g.Courses(p, 8)
		total += 8
	}
	var b bytes.Buffer
	if err := fakefr.WriteCourses(&b, providers, catalogues); err != nil {
		t.Fatal(err)
	}
	var got []CourseRow
	rep, err := ReadCourses(context.Background(), &b, func(_ context.Context, _ int, c CourseRow) (Outcome, error) {
		got = append(got, c)
		return Inserted, nil
	})
	if err != nil || rep.Inserted != total || rep.Rejected != 0 {
		t.Fatalf("got %s %q %v", rep.String(), rejects(rep)[:min(5, len(rep.Errors))], err)
	}
	i := 0
	for _, p := range providers {
		for _, c := range catalogues[p.NDA] {
			want := CourseRow{ProviderNDA: p.NDA, ProviderSIRET: p.SIRET, Ref: c.Ref, Title: c.Title, Objectives: c.Objectives,
				Programme: c.Programme, Prerequisites: c.Prerequisites, DurationHours: c.Hours, DurationDays: c.Days,
				Modality: c.Modality, Intra: c.Intra, Inter: c.Inter, Communes: c.Communes, Languages: c.Languages,
				PricePerTraineeCents: c.PricePerTraineeCents, PricePerGroupDayCents: c.PricePerGroupDayCents,
				MaxGroupSize: c.MaxGroupSize, Certification: c.Certification, CPF: c.CPF, NSF: c.NSF,
				NextSessions: c.NextSessions, LastConfirmed: c.LastConfirmed}
			if !reflect.DeepEqual(got[i], want) {
				t.Fatalf("course %d:\n got %+v\nwant %+v", i, got[i], want)
			}
			i++
		}
	}
}
