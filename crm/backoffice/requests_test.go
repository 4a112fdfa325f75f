package backoffice_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	pngenc "image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/webtest"
)

// needFixture is a client with a contact and two employees, three
// providers that can be consulted, all on Claire's shortlist.
type needFixture struct {
	client             crm.Client
	marie              crm.Contact
	lea, tom           crm.Employee
	lyon, forma, paris crm.Provider
}

func newNeedFixture(t *testing.T, f fixture) needFixture {
	t.Helper()
	ctx := staffCtx(f.admin.ID)
	var n needFixture
	n.client = must(f.crm.clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie", Status: crm.ClientActive, AccountManagerID: &f.admin.ID}))
	n.marie = must(f.crm.contacts.Create(ctx, crm.ContactInput{ClientID: &n.client.ID, FirstName: "Marie", LastName: "Durand",
		Role: "training_officer", Language: "fr", Emails: []string{"marie@acme.test"}}))
	n.lea, _ = must2(f.crm.employees.Upsert(ctx, n.client.ID, crm.EmployeeInput{ExternalID: "A1", FirstName: "Léa", LastName: "Roux"}))
	n.tom, _ = must2(f.crm.employees.Upsert(ctx, n.client.ID, crm.EmployeeInput{ExternalID: "A2", FirstName: "Tom", LastName: "Blanc"}))
	n.lyon = must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Lyon Formation", PostalCode: "69003", City: "Lyon",
		Email: "devis@lyonformation.test", QualiopiActions: true}))
	n.forma = must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus", PostalCode: "69100", City: "Villeurbanne",
		Email: "contact@formaplus.test"}))
	n.paris = must(f.crm.providers.Create(ctx, crm.ProviderInput{Name: "Paris Compétences", PostalCode: "75015", City: "Paris"}))
	must(f.crm.contacts.Create(ctx, crm.ContactInput{ProviderID: &n.paris.ID, FirstName: "John", LastName: "Smith", Role: "sales",
		Language: "en", Emails: []string{"john@pariscompetences.test"}}))
	for _, p := range []crm.Provider{n.lyon, n.forma, n.paris} {
		must(f.crm.shortlists.Add(ctx, f.admin.ID, p.ID, nil, "excel", ""))
	}
	return n
}

// section returns the part of a page from the element with the id to the
// end of that section (or of the page).
func section(body, id string) string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		return rest[:j]
	}
	return rest
}

// mailsTo returns the messages sent to an address, oldest first.
func mailsTo(f fixture, address string) []mailer.Message {
	var out []mailer.Message
	for _, m := range f.mail.Messages() {
		for _, to := range m.To {
			if to.Address == address {
				out = append(out, m)
			}
		}
	}
	return out
}

var pageAnswerLink = regexp.MustCompile(`http://ex\.test/reponse/(\S+)`)

func euros(cents int64) string { return i18n.Money(i18n.FR, cents) }

