package backoffice_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/webtest"
)

// Non-breaking spaces of French amounts: "1 200,50 €".
const (
	thin = "\u202f"
	nbsp = "\u00a0"
)

var (
	inputRe    = regexp.MustCompile(`<input id="[^"]*" name="([^"]+)" type="[^"]*" value="([^"]*)"`)
	checkRe    = regexp.MustCompile(`name="([^"]+)" value="on" checked`)
	textareaRe = regexp.MustCompile(`(?s)<textarea id="[^"]*" name="([^"]+)"[^>]*>(.*?)</textarea>`)
	selectRe   = regexp.MustCompile(`(?s)<select id="[^"]*" name="([^"]+)">(.*?)</select>`)
	selectedRe = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// formOf reads the values a browser would submit from the form of a page
// (text inputs, ticked boxes, text areas, selected options).
func formOf(body string) url.Values {
	v := url.Values{}
	for _, m := range inputRe.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	for _, m := range checkRe.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], "on")
	}
	for _, m := range textareaRe.FindAllStringSubmatch(body, -1) {
		// Browsers send the line breaks of a text area as CRLF.
		v.Set(m[1], strings.ReplaceAll(html.UnescapeString(m[2]), "\n", "\r\n"))
	}
	for _, m := range selectRe.FindAllStringSubmatch(body, -1) {
		if s := selectedRe.FindStringSubmatch(m[2]); s != nil {
			v.Set(m[1], s[1])
		}
	}
	return v
}

// parisDay is the date of t as the French pages write it.
func parisDay(t time.Time) string { return i18n.Date(i18n.FR, t) }

