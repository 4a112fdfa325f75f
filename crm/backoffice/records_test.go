package backoffice_test

import (
	"bytes"
	"context"
	"fmt"
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
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/webtest"
)

// staffCtx acts as a staff user, as the web layer does, for fixtures.
func staffCtx(id int64) context.Context {
	return audit.WithActor(context.Background(), audit.Actor{Kind: audit.ActorStaff, ID: id, Label: "test"})
}

// must returns the value of a fixture call, and stops the test (by a
// panic, which fails it) on a setup error.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// notWant checks that a page does not show a text.
func notWant(t *testing.T, what string, r webtest.Response, absent ...string) {
	t.Helper()
	for _, s := range absent {
		if strings.Contains(r.Body, s) {
			t.Errorf("%s: body shows %q", what, s)
		}
	}
}

// idFrom reads the record id at the end of a redirect's Location.
func idFrom(t *testing.T, r webtest.Response, prefix string) int64 {
	t.Helper()
	loc := r.Header.Get("Location")
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("want a redirect to %s…, got %d %q (body %.300s)", prefix, r.Status, loc, r.Body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64)
	if err != nil {
		t.Fatalf("redirect %q: %v", loc, err)
	}
	return id
}

func login(t *testing.T, f fixture) *webtest.Client {
	c := webtest.New(t, f.app)
	if r := c.Login("claire@courtier.test", pw); r.Status != http.StatusSeeOther {
		t.Fatalf("login: %d", r.Status)
	}
	return c
}

func TestClientListSearchFilterExport(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		// 55 clients: more than a page (50); every 5th is active and managed by Julien.
		for i := range 55 {
			in := crm.ClientInput{LegalName: fmt.Sprintf("Entreprise %02d", i), Status: crm.ClientProspect}
			if i%5 == 0 {
				in.Status, in.AccountManagerID = crm.ClientActive, &f.cons.ID
			}
			must(f.crm.clients.Create(ctx, in))
		}
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Société Générale d'Équipement", SIREN: "732 829 320", Status: crm.ClientActive}))
		must(f.crm.establishments.Save(ctx, acme.ID, 0, crm.EstablishmentInput{SIRET: "73282932000074", Name: "Usine de Lyon", PostalCode: "69003", City: "Lyon"}))

		c := login(t, f)
		cases := []struct {
			name     string
			path     string
			contains []string
			absent   []string
		}{
			{"first page", "/clients", []string{"56 résultat(s)", "Entreprise 00", "Entreprise 48", `href="/clients?page=2"`}, []string{"Entreprise 54"}},
			{"second page", "/clients?page=2", []string{"Entreprise 54", "56 résultat(s)"}, []string{"Entreprise 00<"}},
			{"accent-insensitive name", "/clients?q=equipement+generale", []string{"Société Générale d&#39;Équipement", "1 résultat(s)"}, []string{"Entreprise"}},
			{"SIREN with spaces", "/clients?q=732+829+320", []string{"Société Générale", "1 résultat(s)"}, []string{"Entreprise"}},
			{"SIRET", "/clients?q=73282932000074", []string{"Société Générale", "Lyon"}, []string{"Entreprise"}},
			{"status filter", "/clients?status=active", []string{"12 résultat(s)", "Entreprise 05", "Société Générale"}, []string{"Entreprise 01"}},
			{"manager filter", fmt.Sprintf("/clients?manager=%d", f.cons.ID), []string{"11 résultat(s)", "Julien Lefèvre"}, []string{"Société Générale"}},
			{"nothing", "/clients?q=zzz", []string{"0 résultat(s)", "Aucun client ne correspond."}, nil},
		}
		for _, tc := range cases {
			r := c.Get(tc.path)
			want(t, tc.name, r, 200, tc.contains...)
			notWant(t, tc.name, r, tc.absent...)
		}
		want(t, "export link keeps the filters", c.Get("/clients?status=active&page=2"), 200, `href="/clients.csv?status=active"`)

		r := c.Get("/clients.csv?status=prospect")
		if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("export: %d %v", r.Status, r.Header)
		}
		if !strings.HasPrefix(r.Body, "\uFEFFRaison sociale;SIREN;N° de TVA intracommunautaire;Statut;Chargé de compte;Ville;") {
			t.Errorf("export header: %.200q", r.Body)
		}
		lines := strings.Split(strings.TrimSuffix(r.Body, "\r\n"), "\r\n")
		if len(lines) != 1+44 {
			t.Errorf("export: %d lines, want a header and the 44 prospects (not one page)", len(lines))
		}
		if !strings.Contains(r.Body, "\r\nEntreprise 01;;;Prospect;;;") {
			t.Errorf("export rows: %.400q", r.Body)
		}
		all := c.Get("/clients.csv")
		if n := strings.Count(all.Body, "\r\n"); n != 57 {
			t.Errorf("full export: %d lines, want 57", n)
		}
		if !strings.Contains(all.Body, "Société Générale d'Équipement;732829320;FR44732829320;Client;;Lyon;") {
			t.Errorf("full export lacks the client with its city: %.300q", all.Body)
		}
	})
}