// TestRequestFlowThroughPages drives a need from the client page to a done
// session, through the staff pages and their forms only (but for the one
// provider answering through its link, as it would from the extranet).
func TestRequestFlowThroughPages(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		n := newNeedFixture(t, f)
		c := login(t, f)
		today := time.Now().In(i18n.Paris)
		day := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }

		// A request for the client, from its page.
		want(t, "client page", c.Get(fmt.Sprintf("/clients/%d", n.client.ID)), 200, fmt.Sprintf(`href="/requests/new?client=%d"`, n.client.ID), "Demandes")
		want(t, "new request form", c.Get(fmt.Sprintf("/requests/new?client=%d", n.client.ID)), 200, `name="topic"`, "Léa", "Marie Durand", "Acme Industrie")
		form := url.Values{"client_id": {itoa(n.client.ID)}, "contact_id": {itoa(n.marie.ID)}, "kind": {"collective"},
			"employee_ids": {itoa(n.lea.ID), itoa(n.tom.ID)}, "topic": {"Excel avancé"}, "objectives": {"Tableaux croisés dynamiques"},
			"period_from": {day(60)}, "period_to": {day(90)}, "place": {"Lyon"}, "trainees": {"2"}, "format": {"intra"},
			"budget": {"3 000,50"}, "priority": {"high"}, "channel": {"phone"}, "owner_id": {""}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("topic", " ")
		want(t, "request without topic", c.Post("/requests", bad), 422, "Ce champ est obligatoire.", `value="3 000,50"`, "Léa")
		bad.Set("topic", "Excel")
		bad.Set("budget", "trois mille")
		want(t, "request with a bad budget", c.Post("/requests", bad), 422, "Montant en euros invalide", `value="trois mille"`)
		id := idFrom(t, c.Post("/requests", form), "/requests/")
		page := c.Get(fmt.Sprintf("/requests/%d", id))
		want(t, "request page", page, 200, "Excel avancé", "Qualification", euros(300050), "Léa Roux", "Marie Durand", "Haute", "Téléphone")
		want(t, "client lists its request", c.Get(fmt.Sprintf("/clients/%d", n.client.ID)), 200, fmt.Sprintf(`href="/requests/%d"`, id))
		want(t, "list filtered", c.Get("/requests?priority=high&q=excel"), 200, "Excel avancé", "1 résultat(s)")
		notWant(t, "list filtered out", c.Get("/requests?priority=low"), "Excel avancé")
		if col := section(c.Get("/requests/pipeline").Body, "stage-qualifying"); !strings.Contains(col, "Excel avancé") {
			t.Errorf("pipeline: the request is not in the qualifying column: %.300s", col)
		}
		want(t, "waiting on me", c.Get("/"), 200, "En attente de moi", "Consulter des prestataires", fmt.Sprintf(`href="/shortlist?request=%d"`, id))

		// A refused move changes nothing; a move lacking its amount neither.
		advance := fmt.Sprintf("/requests/%d/advance", id)
		want(t, "quotes in while qualifying", c.Post(advance, url.Values{"track": {"sourcing"}, "to": {"quotes_in"}}), 422, "Action refusée")
		want(t, "funding requested", c.Post(advance, url.Values{"track": {"funding"}, "to": {"requested"}}), http.StatusSeeOther)
		want(t, "agreed without amount", c.Post(advance, url.Values{"track": {"funding"}, "to": {"agreed"}, "amount": {""}}), 422, "Action refusée")
		want(t, "agreed with a bad amount", c.Post(advance, url.Values{"track": {"funding"}, "to": {"agreed"}, "amount": {"beaucoup"}}), 422, "Montant en euros invalide")
		if r := must(f.crm.requests.Get(staffCtx(f.admin.ID), id)); r.Sourcing != crm.SourcingQualifying || r.Funding != crm.FundingRequested {
			t.Errorf("refused moves changed the tracks: %+v", r.TrackState)
		}
		want(t, "funding agreed", c.Post(advance, url.Values{"track": {"funding"}, "to": {"agreed"}, "amount": {"1 500"}}), http.StatusSeeOther)
		want(t, "funding shown", c.Get(fmt.Sprintf("/requests/%d", id)), 200, "Accordé", euros(150000))

		// Consult the three providers of the shortlist in one action.
		sl := c.Get(fmt.Sprintf("/shortlist?request=%d", id))
		want(t, "shortlist for the request", sl, 200, fmt.Sprintf("Consulter pour la demande #%d Excel avancé", id), `form="consult"`)
		items := must(f.crm.shortlists.List(staffCtx(f.admin.ID), f.admin.ID))
		consult := url.Values{"request_id": {itoa(id)}, "due_at": {day(5)}, "message": {"Deux jours, en intra."}}
		want(t, "consult nobody", c.Post("/shortlist/consult", consult), 422, "Action refusée")
		for _, it := range items {
			consult.Add("item", itoa(it.ID))
		}
		sent := len(f.mail.Messages())
		r := c.Post("/shortlist/consult", consult)
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/requests/%d#consultations", id) {
			t.Fatalf("consult: %d %q %.300s", r.Status, r.Header.Get("Location"), r.Body)
		}
		if got := len(f.mail.Messages()) - sent; got != 3 {
			t.Errorf("consultation mails: %d, want 3", got)
		}
		for _, addr := range []string{"devis@lyonformation.test", "contact@formaplus.test", "john@pariscompetences.test"} {
			if m := mailsTo(f, addr); len(m) != 1 || !strings.Contains(m[0].Subject, fmt.Sprintf("Excel avancé [REQ-%d]", id)) ||
				!strings.Contains(m[0].Text, "Deux jours, en intra.") || strings.Contains(m[0].Text, "Acme") {
				t.Errorf("mail to %s: %+v", addr, m)
			}
		}
		// The history says it in the reader's language.
		if history := section(c.Get(fmt.Sprintf("/requests/%d", id)).Body, "timeline"); !strings.Contains(history,
			"Recherche de prestataires : Qualification → Consultation en cours") {
			t.Errorf("history of the move: %.2000s", history)
		}
		want(t, "consult twice", c.Post("/shortlist/consult", consult), 422, "Action refusée")
		cons := must(f.crm.consultations.List(staffCtx(f.admin.ID), id))
		byProvider := map[int64]int64{}
		for _, k := range cons {
			byProvider[k.ProviderID] = k.ID
		}
		lyonK, formaK, parisK := byProvider[n.lyon.ID], byProvider[n.forma.ID], byProvider[n.paris.ID]
		page = c.Get(fmt.Sprintf("/requests/%d", id))
		want(t, "consultations listed", page, 200, "Lyon Formation", "Forma Plus", "Paris Compétences", "En attente", "Consultation en cours")
		want(t, "unanswered list", c.Get("/consultations"), 200, "Lyon Formation", "Forma Plus", "Relancer")

		// Forma Plus is reminded, then answers through the new link.
		want(t, "remind", c.Post(fmt.Sprintf("/consultations/%d/remind", formaK), url.Values{"due_at": {day(8)}}), http.StatusSeeOther)
		want(t, "remind in the past", c.Post(fmt.Sprintf("/consultations/%d/remind", formaK), url.Values{"due_at": {day(-1)}}), 422, "Action refusée")
		forma := mailsTo(f, "contact@formaplus.test")
		if len(forma) != 2 || !strings.HasPrefix(forma[1].Subject, "Relance") {
			t.Fatalf("reminder: %+v", forma)
		}
		token := pageAnswerLink.FindStringSubmatch(forma[1].Text)
		if token == nil {
			t.Fatalf("no answer link in %q", forma[1].Text)
		}
		if err := f.crm.consultations.Answer(t.Context(), token[1], crm.QuoteInput{PriceCents: 150000, VATStatus: "taxable",
			DatesOffered: []string{day(70)}}); err != nil {
			t.Fatal(err)
		}
		// Lyon Formation answered by phone, Paris Compétences declined by e-mail.
		want(t, "answer form", c.Get(fmt.Sprintf("/consultations/%d/answer", lyonK)), 200, "Réponse de Lyon Formation", `name="price"`)
		answer := url.Values{"via": {"phone"}, "price": {"1 200"}, "vat_status": {"exempt"}, "dates_offered": {today.AddDate(0, 0, 65).Format("02/01/2006")},
			"trainer": {"Jean Dupont"}, "note": {"Support fourni"}}
		answer.Set("price", "douze cents")
		want(t, "answer with a bad price", c.Post(fmt.Sprintf("/consultations/%d/answer", lyonK), answer), 422, "Montant en euros invalide")
		answer.Set("price", "1 200")
		want(t, "answer by phone", c.Post(fmt.Sprintf("/consultations/%d/answer", lyonK), answer), http.StatusSeeOther)
		want(t, "decline without reason", c.Post(fmt.Sprintf("/consultations/%d/decline", parisK), url.Values{"decline_via": {"email"}}), 422)
		want(t, "decline by mail", c.Post(fmt.Sprintf("/consultations/%d/decline", parisK),
			url.Values{"decline_via": {"email"}, "decline_reason": {"Pas de formateur disponible"}}), http.StatusSeeOther)

		// Side by side: prices excluding and including VAT, then retain one.
		page = c.Get(fmt.Sprintf("/requests/%d", id))
		cmp := section(page.Body, "comparison")
		for _, s := range []string{"Lyon Formation", euros(120000), "Jean Dupont", "Forma Plus", euros(150000), euros(180000), "Exonéré"} {
			if !strings.Contains(cmp, s) {
				t.Errorf("comparison lacks %q", s)
			}
		}
		want(t, "after the answers", page, 200, "Devis reçus", "Pas de formateur disponible", "Téléphone")
		want(t, "retain a decline", c.Post(fmt.Sprintf("/consultations/%d/retain", parisK), url.Values{"retained": {"1"}}), 422, "Action refusée")
		want(t, "retain", c.Post(fmt.Sprintf("/consultations/%d/retain", lyonK), url.Values{"retained": {"1"}}), http.StatusSeeOther)
		want(t, "not retained mails", c.Post(fmt.Sprintf("/requests/%d/not-retained", id), nil), http.StatusSeeOther)
		if m := mailsTo(f, "contact@formaplus.test"); len(m) != 3 || !strings.HasPrefix(m[2].Subject, "Votre proposition") {
			t.Errorf("not retained mail: %+v", m)
		}
		if m := mailsTo(f, "devis@lyonformation.test"); len(m) != 1 {
			t.Errorf("the retained provider got %d mails, want only the consultation", len(m))
		}

		// A proposal from the retained answer: the margin is for staff only.
		key := itoa(lyonK)
		want(t, "proposal form", c.Get(fmt.Sprintf("/requests/%d/proposals/new", id)), 200, `name="price_`+key+`"`, `value="1200"`)
		prop := url.Values{"mode": {"subcontracting"}, "valid_until": {day(30)}, "line_" + key: {"on"},
			"label_" + key: {"Excel avancé, 2 jours"}, "price_" + key: {"1 000"}, "message": {"Bonne réception"}}
		want(t, "negative margin", c.Post(fmt.Sprintf("/requests/%d/proposals", id), prop), 422, "Action refusée")
		prop.Set("price_"+key, "1 450")
		want(t, "create proposal", c.Post(fmt.Sprintf("/requests/%d/proposals", id), prop), http.StatusSeeOther)
		proposal := must(f.crm.proposals.List(staffCtx(f.admin.ID), id))[0]
		page = c.Get(fmt.Sprintf("/requests/%d", id))
		box := section(page.Body, fmt.Sprintf("proposal-%d", proposal.ID))
		for _, s := range []string{"Brouillon", euros(145000), euros(120000), "Marge : " + euros(25000), "17 %", "Excel avancé, 2 jours"} {
			if !strings.Contains(box, s) && !strings.Contains(page.Body, s) {
				t.Errorf("proposal lacks %q", s)
			}
		}
		want(t, "send", c.Post(fmt.Sprintf("/proposals/%d/send", proposal.ID), url.Values{"to": {""}}), http.StatusSeeOther)
		if m := mailsTo(f, "marie@acme.test"); len(m) != 1 || !strings.HasPrefix(m[0].Subject, "Proposition de formation") ||
			!strings.Contains(m[0].Text, euros(145000)) || strings.Contains(m[0].Text, euros(25000)) {
			t.Errorf("proposal mail: %+v", m)
		}
		want(t, "send twice", c.Post(fmt.Sprintf("/proposals/%d/send", proposal.ID), nil), 422, "Action refusée")
		if col := section(c.Get("/requests/pipeline").Body, "stage-proposal"); !strings.Contains(col, "Excel avancé") {
			t.Errorf("pipeline: the request is not in the proposal column: %.300s", col)
		}
		if !strings.Contains(c.Get("/requests?stage=proposal").Body, "Excel avancé") || strings.Contains(c.Get("/requests?stage=done").Body, "Excel avancé") {
			t.Error("the list filtered by stage")
		}

		want(t, "decline without reason", c.Post(fmt.Sprintf("/proposals/%d/decline", proposal.ID), url.Values{"reason": {""}}), 422, "Action refusée")
		want(t, "accept on behalf", c.Post(fmt.Sprintf("/proposals/%d/accept", proposal.ID), nil), http.StatusSeeOther)
		page = c.Get(fmt.Sprintf("/requests/%d", id))
		want(t, "accepted", page, 200, "Acceptée", "pour le compte du client", "À réserver", "Réservation possible")
		want(t, "waiting: book", c.Get("/requests/waiting"), 200, "Réserver la session")

		// Book a session of two half-days for both employees.
		bookNew := fmt.Sprintf("/proposals/%d/bookings/new", proposal.ID)
		want(t, "booking form", c.Get(bookNew), 200, "Léa", "Tom", `value="Excel avancé, 2 jours"`, `value="1450"`, `value="Lyon"`)
		slots := url.Values{"title": {""}, "place": {"Lyon 3e, salle Rhône"}, "price": {"1 450"},
			"slot_day": {day(70), day(70), ""}, "slot_half": {"am", "pm", "am"}, "slot_start": {"09:00", "13:30", "09:00"},
			"slot_end": {"12:30", "17:00", "12:30"}}
		more := url.Values{"more": {"1"}}
		for k, v := range slots {
			more[k] = v
		}
		if r := c.Post(fmt.Sprintf("/proposals/%d/bookings", proposal.ID), more); r.Status != 200 || strings.Count(r.Body, `name="slot_day"`) != 3+4 {
			t.Errorf("more rows: %d, %d rows", r.Status, strings.Count(r.Body, `name="slot_day"`))
		}
		want(t, "booking without trainees", c.Post(fmt.Sprintf("/proposals/%d/bookings", proposal.ID), slots), 422, "Action refusée", `value="Lyon 3e, salle Rhône"`)
		slots["trainee_ids"] = []string{itoa(n.lea.ID), itoa(n.tom.ID)}
		bid := idFrom(t, c.Post(fmt.Sprintf("/proposals/%d/bookings", proposal.ID), slots), "/bookings/")
		want(t, "booking page", c.Get(fmt.Sprintf("/bookings/%d", bid)), 200, "Planifiée", "Émargement", "Léa Roux", "Tom Blanc", "Matin", "Après-midi")
		want(t, "request booked", c.Get(fmt.Sprintf("/requests/%d", id)), 200, "Session réservée", fmt.Sprintf(`href="/bookings/%d"`, bid))
		want(t, "confirm", c.Post(fmt.Sprintf("/bookings/%d/confirm", bid), nil), http.StatusSeeOther)
		want(t, "confirm twice", c.Post(fmt.Sprintf("/bookings/%d/confirm", bid), nil), 422, "Action refusée")
		want(t, "rate before done", c.Post(fmt.Sprintf("/bookings/%d/rate", bid), url.Values{"satisfaction": {"5"}}), 422, "Action refusée")

		// Attendance: Léa all day, Tom the morning only; the session is then done.
		b := must(f.crm.bookings.Get(staffCtx(f.admin.ID), bid))
		marks := url.Values{}
		for _, sl := range b.Slots {
			marks.Set(fmt.Sprintf("mark_%d_%d", sl.ID, n.lea.ID), "present")
			marks.Set(fmt.Sprintf("mark_%d_%d", sl.ID, n.tom.ID), map[string]string{"am": "present", "pm": "absent"}[sl.Half])
		}
		want(t, "attendance", c.Post(fmt.Sprintf("/bookings/%d/attendance", bid), marks), http.StatusSeeOther)
		page = c.Get(fmt.Sprintf("/bookings/%d", bid))
		want(t, "session done", page, 200, "Réalisée", "<strong>7 h</strong> / 7 h", "<strong>3,5 h</strong> / 7 h", "Satisfaction")
		want(t, "rate", c.Post(fmt.Sprintf("/bookings/%d/rate", bid), url.Values{"satisfaction": {"5"}}), http.StatusSeeOther)
		want(t, "rated", c.Get(fmt.Sprintf("/bookings/%d", bid)), 200, "5/5")

		// The session's documents: the broker's identity first (admins), then
		// the certificates, with each trainee's right on the page.
		bdocs := fmt.Sprintf("/bookings/%d/documents", bid)
		want(t, "documents without the broker's identity", c.Post(bdocs, url.Values{"kind": {"certificate"}}), 422,
			"Enregistrez d&#39;abord l&#39;identité du cabinet.")
		want(t, "broker settings", c.Get("/settings/broker"), 200, "Identité du cabinet", `name="nda"`)
		want(t, "broker identity refused", c.Post("/settings/broker", url.Values{"legal_name": {"CFC"}, "nda": {"123"}}), 422,
			"Numéro de déclaration d&#39;activité invalide", `value="CFC"`)
		want(t, "broker identity", c.Post("/settings/broker", url.Values{"legal_name": {"Courtage Formation Conseil"},
			"city": {"Lyon"}, "nda": {"84691234569"}, "vat_exempt": {"on"}, "representative": {"Hélène Garnier"}}), http.StatusSeeOther)
		want(t, "logo that is not an image", postFile(t, c, "/settings/broker", "/settings/broker/logo", url.Values{}, "logo.png", "not a picture"), 422,
			"Le logo doit être une image PNG ou JPEG.")
		var png bytes.Buffer
		if err := pngenc.Encode(&png, image.NewRGBA(image.Rect(0, 0, 4, 4))); err != nil {
			t.Fatal(err)
		}
		want(t, "logo", postFile(t, c, "/settings/broker", "/settings/broker/logo", url.Values{}, "logo.png", png.String()), http.StatusSeeOther)
		profile := must(f.crm.broker.Profile(context.Background()))
		if r := c.Get("/logos/" + profile.LogoSum); r.Status != 200 || r.Header.Get("Content-Type") != "image/png" {
			t.Errorf("logo served: %d %q", r.Status, r.Header.Get("Content-Type"))
		}
		want(t, "client document style refused", c.Post(fmt.Sprintf("/clients/%d/document-style", n.client.ID),
			url.Values{"doc_language": {"de"}, "doc_colour": {"rouge"}}), 422, "Couleur invalide")
		want(t, "client document style", c.Post(fmt.Sprintf("/clients/%d/document-style", n.client.ID),
			url.Values{"doc_language": {"en"}, "variant_convocation": {"acme"}}), http.StatusSeeOther)
		want(t, "client page shows the style", c.Get(fmt.Sprintf("/clients/%d", n.client.ID)), 200,
			`<option value="en" selected>`, `<option value="acme" selected>`)
		want(t, "certificates", c.Post(bdocs, url.Values{"kind": {"certificate"}}), http.StatusSeeOther)
		page = c.Get(fmt.Sprintf("/bookings/%d", bid))
		want(t, "booking documents", page, 200, "Documents de la session", "Certificate of completion — Léa Roux",
			"Certificate of completion — Tom Blanc", "<td class=\"num\">3,5 h / 7 h</td>", "Sera produite", "Produire à nouveau")
		want(t, "unknown kind", c.Post(bdocs, url.Values{"kind": {"invoice"}}), 422, "Action refusée")
		want(t, "quotation", c.Post(fmt.Sprintf("/proposals/%d/documents", proposal.ID), nil), http.StatusSeeOther)
		want(t, "quotation listed", c.Get(fmt.Sprintf("/requests/%d", id)), 200, "Devis PDF")
		julien := webtest.New(t, f.app)
		julien.Login("julien@courtier.test", pw)
		want(t, "consultants do not edit the broker", julien.Get("/settings/broker"), 403)

		page = c.Get(fmt.Sprintf("/requests/%d", id))
		want(t, "request done", page, 200, `class="badge stage-done ok">Réalisée`)
		notWant(t, "pipeline without the done request", c.Get("/requests/pipeline"), "Excel avancé")

		// Timeline links of consultations and proposals lead to the request.
		for path, anchor := range map[string]string{fmt.Sprintf("/consultations/%d", lyonK): fmt.Sprintf("#consultation-%d", lyonK),
			fmt.Sprintf("/proposals/%d", proposal.ID): fmt.Sprintf("#proposal-%d", proposal.ID)} {
			if r := c.Get(path); r.Status != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/requests/%d%s", id, anchor) {
				t.Errorf("%s: %d %q", path, r.Status, r.Header.Get("Location"))
			}
		}
		want(t, "timeline names the consultation", page, 200, fmt.Sprintf(`href="/requests/%d#consultation-%d"`, id, lyonK))
	})
}