func TestProviderCreateEditProvenance(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		c := login(t, f)
		want(t, "new form", c.Get("/providers/new"), 200, `name="siret"`, `name="qualiopi_vae"`, `name="qualiopi_confirmed_on"`,
			`name="nsf_codes"`, `name="trainees_delegated"`, `name="fiscal_end"`, `name="vat_exempt"`, `name="status_reason"`,
			"Liste noire", "314</code> Comptabilité, gestion")

		bad := url.Values{"name": {"Formations du Rhône"}, "siret": {"12345678901234"}, "status": {"blacklisted"}, "city": {"Lyon"}}
		r := c.Post("/providers", bad)
		want(t, "invalid provider", r, 422, "SIRET invalide", "Indiquez le motif : il est obligatoire", `value="12345678901234"`,
			`value="Formations du Rhône"`, `<option value="blacklisted" selected>`, "Le formulaire contient des erreurs")
		want(t, "unparsable numbers", c.Post("/providers", url.Values{"name": {"X"}, "trainees": {"beaucoup"}, "fiscal_start": {"2025-13-45"}}),
			422, "Un nombre entier est attendu.", "Date invalide.", `value="beaucoup"`)
		want(t, "unknown NSF", c.Post("/providers", url.Values{"name": {"X"}, "nsf_codes": {"314 999"}}), 422, "Code NSF inconnu")
		want(t, "nothing written", c.Get("/providers"), 200, "0 résultat(s)")

		id := idFrom(t, c.Post("/providers", url.Values{"name": {"Formations du Rhône"}, "nda": {"84 69 12345 69"}, "siret": {"732 829 320 00074"},
			"street": {"12 rue Garibaldi"}, "postal_code": {"69003"}, "city": {"Lyon"}, "qualiopi_actions": {"on"}, "qualiopi_vae": {"on"},
			"qualiopi_confirmed_on": {"2026-02-10"}, "nsf_codes": {"314, 326"}, "trainees": {"412"}, "website": {"rhone-formations.fr"},
			"email": {"Contact@Rhone-Formations.fr"}, "phone": {"04 78 00 00 01"}, "vat_exempt": {"on"}, "status": {"to_verify"},
			"status_reason": {"NDA à vérifier"}, "tags": {"Compta, Excel"}, "notes": {"Ligne 1\r\nLigne 2"}}), "/providers/")
		today := parisDay(time.Now())
		page := c.Get(fmt.Sprintf("/providers/%d", id))
		want(t, "provider page", page, 200, "Prestataire créé.", "Formations du Rhône", `class="badge warn">À vérifier<`, "NDA à vérifier",
			"84691234569", "73282932000074", "732829320", "Auvergne-Rhône-Alpes", `href="tel:&#43;33478000001"`,
			`href="mailto:contact@rhone-formations.fr"`, `href="https://rhone-formations.fr"`, "Actions de formation", "VAE",
			"confirmé le 10/02/2026", "314 Comptabilité, gestion", "compta excel", "Ligne 1\nLigne 2",
			"modifié par l&#39;équipe "+today, "pas encore mesurée", "Aucune formation enregistrée.")
		notWant(t, "provider page", page, "confirmation ancienne", "prov-import")
		want(t, "listed", c.Get("/providers?q=rhone"), 200, "Formations du Rhône", "84691234569", "Lyon", "Actions de formation", "À vérifier")
		want(t, "status filter", c.Get("/providers?status=to_verify&region=84&department=69"), 200, "Formations du Rhône", "1 résultat(s)")
		want(t, "other region", c.Get("/providers?region=11"), 200, "0 résultat(s)")
		want(t, "by SIRET", c.Get("/providers?q=73282932000074"), 200, "Formations du Rhône")

		// A provider from the public list: every field is the import's,
		// until staff change one.
		listed := time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)
		res, err := f.crm.providers.Import(ctx, []crm.ProviderInput{{Name: "ACADEMIE LUMIERE", NDA: "84690000001", PostalCode: "69003",
			City: "LYON", QualiopiActions: true, NSFCodes: "314"}}, listed)
		if err != nil || res[0].Err != nil {
			t.Fatalf("import: %v %+v", err, res)
		}
		list, _, _ := f.crm.providers.List(ctx, crm.ProviderFilter{Query: "84690000001"})
		imported := list[0].ID
		path := fmt.Sprintf("/providers/%d", imported)
		// Imported fields are dated by the list, which also confirms Qualiopi.
		want(t, "imported", c.Get(path), 200, `prov-import">import 15/03/2026<`, "confirmé le 15/03/2026")
		edit := c.Get(path + "/edit")
		want(t, "edit form", edit, 200, `value="ACADEMIE LUMIERE"`, `value="84690000001"`, `name="qualiopi_actions" value="on" checked`, `value="314"`)
		form := formOf(edit.Body)
		form.Set("name", "Académie Lumière")
		if r := c.Post(path, form); r.Status != http.StatusSeeOther {
			t.Fatalf("update: %d %.400s", r.Status, r.Body)
		}
		page = c.Get(path)
		want(t, "after edit", page, 200, "Prestataire enregistré.", "Académie Lumière")
		nameRow := regexp.MustCompile(`Dénomination</dt>\s*<dd>Académie Lumière\s*<small class="provenance prov-staff">modifié par l&#39;équipe ` + regexp.QuoteMeta(today) + `</small>`)
		ndaRow := regexp.MustCompile(`NDA</dt>\s*<dd>84690000001\s*<small class="provenance prov-import">import 15/03/2026</small>`)
		if !nameRow.MatchString(page.Body) || !ndaRow.MatchString(page.Body) {
			t.Errorf("provenance markers: name staff %v, NDA import %v", nameRow.MatchString(page.Body), ndaRow.MatchString(page.Body))
		}
		got := must(f.crm.providers.Get(ctx, imported))
		for field, src := range got.Provenance {
			if want := map[string]string{"name": "staff"}[field]; want != "" && src.Source != want || want == "" && src.Source != "import" {
				t.Errorf("provenance of %s: %s (an unchanged field became staff's)", field, src.Source)
			}
		}
		// Blacklisting needs a reason, next to the field; with one, it is saved.
		form.Set("status", "blacklisted")
		want(t, "blacklist without reason", c.Post(path, form), 422, "Indiquez le motif")
		form.Set("status_reason", "Fausses attestations")
		if r := c.Post(path, form); r.Status != http.StatusSeeOther {
			t.Fatalf("blacklist: %d %.300s", r.Status, r.Body)
		}
		want(t, "blacklisted", c.Get(path), 200, `class="badge off">Liste noire<`, "Fausses attestations", "Changement de statut")
		want(t, "unknown provider", c.Get("/providers/999999/edit"), 404)
		want(t, "update unknown provider", c.Post("/providers/999999", url.Values{"name": {"X"}}), 404)
	})
}