func TestClientCreateAndEdit(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := login(t, f)
		want(t, "new form", c.Get("/clients/new"), 200, `name="legal_name"`, `name="chorus_service_code"`, "Julien Lefèvre", "vide")
		bad := url.Values{"legal_name": {" "}, "siren": {"123 456 789"}, "billing_email": {"compta@"}, "payment_terms_days": {"90"},
			"website": {"acme.fr"}, "status": {"prospect"}}
		r := c.Post("/clients", bad)
		want(t, "invalid client", r, 422, "Ce champ est obligatoire.", "SIREN invalide", "n&#39;est pas valide", "Entre 0 et 60 jours.", `value="123 456 789"`, `value="acme.fr"`)
		want(t, "nothing written", c.Get("/clients"), 200, "0 résultat(s)")
		want(t, "unparsable terms", c.Post("/clients", url.Values{"legal_name": {"Acme"}, "payment_terms_days": {"trente"}}), 422, "Un nombre entier est attendu.", `value="Acme"`)
		want(t, "still nothing written", c.Get("/clients"), 200, "0 résultat(s)")

		r = c.Post("/clients", url.Values{"legal_name": {"Acme Industrie"}, "siren": {"732 829 320"}, "phone": {"01 23 45 67 89"},
			"website": {"acme.fr"}, "status": {"prospect"}, "account_manager_id": {strconv.FormatInt(f.cons.ID, 10)},
			"public_body": {"on"}, "chorus_service_code": {"SERV-01"}, "payment_terms_days": {"30"}, "billing_email": {"Compta@Acme.fr"}})
		id := idFrom(t, r, "/clients/")
		page := c.Get(fmt.Sprintf("/clients/%d", id))
		want(t, "client page", page, 200, "Client créé.", "Acme Industrie", "FR44732829320", `href="tel:&#43;33123456789"`, "&#43;33 1 23 45 67 89",
			`href="https://acme.fr"`, "Julien Lefèvre", "SERV-01", "compta@acme.fr", "déduit du pays")

		edit := c.Get(fmt.Sprintf("/clients/%d/edit", id))
		want(t, "edit form", edit, 200, `value="Acme Industrie"`, `value="30"`, `name="public_body" value="on" checked`)
		want(t, "invalid edit", c.Post(fmt.Sprintf("/clients/%d", id), url.Values{"legal_name": {"Acme"}, "country": {"France"}}), 422, "Code pays ISO")
		r = c.Post(fmt.Sprintf("/clients/%d", id), url.Values{"legal_name": {"Acme Industrie SA"}, "siren": {"732829320"}, "status": {"active"},
			"tax_regime": {"exempt_training"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("update: %d %.300s", r.Status, r.Body)
		}
		page = c.Get(fmt.Sprintf("/clients/%d", id))
		want(t, "after edit", page, 200, "Acme Industrie SA", `class="badge ok">Client<`, "exempt_training", "Changement de statut", "prospect → active")
		notWant(t, "public body cleared", page, "SERV-01")
		want(t, "unknown client", c.Get("/clients/999999"), 404)
		want(t, "unknown client edit", c.Post("/clients/999999", url.Values{"legal_name": {"X"}}), 404)
		want(t, "not a number", c.Get("/clients/abc"), 404)
	})
}

