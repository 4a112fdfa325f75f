package crm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

func intp(n int) *int { return &n }

func TestProviderImportAndProvenance(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewProviders(d)
		day1 := time.Date(2026, 3, 15, 8, 0, 0, 0, time.UTC)
		rows := func() []ProviderInput {
			return []ProviderInput{
				{NDA: "11751459275", Name: "FICTIF FORMATION CONSEIL", SIREN: "958224123", SIRET: "95822412300017",
					Street: "12 RUE IMAGINAIRE", PostalCode: "75011", City: "PARIS", RegionCode: "11", QualiopiActions: true,
					NSFCodes: "326 324", Trainees: intp(412), Trainers: intp(6)},
				{NDA: "84699719669", Name: "ORGANISME EXEMPLE SECURITE", SIRET: "13356886500017", PostalCode: "69003", City: "LYON",
					QualiopiActions: true, QualiopiApprenticeship: true, NSFCodes: "344"},
				{NDA: "bad", Name: "", SIRET: "12345678901234"},
			}
		}
		res, err := s.Import(ctx, rows(), day1)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Outcome != Inserted || res[1].Outcome != Inserted || !errors.Is(res[2].Err, errs.ErrInvalid) {
			t.Fatalf("first import: %+v", res)
		}
		list, total, _ := s.List(ctx, ProviderFilter{Query: "informatique"}) // an NSF label of the first
		if total != 1 || list[0].NDA != "11751459275" || list[0].CommuneCode != "75111" && list[0].CommuneCode != "75056" {
			t.Errorf("search by NSF label: %d %+v", total, list)
		}
		p := list[0]
		if p.Latitude == nil || p.Provenance["name"].Source != "import" || p.QualiopiConfirmed() == nil {
			t.Errorf("imported provider: %+v", p)
		}
		// The same file again: unchanged.
		res, _ = s.Import(ctx, rows(), day1.Add(24*time.Hour))
		if res[0].Outcome != Unchanged || res[1].Outcome != Unchanged {
			t.Errorf("second import: %+v", res)
		}
		// Staff edit the name and the phone; the next import changes the
		// name and the trainee count: the name is kept and reported.
		in := p.ProviderInput
		in.Name, in.Phone = "Fictif Formation & Conseil", "01 23 45 67 89"
		if _, err := s.Update(ctx, p.ID, in); err != nil {
			t.Fatal(err)
		}
		next := rows()
		next[0].Name, next[0].Trainees = "FICTIF FORMATION CONSEIL SAS", intp(500)
		res, _ = s.Import(ctx, next, day1.Add(48*time.Hour))
		if res[0].Outcome != Updated || !slices.Equal(res[0].Conflicts, []string{"name"}) {
			t.Errorf("import over a staff edit: %+v", res[0])
		}
		got, _ := s.Get(ctx, p.ID)
		if got.Name != "Fictif Formation & Conseil" || *got.Trainees != 500 || got.Phone != "+33123456789" ||
			got.Provenance["name"].Source != "staff" || got.Provenance["trainees"].Source != "import" {
			t.Errorf("after import: %+v %+v", got.ProviderInput, got.Provenance)
		}
		// A changed NDA finds the provider by its previous one.
		moved := rows()[1:2]
		moved[0].NDA, moved[0].PreviousNDAs = "84699719999", "84699719669"
		res, _ = s.Import(ctx, moved, day1.Add(72*time.Hour))
		if res[0].Outcome != Updated {
			t.Errorf("NDA change: %+v", res)
		}
		if n, _ := s.Count(ctx); n != 2 {
			t.Errorf("%d providers, want 2", n)
		}
		// Blacklisting needs a reason and is written to the timeline.
		in = got.ProviderInput
		in.Status = ProviderBlacklisted
		if _, err := s.Update(ctx, p.ID, in); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("blacklist without reason: %v", err)
		}
		in.StatusReason = "Formateurs non qualifiés (incident de mars)"
		if _, err := s.Update(ctx, p.ID, in); err != nil {
			t.Fatal(err)
		}
		entries, _, _ := NewTimeline(d).List(ctx, TimelineFilter{Record: &Ref{RecordProvider, p.ID}})
		if len(entries) != 1 || entries[0].Kind != KindStatusChange {
			t.Errorf("status entry: %+v", entries)
		}
	})
}