func TestProviderCourses(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		old := time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
		forma := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus", QualiopiActions: true, QualiopiConfirmedOn: &old}))
		other := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Autre Organisme"}))
		foreign := must(f.crm.courses.Save(ctx, other.ID, 0, crm.CourseInput{Title: "Cours d'un autre"}))
		c := login(t, f)
		path := fmt.Sprintf("/providers/%d", forma.ID)
		want(t, "old Qualiopi", c.Get(path), 200, "confirmé le 10/01/2024", "confirmation ancienne")

		want(t, "course form", c.Get(path+"/courses/new"), 200, "Forma Plus", `name="price_trainee"`, `name="communes"`, `<option value="in_person" selected>`)
		bad := url.Values{"title": {"Excel avancé"}, "price_trainee": {"mille"}, "communes": {"Lyon, Atlantide"}, "next_sessions": {"bientôt"}}
		want(t, "unreadable course", c.Post(path+"/courses", bad), 422, "Montant en euros invalide", "Lieu inconnu : Atlantide.",
			"Dates invalides", `value="Lyon, Atlantide"`)
		want(t, "invalid course", c.Post(path+"/courses", url.Values{"title": {" "}, "certification": {"XYZ"}, "price_trainee": {"-5"}}),
			422, "Ce champ est obligatoire.", "Code RNCP ou RS attendu", "Valeur invalide.")
		if list := must(f.crm.courses.ByProvider(ctx, forma.ID)); len(list) != 0 {
			t.Fatalf("an invalid course was written: %+v", list)
		}
		r := c.Post(path+"/courses", url.Values{"title": {"Excel avancé"}, "ref": {"XL-2"}, "objectives": {"Tableaux croisés"}, "modality": {"blended"},
			"intra": {"on"}, "inter": {"on"}, "duration_hours": {"14"}, "duration_days": {"2"}, "price_trainee": {"1 200,50"},
			"price_group_day": {"1800"}, "certification": {"rs 5436"}, "cpf": {"on"}, "nsf_code": {"326"}, "languages": {"fr, en"},
			"communes": {"Lyon, 69266, 75011"}, "next_sessions": {"15/09/2026, 2026-06-01"}, "last_confirmed_on": {"2026-03-01"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != path+"#courses" {
			t.Fatalf("create course: %d %q %.400s", r.Status, r.Header.Get("Location"), r.Body)
		}
		page := c.Get(path)
		want(t, "courses table", page, 200, "Formation enregistrée.", "Excel avancé", "XL-2", "Mixte", ">intra<", ">inter<", "14 h · 2 j",
			"1"+thin+"200,50"+nbsp+"€", "1"+thin+"800,00"+nbsp+"€", ">CPF<", "RS5436", "Lyon, Villeurbanne, Paris", "01/06/2026, 15/09/2026", "01/03/2026")
		co := must(f.crm.courses.ByProvider(ctx, forma.ID))[0]
		if *co.PriceTraineeCents != 120050 || *co.PriceGroupDayCents != 180000 || strings.Join(co.Communes, " ") != "69123 69266 75056" ||
			strings.Join(co.Languages, " ") != "fr en" {
			t.Errorf("saved course: %+v", co)
		}

		edit := c.Get(fmt.Sprintf("%s/courses/%d/edit", path, co.ID))
		want(t, "edit course", edit, 200, `value="1200,50"`, `value="1800"`, `value="Lyon (69123), Villeurbanne (69266), Paris (75056)"`,
			`value="2026-06-01, 2026-09-15"`, `value="fr en"`, `<option value="326" selected>`, `name="cpf" value="on" checked`)
		form := formOf(edit.Body)
		form.Set("price_trainee", "990")
		form.Set("communes", "Lyon (69123)")
		if r := c.Post(fmt.Sprintf("%s/courses/%d", path, co.ID), form); r.Status != http.StatusSeeOther {
			t.Fatalf("update course: %d %.400s", r.Status, r.Body)
		}
		page = c.Get(path)
		want(t, "after course edit", page, 200, "990,00"+nbsp+"€", "Excel avancé")
		notWant(t, "after course edit", page, "1"+thin+"200,50", "Villeurbanne")
		if n := len(must(f.crm.courses.ByProvider(ctx, forma.ID))); n != 1 {
			t.Errorf("%d courses after an edit, want 1", n)
		}
		want(t, "another provider's course", c.Get(fmt.Sprintf("%s/courses/%d/edit", path, foreign.ID)), 404)
		want(t, "save another provider's course", c.Post(fmt.Sprintf("%s/courses/%d", path, foreign.ID), url.Values{"title": {"X"}}), 404)
		want(t, "course of a missing provider", c.Get("/providers/999999/courses/new"), 404)
		want(t, "missing provider", c.Post("/providers/999999/courses", url.Values{"title": {"X"}}), 404)
	})
}

// searchFixture builds a small provider base whose right answers are
// known (as in the crm tests); keys name the providers.
func searchFixture(t *testing.T, f fixture, d *db.DB) map[string]int64 {
	t.Helper()
	ctx := staffCtx(f.admin.ID)
	ids := map[string]int64{}
	cents := func(v int64) *int64 { return &v }
	confirmed := time.Now().AddDate(0, -2, 0)
	type course struct {
		title, objectives, nsf, modality string
		intra, cpf                       bool
		price                            int64
		communes                         []string
	}
	add := func(key string, in crm.ProviderInput, quality float64, cs ...course) {
		t.Helper()
		p := must(f.crm.providers.Create(ctx, in))
		if quality > 0 {
			if _, err := d.Exec(context.Background(), "UPDATE providers SET quality_score = ? WHERE id = ?", quality, p.ID); err != nil {
				t.Fatal(err)
			}
		}
		ids[key] = p.ID
		for i, c := range cs {
			co := must(f.crm.courses.Save(ctx, p.ID, 0, crm.CourseInput{Ref: strconv.Itoa(i), Title: c.title, Objectives: c.objectives,
				NSFCode: c.nsf, Modality: c.modality, Inter: true, Intra: c.intra, CPF: c.cpf, PriceTraineeCents: cents(c.price),
				Communes: c.communes, Certification: map[bool]string{true: "RNCP35185"}[c.cpf]}))
			ids[key+"/"+strconv.Itoa(i)] = co.ID
		}
	}
	add("lyon", crm.ProviderInput{Name: "Institut Lumière Gestion", NDA: "84690000001", PostalCode: "69003", City: "Lyon",
		QualiopiActions: true, QualiopiConfirmedOn: &confirmed, NSFCodes: "314"}, 85,
		course{title: "Comptabilité générale : les fondamentaux", objectives: "Tenir une comptabilité", nsf: "314", price: 95000, communes: []string{"69123"}},
		course{title: "Excel : niveau avancé", nsf: "326", price: 60000, communes: []string{"69123"}})
	add("paris", crm.ProviderInput{Name: "Académie Paris Finance", NDA: "11750000002", PostalCode: "75011", City: "Paris",
		QualiopiActions: true, QualiopiConfirmedOn: &confirmed}, 70,
		course{title: "Comptabilité pour non-comptables", objectives: "Lire un bilan", nsf: "314", intra: true, price: 120000, communes: []string{"75056"}})
	add("remote", crm.ProviderInput{Name: "E-Formation Directe", NDA: "93130000003", PostalCode: "13001", City: "Marseille",
		Status: crm.ProviderToVerify}, 0,
		course{title: "Comptabilité en ligne", objectives: "Saisie comptable", nsf: "314", modality: "remote", cpf: true, price: 45000})
	add("blacklisted", crm.ProviderInput{Name: "Compta Express Formation", NDA: "84690000004", PostalCode: "69002", City: "Lyon",
		QualiopiActions: true, QualiopiConfirmedOn: &confirmed, Status: crm.ProviderBlacklisted, StatusReason: "fausses attestations"}, 99,
		course{title: "Comptabilité générale express", nsf: "314", price: 10000, communes: []string{"69123"}})
	add("villeurbanne", crm.ProviderInput{Name: "Rhône Gestion Conseil", NDA: "84690000005", PostalCode: "69100", City: "Villeurbanne"}, 0,
		course{title: "Comptabilité analytique", nsf: "314", price: 80000, communes: []string{"69266"}})
	return ids
}

func TestSearchPageAndShortlist(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ids := searchFixture(t, f, d)
		c := login(t, f)
		empty := c.Get("/search")
		want(t, "search form", empty, 200, `name="q"`, `name="near"`, `name="radius_km"`, `name="max_price"`, `name="qualiopi"`,
			"31 Echanges et gestion", "Auvergne-Rhône-Alpes", "Classement : texte 50 % · distance 20 % · prix 10 % · qualité 10 % · Qualiopi 10 %",
			`aria-current="page">Recherche<`)
		notWant(t, "search form", empty, `id="results"`)

		want(t, "two words", c.Get("/search?q=comptabilite+generale&near=69123&radius_km=30"), 200, "Institut Lumière Gestion",
			"<strong>comptabilite</strong> (titre, spécialité NSF, objectifs) ; <strong>generale</strong> (titre)", "1 résultat(s)")
		q := "/search?q=comptabilite&near=69123&radius_km=30"
		r := c.Get(q)
		want(t, "search", r, 200, `id="results"`, "Institut Lumière Gestion", "E-Formation Directe", "Rhône Gestion Conseil",
			"<strong>comptabilite</strong> (titre, spécialité NSF, objectifs)", "Distance : 0,0 km (Lyon)", "Distance : 4,", "km (Villeurbanne)", "Actions de formation", "valide", "85/100",
			"Prix le plus bas : 950,00"+nbsp+"€", `class="badge warn">À vérifier<`, "à distance", ">CPF<", "RNCP35185",
			`<rect class="part-text"`, "texte 50,0/50", "3 résultat(s)", `name="course_id" value="`+strconv.FormatInt(ids["lyon/0"], 10)+`"`)
		notWant(t, "search", r, "Compta Express", "Académie Paris Finance", "Excel : niveau avancé")
		lyon, villeurbanne, remote := strings.Index(r.Body, "Institut Lumière Gestion"), strings.Index(r.Body, "Rhône Gestion Conseil"), strings.Index(r.Body, "E-Formation Directe")
		if lyon > villeurbanne || lyon > remote {
			t.Errorf("the Lyon provider is not first: %d, %d, %d", lyon, villeurbanne, remote)
		}
		want(t, "near by name", c.Get("/search?q=comptabilite&near=Villeurbanne&radius_km=3"), 200, "Rhône Gestion Conseil", "0,0 km (Villeurbanne)")
		notWant(t, "radius respected", c.Get("/search?q=comptabilite&near=Villeurbanne&radius_km=3&modality=in_person"), "Institut Lumière", "E-Formation")
		want(t, "filters", c.Get("/search?q=comptabilite&cpf=on&max_price=500"), 200, "E-Formation Directe", "1 résultat(s)")
		want(t, "whole France", c.Get("/search?q=comptabilite"), 200, "Académie Paris Finance", "4 résultat(s)")
		notWant(t, "whole France", c.Get("/search?q=comptabilite"), "Compta Express")
		want(t, "second page", c.Get("/search?q=comptabilite&page=2"), 200, "Aucun prestataire ne correspond.", "4 résultat(s)")
		want(t, "unknown place", c.Get("/search?q=comptabilite&near=Atlantide"), 422, "Commune inconnue", `value="Atlantide"`)
		want(t, "bad price", c.Get("/search?q=x&max_price=cher"), 422, "Montant en euros invalide")

		// Shortlist a provider and a course from the results.
		course := strconv.FormatInt(ids["lyon/0"], 10)
		c.Get(q)
		r = c.Post("/shortlist", url.Values{"provider_id": {strconv.FormatInt(ids["lyon"], 10)}, "course_id": {course},
			"query": {"comptabilite"}, "back": {q}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != q {
			t.Fatalf("shortlist add: %d %q %.300s", r.Status, r.Header.Get("Location"), r.Body)
		}
		c.Post("/shortlist", url.Values{"provider_id": {strconv.FormatInt(ids["remote"], 10)}, "back": {q}})
		want(t, "marked in the results", c.Get(q), 200, "Ajouté à votre sélection.", "✓ dans ma sélection")
		want(t, "shortlist without CSRF", c.Post("/shortlist", url.Values{"_csrf": {""}, "provider_id": {strconv.FormatInt(ids["paris"], 10)}}), 403)
		want(t, "blacklisted provider", c.Post("/shortlist", url.Values{"provider_id": {strconv.FormatInt(ids["blacklisted"], 10)}}), 422)
		want(t, "missing provider", c.Post("/shortlist", url.Values{"provider_id": {"999999"}}), 404)
		list := c.Get("/shortlist")
		want(t, "shortlist", list, 200, "Institut Lumière Gestion", "Comptabilité générale : les fondamentaux", `href="/search?q=comptabilite"`,
			"E-Formation Directe", parisDay(time.Now()))
		items := must(f.crm.shortlists.List(context.Background(), f.admin.ID))
		if len(items) != 2 {
			t.Fatalf("shortlist: %+v", items)
		}
		theirs := must(f.crm.shortlists.Add(context.Background(), f.cons.ID, ids["paris"], nil, "compta", ""))
		notWant(t, "only mine", list, "Académie Paris Finance")
		want(t, "another user's item", c.Post(fmt.Sprintf("/shortlist/%d/remove", theirs.ID), nil), 404)
		for _, it := range items {
			if r := c.Post(fmt.Sprintf("/shortlist/%d/remove", it.ID), nil); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/shortlist" {
				t.Errorf("remove: %d %q", r.Status, r.Header.Get("Location"))
			}
		}
		list = c.Get("/shortlist")
		want(t, "emptied", list, 200, "Retiré de votre sélection.", "Votre sélection est vide")
		notWant(t, "emptied", list, "Institut Lumière Gestion")
		if n := len(must(f.crm.shortlists.List(context.Background(), f.cons.ID))); n != 1 {
			t.Errorf("the other user's shortlist has %d items, want 1", n)
		}
	})
}