func TestClientPageAndTimeline(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie", SIREN: "732829320"}))
		other := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Boulangeries Perrin"}))
		marie := must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &acme.ID, FirstName: "Marie", LastName: "Durand", Role: "hr_director",
			Emails: []string{"marie.durand@acme.fr"}, Phones: []crm.Phone{{Number: "06 12 34 56 78", Label: "mobile"}}}))
		must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &other.ID, LastName: "Perrin"}))
		must(f.crm.timeline.Add(ctx, crm.NewEntry{Kind: crm.KindMeeting, Title: "Réunion de lancement", Body: "Excel avancé",
			OccurredAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Links: []crm.Ref{{Type: crm.RecordContact, ID: marie.ID}}}))
		must(f.crm.timeline.Add(ctx, crm.NewEntry{Kind: crm.KindNote, Title: "Chez Perrin", Body: "rien à voir",
			Links: []crm.Ref{{Type: crm.RecordClient, ID: other.ID}}}))

		c := login(t, f)
		path := fmt.Sprintf("/clients/%d", acme.ID)
		c.Get(path)
		want(t, "department", c.Post(path+"/departments", url.Values{"department": {"Ressources humaines"}}), 303)
		want(t, "empty department", c.Post(path+"/departments", url.Values{"department": {" "}}), 422, "Ce champ est obligatoire.")
		want(t, "establishment form", c.Get(path+"/establishments/new"), 200, `name="siret"`)
		want(t, "bad establishment", c.Post(path+"/establishments", url.Values{"siret": {"73282932000075"}, "postal_code": {"69003"}, "city": {"Paris"}}),
			422, "SIRET invalide", "Cette ville ne correspond pas", `value="Paris"`)
		r := c.Post(path+"/establishments", url.Values{"siret": {"732 829 320 00074"}, "name": {"Usine de Lyon"}, "address_line1": {"12 rue Garibaldi"},
			"postal_code": {"69003"}, "city": {"lyon"}, "head_office": {"on"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("establishment: %d %.400s", r.Status, r.Body)
		}
		ests := must(f.crm.establishments.List(ctx, acme.ID))
		want(t, "establishment edit form", c.Get(fmt.Sprintf("%s/establishments/%d/edit", path, ests[0].ID)), 200, `value="Usine de Lyon"`, `value="69003"`)
		want(t, "duplicate SIRET", c.Post(path+"/establishments", url.Values{"siret": {"73282932000074"}}), 422, "déjà enregistré")
		want(t, "establishment of another client", c.Get(fmt.Sprintf("/clients/%d/establishments/%d/edit", other.ID, ests[0].ID)), 404)

		// A note with markup: shown as text, line breaks kept by CSS, never as HTML.
		r = c.Post("/timeline", url.Values{"link": {fmt.Sprintf("client:%d", acme.ID)}, "note_kind": {"note"}, "note_title": {"Besoin en comptabilité"},
			"note_body": {"Ligne 1\n<script>alert(1)</script>"}, "note_occurred_at": {"2026-03-10T14:30"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != path+"#timeline" {
			t.Fatalf("add note: %d %q %.300s", r.Status, r.Header.Get("Location"), r.Body)
		}
		want(t, "empty note", c.Post("/timeline", url.Values{"link": {fmt.Sprintf("client:%d", acme.ID)}, "note_kind": {"note"}}), 422, "Ce champ est obligatoire.", "Acme Industrie")
		want(t, "bad date", c.Post("/timeline", url.Values{"link": {fmt.Sprintf("client:%d", acme.ID)}, "note_kind": {"note"}, "note_body": {"x"}, "note_occurred_at": {"demain"}}),
			422, "Date et heure invalides.", `value="demain"`)

		page := c.Get(path)
		want(t, "client page", page, 200, "Acme Industrie", "Marie Durand", `href="mailto:marie.durand@acme.fr"`, `href="tel:&#43;33612345678"`,
			"&#43;33 6 12 34 56 78", "Usine de Lyon", "73282932000074", "12 rue Garibaldi", "Lyon", "Ressources humaines",
			"Besoin en comptabilité", "Ligne 1\n&lt;script&gt;alert(1)&lt;/script&gt;", "10/03/2026 14:30", "Claire Moreau",
			"Réunion de lancement", "DRH")
		notWant(t, "client page", page, "<script>alert", "Chez Perrin", "Perrin<")
		// The note was typed in Paris time (UTC+1 in March) and stored in UTC.
		entries := must(must2(f.crm.timeline.List(ctx, crm.TimelineFilter{Query: "comptabilite"})))
		if len(entries) != 1 || !entries[0].OccurredAt.Equal(time.Date(2026, 3, 10, 13, 30, 0, 0, time.UTC)) {
			t.Errorf("note time: %+v", entries)
		}

		cases := []struct {
			name     string
			query    string
			contains []string
			absent   []string
		}{
			{"kind filter", "?kind=meeting", []string{"Réunion de lancement", `value="meeting" checked`}, []string{"Besoin en comptabilité"}},
			{"two kinds", "?kind=meeting&kind=note", []string{"Réunion de lancement", "Besoin en comptabilité"}, nil},
			{"accent-insensitive search", "?q=COMPTABILITE", []string{"Besoin en comptabilité"}, []string{"Réunion de lancement"}},
			{"search a contact's entry", "?q=excel+avance", []string{"Réunion de lancement"}, []string{"Besoin en comptabilité"}},
			{"search and kind", "?q=comptabilite&kind=meeting", []string{"Rien dans l&#39;historique."}, []string{"Besoin en comptabilité"}},
		}
		for _, tc := range cases {
			r := c.Get(path + tc.query)
			want(t, tc.name, r, 200, tc.contains...)
			// The filtered entries are absent from the timeline; the forms above it may reuse words.
			_, timeline, _ := strings.Cut(r.Body, `id="timeline"`)
			for _, s := range tc.absent {
				if strings.Contains(timeline, s) {
					t.Errorf("%s: timeline shows %q", tc.name, s)
				}
			}
		}
		want(t, "history search", c.Get("/history?q=perrin"), 200, "Chez Perrin", "Boulangeries Perrin")
		notWant(t, "history search", c.Get("/history?q=perrin"), "Réunion de lancement")
		want(t, "history by kind", c.Get("/history?kind=meeting"), 200, "Réunion de lancement", "Marie Durand (Acme Industrie)")
	})
}

// must2 drops the middle result of a three-value call.
func must2[A, B any](a A, _ B, err error) (A, error) { return a, err }

func TestTimelineMore(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme"}))
		base := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
		for i := range 25 {
			must(f.crm.timeline.Add(ctx, crm.NewEntry{Kind: crm.KindNote, Title: fmt.Sprintf("Note numéro %02d", i),
				OccurredAt: base.Add(time.Duration(i) * time.Hour), Links: []crm.Ref{{Type: crm.RecordClient, ID: acme.ID}}}))
		}
		c := login(t, f)
		first := c.Get(fmt.Sprintf("/clients/%d", acme.ID))
		want(t, "newest first", first, 200, "Note numéro 24", "Note numéro 05", "offset=20#timeline", "Plus anciens")
		notWant(t, "first page", first, "Note numéro 04")
		if strings.Index(first.Body, "Note numéro 24") > strings.Index(first.Body, "Note numéro 23") {
			t.Error("entries not newest first")
		}
		older := c.Get(fmt.Sprintf("/clients/%d?offset=20", acme.ID))
		want(t, "older", older, 200, "Note numéro 04", "Note numéro 00", "Plus récents")
		notWant(t, "older", older, "Note numéro 05")
	})
}

