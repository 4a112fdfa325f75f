package crm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

// searchFixture builds a small provider base whose right answers are known.
func searchFixture(t *testing.T, d *db.DB) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	providers, courses := NewProviders(d), NewCourses(d)
	ids := map[string]int64{}
	score := func(v float64) *float64 { return &v }
	cents := func(v int64) *int64 { return &v }
	type course struct {
		title, objectives, nsf, modality string
		inter, intra, cpf                bool
		price                            int64
		communes                         []string
	}
	add := func(key string, in ProviderInput, quality *float64, cs ...course) {
		t.Helper()
		in.Status = cmpOr(in.Status, ProviderActive)
		p, err := providers.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if quality != nil {
			if _, err := d.Exec(ctx, "UPDATE providers SET quality_score = ? WHERE id = ?", *quality, p.ID); err != nil {
				t.Fatal(err)
			}
		}
		ids[key] = p.ID
		for i, c := range cs {
			if _, err := courses.Save(ctx, p.ID, 0, CourseInput{Ref: fmt.Sprint(i), Title: c.title, Objectives: c.objectives,
				NSFCode: c.nsf, Modality: c.modality, Inter: c.inter, Intra: c.intra, CPF: c.cpf, PriceTraineeCents: cents(c.price),
				Communes: c.communes}); err != nil {
				t.Fatal(err)
			}
		}
	}
	confirmed := time.Now().AddDate(0, -2, 0)
	add("lyon-compta", ProviderInput{Name: "Institut Lumière Gestion", NDA: "84690000001", PostalCode: "69003", City: "Lyon",
		QualiopiActions: true, QualiopiConfirmedOn: &confirmed, NSFCodes: "314"}, score(85),
		course{title: "Comptabilité générale : les fondamentaux", objectives: "Être capable de tenir une comptabilité", nsf: "314",
			inter: true, price: 95000, communes: []string{"69123"}},
		course{title: "Excel : niveau avancé", objectives: "Tableaux croisés dynamiques", nsf: "326", inter: true, price: 60000,
			communes: []string{"69123"}})
	add("paris-compta", ProviderInput{Name: "Académie Paris Finance", NDA: "11750000002", PostalCode: "75011", City: "Paris",
		QualiopiActions: true, QualiopiConfirmedOn: &confirmed}, score(70),
		course{title: "Comptabilité pour non-comptables", objectives: "Lire un bilan", nsf: "314", intra: true, inter: true,
			price: 120000, communes: []string{"75056"}})
	add("remote-compta", ProviderInput{Name: "E-Formation Directe", NDA: "93130000003", PostalCode: "13001", City: "Marseille"}, nil,
		course{title: "Comptabilité en ligne", objectives: "Saisie comptable", nsf: "314", modality: "remote", cpf: true, price: 45000})
	add("blacklisted", ProviderInput{Name: "Compta Express Formation", NDA: "84690000004", PostalCode: "69002", City: "Lyon",
		QualiopiActions: true, QualiopiConfirmedOn: &confirmed, Status: ProviderBlacklisted, StatusReason: "fausses attestations"}, score(99),
		course{title: "Comptabilité générale express", nsf: "314", inter: true, price: 10000, communes: []string{"69123"}})
	add("lyon-secu", ProviderInput{Name: "Rhône Sécurité Formation", NDA: "84690000005", PostalCode: "69007", City: "Lyon",
		NSFCodes: "344", QualiopiActions: true, QualiopiConfirmedOn: &confirmed}, score(60),
		course{title: "Sauveteur secouriste du travail (SST)", objectives: "Porter secours", nsf: "344", intra: true, price: 25000,
			communes: []string{"69123"}})
	return ids
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestSearchRanking(t *testing.T) {
	results := map[string][]int64{}
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ids := searchFixture(t, d)
		s := NewSearcher(d)
		cases := []struct {
			name  string
			q     SearchQuery
			want  []string // providers, in order
			first string   // the top result's first matching course title, when set
		}{
			{"accents and case", SearchQuery{Text: "COMPTABILITE"}, []string{"lyon-compta", "paris-compta", "remote-compta"}, "Comptabilité générale : les fondamentaux"},
			{"prefix and accents", SearchQuery{Text: "excel avancé"}, []string{"lyon-compta"}, "Excel : niveau avancé"},
			{"radius around Lyon keeps remote courses", SearchQuery{Text: "comptabilite", Near: "69123", RadiusKm: 30}, []string{"lyon-compta", "remote-compta"}, ""},
			{"radius by postal code, remote excluded by modality", SearchQuery{Text: "comptabilite", Near: "69003", RadiusKm: 30, Modality: "in_person"}, []string{"lyon-compta"}, ""},
			{"intra only", SearchQuery{Text: "comptabilite", Intra: true}, []string{"paris-compta"}, ""},
			{"CPF and price", SearchQuery{Text: "comptabilite", CPF: true, MaxPrice: 50000}, []string{"remote-compta"}, ""},
			{"Qualiopi required", SearchQuery{Text: "comptabilite", Qualiopi: "actions"}, []string{"lyon-compta", "paris-compta"}, ""},
			{"NSF domain without text", SearchQuery{NSF: "34", Region: ""}, []string{"lyon-secu"}, ""},
			{"NSF group", SearchQuery{NSF: "344"}, []string{"lyon-secu"}, ""},
			{"NSF of the last group of a domain", SearchQuery{NSF: "349"}, nil, ""},
			{"provider name and speciality", SearchQuery{Text: "securite biens"}, []string{"lyon-secu"}, ""},
			{"nothing", SearchQuery{Text: "plongée sous-marine"}, nil, ""},
		}
		var got []int64
		for _, c := range cases {
			res, total, err := s.Search(ctx, c.q)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			var keys []string
			for _, r := range res {
				for k, id := range ids {
					if id == r.Provider.ID {
						keys = append(keys, k)
					}
				}
				got = append(got, r.Provider.ID)
				if r.Provider.Status == ProviderBlacklisted {
					t.Errorf("%s: a blacklisted provider appears", c.name)
				}
			}
			if !reflect.DeepEqual(keys, c.want) || total != len(c.want) {
				t.Errorf("%s: got %v (total %d), want %v", c.name, keys, total, c.want)
				continue
			}
			if c.first != "" && (len(res[0].Courses) == 0 || res[0].Courses[0].Title != c.first) {
				t.Errorf("%s: first course %+v", c.name, res[0].Courses)
			}
		}
		results[string(d.Dialect())] = got
		// Every result explains itself.
		res, _, _ := s.Search(ctx, SearchQuery{Text: "comptabilite generale", Near: "69123", RadiusKm: 30})
		why := res[0].Why
		if len(why.Matches) != 2 || why.Matches[0].Fields[0] != "title" || why.DistanceKm == nil || *why.DistanceKm > 5 ||
			!why.QualiopiValid || why.QualityScore == nil || why.PriceCents == nil || *why.PriceCents != 95000 || why.Place != "Lyon" {
			t.Errorf("explanation: %+v", why)
		}
		sum := why.Components.Text + why.Components.Distance + why.Components.Price + why.Components.Quality + why.Components.Qualiopi
		if d := sum*100 - res[0].Score; d > 0.1 || d < -0.1 {
			t.Errorf("components sum to %.2f, score %.2f", sum*100, res[0].Score)
		}
		if _, _, err := s.Search(ctx, SearchQuery{NSF: "3%"}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("NSF pattern: %v", err)
		}
		if _, _, err := s.Search(ctx, SearchQuery{Near: "99999"}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("unknown place: %v", err)
		}
	})
	if len(results) == 2 && !reflect.DeepEqual(results["sqlite"], results["postgres"]) {
		t.Errorf("the dialects disagree: sqlite %v, postgres %v", results["sqlite"], results["postgres"])
	}
}