// TestRequestPagesRefuseUnknownIDs answers 404 for records that do not exist.
func TestRequestPagesRefuseUnknownIDs(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := login(t, f)
		for _, path := range []string{"/requests/999999", "/requests/abc", "/requests/999999/edit", "/requests/999999/proposals/new",
			"/consultations/999999", "/consultations/999999/answer", "/proposals/999999", "/proposals/999999/bookings/new",
			"/bookings/999999", "/shortlist?request=999999", "/requests/new?client=999999"} {
			want(t, path, c.Get(path), 404)
		}
		for _, path := range []string{"/requests/999999/advance", "/consultations/999999/remind", "/consultations/999999/retain",
			"/proposals/999999/send", "/proposals/999999/accept", "/bookings/999999/confirm", "/bookings/999999/attendance"} {
			want(t, path, c.Post(path, url.Values{"track": {"request"}, "to": {"cancelled"}, "reason": {"x"}}), 404)
		}
		want(t, "empty lists", c.Get("/requests"), 200, "Aucune demande.")
		want(t, "empty pipeline", c.Get("/requests/pipeline"), 200, "Qualification", "À réserver")
		want(t, "nothing waiting", c.Get("/requests/waiting"), 200, "Rien ne vous attend.")
		want(t, "no reminders", c.Get("/consultations"), 200, "Aucune consultation en attente de réponse.")
	})
}