// upload posts a multipart form with one file, with the CSRF token of the
// last page the client read.
func upload(t *testing.T, c *webtest.Client, page, path, field, name, content string) webtest.Response {
	t.Helper()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(c.Get(page).Body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", page)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", m[1])
	fw, _ := w.CreateFormFile(field, name)
	fw.Write([]byte(content))
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

func TestEmployeeImport(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme", SIREN: "732829320"}))
		must(f.crm.establishments.Save(ctx, acme.ID, 0, crm.EstablishmentInput{SIRET: "73282932000074", Name: "Usine de Lyon", PostalCode: "69003", City: "Lyon"}))
		path := fmt.Sprintf("/clients/%d", acme.ID)
		file := "Matricule;Nom;Prénom;Service;Établissement;Date d'entrée\r\n" +
			"A001;Durand;Marie;Comptabilité;Usine de Lyon;01/09/2020\r\n" +
			"A002;;Paul;Comptabilité;;\r\n" +
			"A003;Lefèvre;Jeanne;Atelier;73282932000074;2021-02-15\r\n"
		c := login(t, f)
		r := upload(t, c, path, path+"/employees/import", "file", "salaries.csv", file)
		want(t, "import report", r, 200, `id="inserted">2<`, `id="updated">0<`, `id="unchanged">0<`, `id="rejected">1<`,
			`<td class="num">3</td>`, "missing last name", "A002;;Paul", "Télécharger les lignes rejetées")
		page := c.Get(path)
		want(t, "employees listed", page, 200, "A001", "Durand Marie", "Comptabilité", "Usine de Lyon", "A003", "Lefèvre Jeanne", "Atelier")
		want(t, "employee search", c.Get(path+"?eq=jeanne"), 200, "Lefèvre Jeanne")
		notWant(t, "employee search", c.Get(path+"?eq=jeanne"), "Durand Marie")

		r = upload(t, c, path, path+"/employees/import", "file", "salaries.csv", file)
		want(t, "re-import", r, 200, `id="inserted">0<`, `id="unchanged">2<`, `id="rejected">1<`)
		m := regexp.MustCompile(`(?s)<textarea name="rejects" hidden>(.*?)</textarea>`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatal("no rejects to download")
		}
		dl := c.Post(path+"/employees/rejects.csv", url.Values{"rejects": {strings.ReplaceAll(m[1], "&#34;", `"`)}})
		if dl.Status != 200 || !strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(dl.Body, "line;reason;raw") {
			t.Errorf("rejects download: %d %v %.200q", dl.Status, dl.Header, dl.Body)
		}
		want(t, "missing columns", upload(t, c, path, path+"/employees/import", "file", "x.csv", "Nom;Prénom\r\nDurand;Marie\r\n"), 422, "ne peut pas être importé")
		want(t, "no file", c.Post(path+"/employees/import", url.Values{}), 422, "Ce champ est obligatoire.")
	})
}