func TestCourses(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		providers, courses := NewProviders(d), NewCourses(d)
		p, err := providers.Create(ctx, ProviderInput{Name: "Forma Plus", NDA: "11755555555", PostalCode: "75011", City: "Paris"})
		if err != nil {
			t.Fatal(err)
		}
		price := int64(120050)
		hours := 14.0
		c := CourseInput{Ref: "XL-2", Title: "Excel : niveau avancé", Objectives: "Être capable de construire des tableaux croisés",
			DurationHours: &hours, Modality: "in_person", Inter: true, PriceTraineeCents: &price, Certification: "rs 5252",
			NSFCode: "326t", Communes: []string{"75056", "69123"}, NextSessions: []string{"2027-02-01"}}
		res, err := courses.Import(ctx, []ImportedCourse{{ProviderNDA: "11755555555", CourseInput: c},
			{ProviderNDA: "00000000000", CourseInput: c}})
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Outcome != Inserted || !errors.Is(res[1].Err, errs.ErrInvalid) {
			t.Fatalf("import: %+v", res)
		}
		again, _ := courses.Import(ctx, []ImportedCourse{{ProviderNDA: "11755555555", CourseInput: c}})
		if again[0].Outcome != Unchanged {
			t.Errorf("re-import: %+v", again)
		}
		list, _ := courses.ByProvider(ctx, p.ID)
		if len(list) != 1 || list[0].Certification != "RS5252" || list[0].NSFCode != "326" || len(list[0].Communes) != 2 ||
			*list[0].PriceTraineeCents != 120050 {
			t.Errorf("courses: %+v", list)
		}
		c.Communes = []string{"99999"}
		if _, err := courses.Save(ctx, p.ID, 0, c); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("unknown commune: %v", err)
		}
	})
}

// TestCourseImportBatch imports more courses than one insert statement
// holds, across providers named by NDA or SIRET, with a course repeated in
// the batch, then re-imports with one change.
func TestCourseImportBatch(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		providers, courses := NewProviders(d), NewCourses(d)
		a, err := providers.Create(ctx, ProviderInput{Name: "Alpha Formation", NDA: "11750000001"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := providers.Create(ctx, ProviderInput{Name: "Beta Conseil", SIRET: "73282932000074"})
		if err != nil {
			t.Fatal(err)
		}
		var batch []ImportedCourse
		for i := range 450 {
			in := ImportedCourse{ProviderNDA: "11750000001", CourseInput: CourseInput{Ref: fmt.Sprintf("A%03d", i),
				Title: fmt.Sprintf("Gestion de projet %d", i), Communes: []string{"75056"}}}
			if i%3 == 0 {
				// An unknown NDA falls back on the SIRET.
				in = ImportedCourse{ProviderNDA: "99999999999", ProviderSIRET: "73282932000074", CourseInput: CourseInput{
					Ref: fmt.Sprintf("B%03d", i), Title: fmt.Sprintf("Sécurité incendie %d", i), Communes: []string{"69123", "13055"}}}
			}
			batch = append(batch, in)
		}
		repeat := batch[1]
		repeat.Title = "Gestion de projet agile"
		batch = append(batch, repeat)
		res, err := courses.Import(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[Outcome]int{}
		for i, r := range res {
			if r.Err != nil {
				t.Fatalf("row %d: %v", i, r.Err)
			}
			counts[r.Outcome]++
		}
		if counts[Inserted] != 450 || counts[Updated] != 1 {
			t.Errorf("outcomes: %v", counts)
		}
		listA, _ := courses.ByProvider(ctx, a.ID)
		listB, _ := courses.ByProvider(ctx, b.ID)
		if len(listA) != 300 || len(listB) != 150 {
			t.Fatalf("courses: %d of A, %d of B", len(listA), len(listB))
		}
		for _, c := range listB {
			if !slices.Equal(c.Communes, []string{"13055", "69123"}) {
				t.Fatalf("places of %s: %v", c.Ref, c.Communes)
			}
		}
		var agile Course
		for _, c := range listA {
			if c.Ref == "A001" {
				agile = c
			}
		}
		if agile.Title != "Gestion de projet agile" || !slices.Equal(agile.Communes, []string{"75056"}) {
			t.Errorf("repeated course: %+v", agile)
		}
		var titleText string
		if err := d.Get(ctx, &titleText, "SELECT title_text FROM courses WHERE id = ?", agile.ID); err != nil || titleText != "gestion projet agile" {
			t.Errorf("title text %q, %v", titleText, err)
		}

		batch = batch[:450]
		batch[7].Communes = []string{"33063"}
		res, err = courses.Import(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		counts = map[Outcome]int{}
		for _, r := range res {
			counts[r.Outcome]++
		}
		// A001 goes back to its first title: two changes.
		if counts[Unchanged] != 448 || counts[Updated] != 2 {
			t.Errorf("re-import outcomes: %v", counts)
		}
		moved, _ := courses.ByProvider(ctx, a.ID)
		for _, c := range moved {
			if c.Ref == "A007" && !slices.Equal(c.Communes, []string{"33063"}) {
				t.Errorf("moved course: %v", c.Communes)
			}
		}
	})
}