func TestShortlist(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ids := searchFixture(t, d)
		var u1, u2 int64
		for i, p := range []*int64{&u1, &u2} {
			if err := d.ExecReturning(ctx, p, `INSERT INTO staff_users (email, name, role, created_at, updated_at)
				VALUES (?, 'x', 'consultant', ?, ?) RETURNING id`, fmt.Sprintf("u%d@courtier.test", i), time.Now().UTC(), time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
		}
		s := NewShortlists(d)
		item, err := s.Add(ctx, u1, ids["lyon-compta"], nil, "comptabilité Lyon", "")
		if err != nil || item.ProviderName != "Institut Lumière Gestion" {
			t.Fatalf("add: %+v %v", item, err)
		}
		if again, _ := s.Add(ctx, u1, ids["lyon-compta"], nil, "", ""); again.ID != item.ID {
			t.Error("the same provider was added twice")
		}
		if _, err := s.Add(ctx, u1, ids["blacklisted"], nil, "", ""); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("blacklisted provider: %v", err)
		}
		other := int64(999999)
		if _, err := s.Add(ctx, u1, ids["lyon-compta"], &other, "", ""); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("course of another provider: %v", err)
		}
		if err := s.Remove(ctx, u2, item.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("another user's item: %v", err)
		}
		if list, _ := s.List(ctx, u1); len(list) != 1 {
			t.Errorf("list: %+v", list)
		}
		if err := s.Remove(ctx, u1, item.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSearchAfterRename: a course is found by its provider's new name.
func TestSearchAfterRename(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ids := searchFixture(t, d)
		providers := NewProviders(d)
		p, _ := providers.Get(ctx, ids["paris-compta"])
		in := p.ProviderInput
		in.Name = "Zénith Compétences"
		if _, err := providers.Update(ctx, p.ID, in); err != nil {
			t.Fatal(err)
		}
		res, _, err := NewSearcher(d).Search(ctx, SearchQuery{Text: "zenith comptabilite"})
		if err != nil || len(res) != 1 || res[0].Provider.ID != p.ID || len(res[0].Courses) != 1 {
			t.Errorf("after rename: %+v %v", res, err)
		}
	})
}