func TestContactCreateEdit(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}))
		rh := must(f.crm.establishments.AddDepartment(ctx, acme.ID, "Ressources humaines"))
		forma := must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus"}))
		c := login(t, f)

		want(t, "client contact form", c.Get(fmt.Sprintf("/clients/%d/contacts/new", acme.ID)), 200, "Acme Industrie", "Responsable formation",
			"Ressources humaines", `name="email_2"`, `name="phone_label_2"`)
		want(t, "provider contact form", c.Get(fmt.Sprintf("/providers/%d/contacts/new", forma.ID)), 200, "Forma Plus", "Formateur")
		want(t, "missing owner", c.Get("/clients/999999/contacts/new"), 404)
		form := url.Values{"civility": {"Mme"}, "first_name": {"Marie"}, "last_name": {"Durand"}, "role": {"training_officer"},
			"job_title": {"Chargée de formation"}, "department_id": {strconv.FormatInt(rh.ID, 10)}, "language": {"fr"},
			"email_0": {"Marie.Durand@Acme.fr"}, "email_1": {"m.durand@gmail.com"},
			"phone_0": {"01 23 45 67 89"}, "phone_label_0": {"bureau"}, "phone_1": {"06.12.34.56.78"}, "phone_label_1": {"mobile"},
			"notes": {"Préfère être appelée le matin.\nPas le vendredi."}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("phone_1", "12")
		bad.Set("email_1", "pas-une-adresse")
		bad.Set("last_name", "")
		want(t, "invalid contact", c.Post(fmt.Sprintf("/clients/%d/contacts", acme.ID), bad), 422,
			"Numéro de téléphone invalide.", "adresse e-mail n&#39;est pas valide", "Ce champ est obligatoire.", `value="pas-une-adresse"`)
		if _, n, _ := f.crm.contacts.List(ctx, crm.ContactFilter{}); n != 0 {
			t.Errorf("an invalid contact was written")
		}
		id := idFrom(t, c.Post(fmt.Sprintf("/clients/%d/contacts", acme.ID), form), "/contacts/")
		k := must(f.crm.contacts.Get(ctx, id))
		if len(k.Phones) != 2 || k.Phones[0].Number != "+33123456789" || k.Phones[1].Number != "+33612345678" {
			t.Errorf("phones not in E.164: %+v", k.Phones)
		}
		page := c.Get(fmt.Sprintf("/contacts/%d", id))
		want(t, "contact page", page, 200, "Mme Marie Durand", "Responsable formation", "Chargée de formation", "Ressources humaines",
			`href="/clients/`+strconv.FormatInt(acme.ID, 10)+`"`, `href="mailto:marie.durand@acme.fr"`, `href="mailto:m.durand@gmail.com"`,
			`href="tel:&#43;33123456789"`, "&#43;33 1 23 45 67 89", "bureau", `href="tel:&#43;33612345678"`, "&#43;33 6 12 34 56 78",
			"Préfère être appelée le matin.\nPas le vendredi.", "Noter un appel", `value="&#43;33 1 23 45 67 89"`, "Nouvelle tâche")

		edit := c.Get(fmt.Sprintf("/contacts/%d/edit", id))
		want(t, "edit form", edit, 200, `value="Durand"`, `value="m.durand@gmail.com"`, `value="&#43;33 6 12 34 56 78"`, `name="active" value="on" checked`)
		form.Set("last_name", "Durand-Martin")
		form.Del("phone_1")
		form.Del("active")
		if r := c.Post(fmt.Sprintf("/contacts/%d", id), form); r.Status != http.StatusSeeOther {
			t.Fatalf("update: %d %.300s", r.Status, r.Body)
		}
		page = c.Get(fmt.Sprintf("/contacts/%d", id))
		want(t, "after edit", page, 200, "Marie Durand-Martin", "inactif")
		notWant(t, "after edit", page, "&#43;33 6 12 34 56 78")

		pid := idFrom(t, c.Post(fmt.Sprintf("/providers/%d/contacts", forma.ID), url.Values{"last_name": {"Lefèvre"}, "first_name": {"Bob"}, "role": {"trainer"}}), "/contacts/")
		want(t, "provider contact", c.Get(fmt.Sprintf("/contacts/%d", pid)), 200, "Bob Lefèvre", "Formateur", "Forma Plus")
		want(t, "client role for a provider", c.Post(fmt.Sprintf("/providers/%d/contacts", forma.ID), url.Values{"last_name": {"X"}, "role": {"hr_director"}}), 422, "Valeur invalide.")

		list := c.Get("/contacts?q=durand")
		want(t, "contact search", list, 200, "Marie Durand-Martin", "Acme Industrie", "1 résultat(s)")
		want(t, "contact search by address", c.Get("/contacts?q=%40gmail.com"), 200, "Marie Durand-Martin")
		want(t, "provider side", c.Get("/contacts?side=provider"), 200, "Bob Lefèvre", "Forma Plus")
		notWant(t, "provider side", c.Get("/contacts?side=provider"), "Durand")
		want(t, "provider page", c.Get(fmt.Sprintf("/providers/%d", forma.ID)), 200, "Forma Plus", "Bob Lefèvre")
		want(t, "provider list", c.Get("/providers?q=forma"), 200, "Forma Plus", "1 résultat(s)")
		want(t, "provider without name", c.Post("/providers", url.Values{"name": {" "}}), 422, "Ce champ est obligatoire.")
		prov := idFrom(t, c.Post("/providers", url.Values{"name": {"Cegos"}}), "/providers/")
		want(t, "new provider", c.Get(fmt.Sprintf("/providers/%d", prov)), 200, "Cegos", "Prestataire créé.")
	})
}