// dgefpHeader is the header line of the DGEFP public list.
const dgefpHeader = "numeroDeclarationActivite;numerosDeclarationActivitePrecedent;denomination;siren;siretEtablissementDeclarant;" +
	"adressePhysiqueOrganismeFormation.voie;adressePhysiqueOrganismeFormation.codePostal;adressePhysiqueOrganismeFormation.ville;" +
	"adressePhysiqueOrganismeFormation.codeRegion;certifications.actionsDeFormation;certifications.bilansDeCompetences;certifications.VAE;" +
	"certifications.actionsDeFormationParApprentissage;organismeEtrangerRepresente.denomination;organismeEtrangerRepresente.voie;" +
	"organismeEtrangerRepresente.codePostal;organismeEtrangerRepresente.ville;organismeEtrangerRepresente.pays;" +
	"informationsDeclarees.dateDerniereDeclaration;informationsDeclarees.debutExercice;informationsDeclarees.finExercice;" +
	"informationsDeclarees.specialitesDeFormation.codeSpecialite1;informationsDeclarees.specialitesDeFormation.libelleSpecialite1;" +
	"informationsDeclarees.specialitesDeFormation.codeSpecialite2;informationsDeclarees.specialitesDeFormation.libelleSpecialite2;" +
	"informationsDeclarees.specialitesDeFormation.codeSpecialite3;informationsDeclarees.specialitesDeFormation.libelleSpecialite3;" +
	"informationsDeclarees.nbStagiaires;informationsDeclarees.nbStagiairesConfiesParUnAutreOF;informationsDeclarees.effectifFormateurs\r\n"