// TestRequestCancelAndReopen cancels a request with a reason (required),
// then reopens it, from the track forms; English pages name the stages.
func TestRequestCancelAndReopen(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		n := newNeedFixture(t, f)
		r := must(f.crm.requests.Create(staffCtx(f.admin.ID), crm.RequestInput{ClientID: n.client.ID, Topic: "Habilitation électrique", Trainees: 4}))
		c := login(t, f)
		path := fmt.Sprintf("/requests/%d", r.ID)
		want(t, "request page", c.Get(path), 200, "Habilitation électrique")
		want(t, "cancel without reason", c.Post(path+"/advance", url.Values{"track": {"request"}, "to": {"cancelled"}}), 422, "Action refusée",
			`id="move_request_cancelled"`)
		want(t, "cancel", c.Post(path+"/advance", url.Values{"track": {"request"}, "to": {"cancelled"}, "reason": {"Budget gelé"}}), http.StatusSeeOther)
		page := c.Get(path)
		want(t, "cancelled", page, 200, "Annulée", "Budget gelé", "Rouvrir la demande")
		notWant(t, "no other move on a cancelled request", page, "Financement demandé")
		want(t, "funding on a cancelled request", c.Post(path+"/advance", url.Values{"track": {"funding"}, "to": {"requested"}}), 422, "Action refusée")
		want(t, "reopen", c.Post(path+"/advance", url.Values{"track": {"request"}, "to": {"open"}}), http.StatusSeeOther)
		c.Post("/lang", url.Values{"lang": {"en"}, "back": {path}})
		want(t, "english", c.Get(path), 200, "Qualifying", "Cancel the request", "Funding requested")
		// Editing keeps the tracks and checks the employees of an individual request.
		edit := url.Values{"client_id": {itoa(n.client.ID)}, "kind": {"individual"}, "topic": {"Habilitation électrique B1V"},
			"format": {"inter"}, "priority": {"urgent"}, "channel": {"email"}}
		want(t, "individual without employees", c.Post(path, edit), 422, "This field is required.")
		edit.Set("employee_ids", itoa(n.lea.ID))
		want(t, "edit", c.Post(path, edit), http.StatusSeeOther)
		got := must(f.crm.requests.Get(staffCtx(f.admin.ID), r.ID))
		if got.Topic != "Habilitation électrique B1V" || got.Priority != "urgent" || len(got.EmployeeIDs) != 1 || got.Status != crm.RequestOpen {
			t.Errorf("edited request: %+v", got)
		}
	})
}