func TestTasks(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}))
		marie := must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &acme.ID, FirstName: "Marie", LastName: "Durand"}))
		today := time.Now()
		must(f.crm.tasks.Create(ctx, crm.NewTask{Title: "Relancer le devis", DueOn: ptr(today.AddDate(0, 0, 7)), AssigneeID: &f.admin.ID}))
		must(f.crm.tasks.Create(ctx, crm.NewTask{Title: "Tâche de Julien", AssigneeID: &f.cons.ID}))
		c := login(t, f)

		contact := fmt.Sprintf("/contacts/%d", marie.ID)
		c.Get(contact)
		r := c.Post("/tasks", url.Values{"link": {fmt.Sprintf("contact:%d", marie.ID), fmt.Sprintf("client:%d", acme.ID)},
			"back": {contact + "#tasks"}, "task_title": {"Envoyer la convention"}, "task_due_on": {today.AddDate(0, 0, -3).Format("2006-01-02")},
			"task_assignee_id": {strconv.FormatInt(f.admin.ID, 10)}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != contact+"#tasks" {
			t.Fatalf("create task: %d %q %.300s", r.Status, r.Header.Get("Location"), r.Body)
		}
		want(t, "task without title", c.Post("/tasks", url.Values{"link": {fmt.Sprintf("contact:%d", marie.ID)}, "back": {contact}}), 422, "Ce champ est obligatoire.", "Marie Durand")
		want(t, "bad due date", c.Post("/tasks", url.Values{"task_title": {"x"}, "task_due_on": {"31/02"}}), 422, "Date invalide.")

		mine := c.Get("/tasks")
		want(t, "my tasks", mine, 200, "Envoyer la convention", "Relancer le devis", "1 tâche(s) en retard", `class="task overdue"`,
			"Marie Durand (Acme Industrie)", `<span class="badge off" title="1 tâche(s) en retard">1</span>`)
		notWant(t, "my tasks", mine, "Tâche de Julien")
		if strings.Index(mine.Body, "Envoyer la convention") > strings.Index(mine.Body, "Relancer le devis") {
			t.Error("the overdue task is not first")
		}
		want(t, "Julien's tasks", c.Get(fmt.Sprintf("/tasks?assignee=%d", f.cons.ID)), 200, "Tâche de Julien")
		want(t, "task on the company page", c.Get(fmt.Sprintf("/clients/%d", acme.ID)), 200, "Envoyer la convention", "en retard")

		tasks := must(f.crm.tasks.List(ctx, crm.TaskFilter{AssigneeID: f.admin.ID}))
		r = c.Post(fmt.Sprintf("/tasks/%d/done", tasks[0].ID), url.Values{"back": {"/tasks"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/tasks" {
			t.Fatalf("done: %d %q", r.Status, r.Header.Get("Location"))
		}
		mine = c.Get("/tasks")
		want(t, "after done", mine, 200, "faite le", "Rouvrir")
		notWant(t, "after done", mine, "en retard")
		if strings.Index(mine.Body, "Envoyer la convention") < strings.Index(mine.Body, "Relancer le devis") {
			t.Error("a done task is listed before an open one")
		}
		want(t, "timeline says done", c.Get(contact), 200, "Tâche terminée")
		// Only a path of this site is a place to go back to.
		if r := c.Post(fmt.Sprintf("/tasks/%d/undone", tasks[0].ID), url.Values{"back": {"//evil.test"}}); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/tasks" {
			t.Errorf("undone: %d %q", r.Status, r.Header.Get("Location"))
		}
		want(t, "open again", c.Get("/tasks"), 200, "1 tâche(s) en retard")
		want(t, "unknown task", c.Post("/tasks/999999/done", nil), 404)
	})
}