// dgefpRows are two good providers and, on line 3, one with a broken SIRET.
const dgefpRows = "11751459275;;FICTIF FORMATION CONSEIL;958224123;95822412300017;12 RUE IMAGINAIRE;75011;PARIS;11;true;false;false;false;;;;;;15/03/2026;01/01/2025;31/12/2025;326;Informatique;324;Secrétariat;;;412;0;6\r\n" +
	"84699719669;;ORGANISME EXEMPLE SECURITE;;12345;4 AVENUE DES TESTS;69003;LYON;84;true;false;false;true;;;;;;15/03/2026;01/01/2025;31/12/2025;344;Sécurité;;;;;1250;40;22\r\n" +
	"84699719670;;FORMATIONS DU LAC;;;1 QUAI DU LAC;74000;ANNECY;84;false;false;false;false;;;;;;15/03/2026;01/01/2025;31/12/2025;;;;;;;10;0;1\r\n"

func TestProviderImports(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		c := login(t, f)
		page := "/providers/import"
		want(t, "import page", c.Get(page), 200, `action="/providers/import"`, `action="/providers/import/courses"`, `name="at"`,
			"Liste publique des organismes de formation (DGEFP)")
		r := uploadWith(t, c, page, "/providers/import", "liste.csv", dgefpHeader+dgefpRows, "at", "2026-03-15")
		want(t, "providers report", r, 200, "Import de la liste publique", `id="inserted">2<`, `id="rejected">1<`, `<td class="num">3</td>`,
			"ORGANISME EXEMPLE SECURITE", "Télécharger les lignes rejetées")
		list, total, _ := f.crm.providers.List(ctx, crm.ProviderFilter{Query: "11751459275"})
		if total != 1 {
			t.Fatalf("imported provider not found")
		}
		want(t, "imported provider", c.Get(fmt.Sprintf("/providers/%d", list[0].ID)), 200, "FICTIF FORMATION CONSEIL", "import 15/03/2026",
			"confirmé le 15/03/2026", "Île-de-France")
		// A staff edit survives the next import and is reported as a conflict.
		in := list[0].ProviderInput
		in.Name = "Fictif Formation Conseil"
		must(f.crm.providers.Update(ctx, list[0].ID, in))
		again := strings.Replace(dgefpRows, "FICTIF FORMATION CONSEIL;", "FICTIF FORMATION CONSEIL SARL;", 1)
		r = uploadWith(t, c, page, "/providers/import", "liste.csv", dgefpHeader+again, "at", "2026-04-15")
		want(t, "conflicts", r, 200, `id="unchanged">2<`, "Modifications de l&#39;équipe conservées", `<table id="conflicts">`, `<td class="num">2</td><td>staff edits kept: name</td>`)
		if got := must(f.crm.providers.Get(ctx, list[0].ID)); got.Name != "Fictif Formation Conseil" {
			t.Errorf("the staff edit was overwritten: %q", got.Name)
		}
		courses := "NDA;Référence;Intitulé;Modalité;Inter;Villes;Prix par stagiaire HT;NSF\r\n" +
			"11751459275;XL1;Excel : niveau avancé;présentiel;oui;75056;1 200,50;326\r\n" +
			"00000000000;XL2;Excel débutant;présentiel;oui;75056;900;326\r\n"
		r = uploadWith(t, c, page, "/providers/import/courses", "formations.csv", courses)
		want(t, "courses report", r, 200, "Import du catalogue de formations", `id="inserted">1<`, `id="rejected">1<`, `<td class="num">3</td>`,
			"no provider with NDA")
		want(t, "course imported", c.Get(fmt.Sprintf("/providers/%d", list[0].ID)), 200, "Excel : niveau avancé", "1"+thin+"200,50"+nbsp+"€")
		want(t, "unreadable file", uploadWith(t, c, page, "/providers/import/courses", "x.csv", "Nom;Prénom\r\nA;B\r\n"), 422, "ne peut pas être importé")
		want(t, "bad list date", uploadWith(t, c, page, "/providers/import", "liste.csv", dgefpHeader+dgefpRows, "at", "15 mars"), 422, "Date invalide.")
		want(t, "no file", c.Post("/providers/import/courses", url.Values{}), 422, "Ce champ est obligatoire.")
		dl := c.Post("/providers/import/rejects.csv", url.Values{"rejects": {"line;reason;raw\r\n3;x;y\r\n"}})
		if dl.Status != 200 || !strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("rejects download: %d %v", dl.Status, dl.Header)
		}
	})
}

// uploadWith posts a multipart form with a file named "file" and extra
// fields (name, value pairs), with the CSRF token of page.
func uploadWith(t *testing.T, c *webtest.Client, page, path, name, content string, fields ...string) webtest.Response {
	t.Helper()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(c.Get(page).Body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", page)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", m[1])
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write([]byte(content))
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}