// Every message built from a value (stage, track state, move, action…)
// exists in the catalogues.
func TestRequestMessagesExist(t *testing.T) {
	var keys []string
	for _, s := range crm.Stages {
		keys = append(keys, "requests.stage."+s)
	}
	for _, tr := range crm.Transitions {
		keys = append(keys, "requests.state."+tr.Track+"."+tr.From, "requests.state."+tr.Track+"."+tr.To, "requests.track."+tr.Track)
		if tr.Manual {
			keys = append(keys, "requests.move."+tr.Track+"."+tr.From+"."+tr.To)
		}
	}
	families := map[string][]string{
		"request.kind.": crm.RequestKinds, "request.format.": crm.RequestFormats, "request.priority.": crm.RequestPriorities,
		"request.channel.": crm.RequestChannels, "consultations.vat.": crm.VATStatuses,
		"consultations.status.": {crm.ConsultationSent, crm.ConsultationAnswered, crm.ConsultationDeclined, crm.ConsultationExpired},
		"consultations.via.":    {crm.AnsweredByForm, crm.AnsweredByPhone, crm.AnsweredByEmail},
		"proposals.status.":     {crm.ProposalDraft, crm.ProposalSent, crm.ProposalAccepted, crm.ProposalDeclined, crm.ProposalWithdrawn},
		"proposals.mode.":       crm.ContractingModes, "proposals.fee.": crm.ContractingModes,
		"bookings.status.":      {crm.BookingPlanned, crm.BookingConfirmed, crm.BookingDone, crm.BookingCancelled},
		"bookings.cost_bearer.": crm.CostBearers, "bookings.half.": {crm.Morning, crm.Afternoon}, "attendance.": crm.AttendanceMarks,
		"waiting.action.": {crm.ActionConsult, crm.ActionRemind, crm.ActionCompare, crm.ActionPropose, crm.ActionProposalExpired,
			crm.ActionFunding, crm.ActionBook, crm.ActionAttendance},
	}
	for prefix, values := range families {
		for _, v := range values {
			keys = append(keys, prefix+v)
		}
	}
	for _, k := range keys {
		if !i18n.Has(k) {
			t.Errorf("unknown message %q", k)
		}
	}
}

func itoa(n int64) string { return fmt.Sprint(n) }