func ptr[T any](v T) *T { return &v }

func TestCallsLogAndTriage(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := staffCtx(f.admin.ID)
		acme := must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}))
		marie := must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &acme.ID, FirstName: "Marie", LastName: "Durand",
			Phones: []crm.Phone{{Number: "01 23 45 67 89"}}}))
		c := login(t, f)
		contact := fmt.Sprintf("/contacts/%d", marie.ID)
		c.Get(contact)
		form := url.Values{"call_contact_id": {strconv.FormatInt(marie.ID, 10)}, "call_direction": {"out"}, "call_number": {"+33 1 23 45 67 89"},
			"call_started_at": {"2026-03-10T10:15"}, "call_duration": {"4:30"}, "call_outcome": {"answered"}, "call_note": {"Devis accepté"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("call_duration", "quatre")
		want(t, "bad duration", c.Post("/calls", bad), 422, "Durée invalide", `value="quatre"`, "Marie Durand")
		bad.Set("call_duration", "1")
		bad.Set("call_number", "12")
		want(t, "bad number", c.Post("/calls", bad), 422, "Numéro de téléphone invalide.")
		r := c.Post("/calls", form)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != contact+"#timeline" {
			t.Fatalf("log call: %d %q %.300s", r.Status, r.Header.Get("Location"), r.Body)
		}
		want(t, "call in the contact timeline", c.Get(contact), 200, "Appel émis", "4:30", "Répondu", "Devis accepté", "10/03/2026 10:15")
		want(t, "call in the company timeline", c.Get(fmt.Sprintf("/clients/%d?kind=call", acme.ID)), 200, "Devis accepté")

		unknown, _, err := f.crm.calls.Log(ctx, crm.CallInput{Direction: "in", Number: "04 78 00 00 01", Note: "Qui est-ce ?"})
		if err != nil {
			t.Fatal(err)
		}
		tri := c.Get("/calls/triage")
		want(t, "triage", tri, 200, "&#43;33 4 78 00 00 01", "Qui est-ce ?", "Cherchez d&#39;abord un contact.")
		tri = c.Get("/calls/triage?q=durand")
		want(t, "triage search", tri, 200, "Marie Durand (Acme Industrie)", fmt.Sprintf(`action="/calls/%d/assign"`, unknown.ID))
		r = c.Post(fmt.Sprintf("/calls/%d/assign", unknown.ID), url.Values{"contact_id": {strconv.FormatInt(marie.ID, 10)}, "remember": {"on"},
			"back": {"/calls/triage?q=durand"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/calls/triage?q=durand" {
			t.Fatalf("assign: %d %q %.300s", r.Status, r.Header.Get("Location"), r.Body)
		}
		want(t, "triage after assign", c.Get("/calls/triage"), 200, "Appel rattaché au contact.", "Aucun appel à trier.")
		want(t, "number remembered", c.Get(contact), 200, "&#43;33 4 78 00 00 01", "Qui est-ce ?")
		// The next call from that number finds Marie by itself.
		next, _, _ := f.crm.calls.Log(ctx, crm.CallInput{Direction: "in", Number: "0478000001"})
		if next.ContactID == nil || *next.ContactID != marie.ID {
			t.Errorf("remembered number not matched: %+v", next)
		}
		stray, _, _ := f.crm.calls.Log(ctx, crm.CallInput{Direction: "in", Number: "0999999999"})
		want(t, "dismiss", c.Post(fmt.Sprintf("/calls/%d/dismiss", stray.ID), nil), 303)
		notWant(t, "after dismiss", c.Get("/calls/triage"), "&#43;33 9 99 99 99 99")
		want(t, "dismiss twice", c.Post(fmt.Sprintf("/calls/%d/dismiss", stray.ID), nil), 404)
	})
}

// Every form of the back office refuses a POST without the CSRF token, and
// unknown paths are 404 rather than a login redirect.
func TestFormsNeedCSRF(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := login(t, f)
		c.Get("/")
		n := 0
		for _, r := range f.app.GetRoutes(true) {
			if r.Method != http.MethodPost || strings.HasPrefix(r.Path, "/api/") {
				continue
			}
			path := strings.NewReplacer(":id", "1", ":eid", "1", ":cid", "1").Replace(r.Path)
			if res := c.Post(path, url.Values{"_csrf": {""}, "name": {"x"}}); res.Status != http.StatusForbidden {
				t.Errorf("POST %s without CSRF: %d, want 403", path, res.Status)
			}
			n++
		}
		if n < 25 {
			t.Errorf("only %d forms checked", n)
		}
		for _, p := range []string{"/clients/1/nothing", "/clientsx", "/contacts/0", "/providers/-1", "/tasks/1"} {
			want(t, "unknown "+p, c.Get(p), 404)
		}
	})
}