// TestSearchBeyondCandidateCap matches more courses than the search ranks:
// a course with the words in its title, held by the provider created last,
// must still be found first.
func TestSearchBeyondCandidateCap(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		providers, courses := NewProviders(d), NewCourses(d)
		if _, err := providers.Create(ctx, ProviderInput{Name: "Bureautique Express", NDA: "11750000010"}); err != nil {
			t.Fatal(err)
		}
		var batch []ImportedCourse
		for i := range maxCandidates + 100 {
			batch = append(batch, ImportedCourse{ProviderNDA: "11750000010", CourseInput: CourseInput{Ref: fmt.Sprint(i),
				Title: fmt.Sprintf("Bureautique module %d", i), Programme: "Traitement de texte, tableur Excel, messagerie"}})
		}
		if _, err := courses.Import(ctx, batch); err != nil {
			t.Fatal(err)
		}
		expert, err := providers.Create(ctx, ProviderInput{Name: "Tableurs et Données", NDA: "11750000011"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := courses.Save(ctx, expert.ID, 0, CourseInput{Ref: "XL", Title: "Excel avancé : tableaux croisés"}); err != nil {
			t.Fatal(err)
		}
		res, total, err := NewSearcher(d).Search(ctx, SearchQuery{Text: "excel avancé"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || res[0].Provider.ID != expert.ID {
			t.Fatalf("%d results, first %+v", total, res)
		}
		res, total, err = NewSearcher(d).Search(ctx, SearchQuery{Text: "excel"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || res[0].Provider.ID != expert.ID || res[0].Why.Matches[0].Fields[0] != "title" {
			t.Fatalf("%d results, first %+v", total, res[0])
		}
	})
}
