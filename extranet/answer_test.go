package extranet_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/extranet"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/webtest"
	"github.com/gofiber/fiber/v2"
)

// linkSecret signs the answer links of these tests.
var linkSecret = []byte("consultation-link-key-0123456789")

// answerFixture is the extranet app with three providers consulted about
// one request of Acme, and the answer link each was mailed.
type answerFixture struct {
	app           *fiber.App
	consultations *crm.Consultations
	blobs         documents.Blobs
	blobDir       string
	cons          map[string]crm.Consultation // by provider: lyon, forma, paris
	tokens        map[string]string
	rec           *mailer.Recorder
	log           *bytes.Buffer // the app's log lines
}

var linkRe = regexp.MustCompile(`https://extranet\.test/reponse/(\S+)`)

func newAnswerFixture(t *testing.T, d *db.DB) answerFixture {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	clients, providers := crm.NewClients(d), crm.NewProviders(d)
	acme, err := clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"})
	must(err)
	rec := &mailer.Recorder{}
	f := answerFixture{rec: rec, blobDir: t.TempDir(), cons: map[string]crm.Consultation{}, tokens: map[string]string{},
		log: &bytes.Buffer{}}
	blobs, err := documents.NewLocalBlobs(f.blobDir)
	must(err)
	f.blobs = blobs
	mail := crm.NewMail(d, crm.MailConfig{Sender: rec, From: mailer.Address{Name: "Courtier", Address: "crm@courtier.test"}})
	f.consultations, err = crm.NewConsultations(d, crm.ConsultationConfig{Mail: mail, Blobs: blobs, Secret: linkSecret,
		FormURL: "https://extranet.test/reponse/"})
	must(err)
	from, to := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), time.Date(2027, 2, 26, 0, 0, 0, 0, time.UTC)
	req, err := crm.NewRequests(d).Create(ctx, crm.RequestInput{ClientID: acme.ID, Topic: "Excel avancé",
		Objectives: "Tableaux croisés dynamiques", Place: "Lyon", Trainees: 6, PeriodFrom: &from, PeriodTo: &to})
	must(err)
	var targets []crm.ConsultTarget
	emails := map[string]string{"lyon": "devis@lyonformation.fr", "forma": "contact@formaplus.fr", "paris": "devis@pariscompetences.fr"}
	names := []string{"lyon", "forma", "paris"}
	for _, n := range names {
		p, err := providers.Create(ctx, crm.ProviderInput{Name: "Formation " + n, Email: emails[n]})
		must(err)
		targets = append(targets, crm.ConsultTarget{ProviderID: p.ID})
	}
	list, err := f.consultations.Consult(ctx, crm.ConsultInput{RequestID: req.ID, Targets: targets, DueAt: time.Now().Add(5 * 24 * time.Hour)})
	must(err)
	for i, n := range names {
		f.cons[n] = list[i]
		f.tokens[n] = f.lastToken(t, emails[n])
	}
	f.app, err = extranet.New(extranet.Deps{Auth: auth.New(d, auth.Extranet, auth.Options{}), Clients: clients,
		Consultations: f.consultations, Mailer: rec, Ping: d.Ping, Logger: slog.New(slog.NewTextHandler(f.log, nil)),
		Secret: []byte("0123456789abcdef0123456789abcdef"), PublicURL: "https://extranet.test"})
	must(err)
	return f
}

// lastToken is the answer token of the last mail to address.
func (f answerFixture) lastToken(t *testing.T, address string) string {
	t.Helper()
	msgs := f.rec.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To[0].Address == address {
			if m := linkRe.FindStringSubmatch(msgs[i].Text); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no answer link mailed to %s", address)
	return ""
}

// blobCount is the number of blobs stored (files outside the store's tmp/).
func (f answerFixture) blobCount(t *testing.T) int {
	n := 0
	filepath.WalkDir(f.blobDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Base(filepath.Dir(path)) != "tmp" {
			n++
		}
		return nil
	})
	return n
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// upload is a file of a multipart post.
type upload struct {
	name string
	data []byte
}

// postMultipart submits the answer form as a browser does (multipart, with
// the cookies of c); csrf is the token of the form read before.
func postMultipart(t *testing.T, c *webtest.Client, path, csrf string, fields url.Values, file *upload) webtest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if csrf != "" {
		w.WriteField("_csrf", csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if file != nil {
		part, _ := w.CreateFormFile("programme", file.name)
		part.Write(file.data)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

func check(t *testing.T, what string, r webtest.Response, status int, contains ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d (%.400s)", what, r.Status, status, r.Body)
	}
	for _, s := range contains {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: body lacks %q", what, s)
		}
	}
}

// TestAnswerForm: a provider answers once through its link; second uses,
// tampered, expired and replaced links are refused with a page saying why;
// an oversized upload or a post without its CSRF token records nothing.
func TestAnswerForm(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newAnswerFixture(t, d)
		lyon := "/reponse/" + f.tokens["lyon"]
		c := webtest.New(t, f.app)

		form := c.Get(lyon)
		check(t, "form", form, 200, "Demande de devis : Excel avancé", "Tableaux croisés dynamiques", "Intra-entreprise", "Lyon",
			"du 04/01/2027 au 26/02/2027", `name="_csrf"`, `enctype="multipart/form-data"`, `for="price"`, "261-4-4° a", `type="date"`,
			`action="`+lyon+`/decline"`, "20 Mo au plus")
		if strings.Contains(form.Body, "Acme") {
			t.Error("the form names the client")
		}
		if form.Header.Get("X-Robots-Tag") == "" {
			t.Error("answer form not kept out of search engines")
		}
		check(t, "form in English", webtest.New(t, f.app).Get(lyon, "Accept-Language: en-GB,en"), 200,
			"Request for quotation: Excel avancé", "In-company", "Send my offer", `lang="en"`)
		csrf := csrfRe.FindStringSubmatch(form.Body)[1]
		quote := url.Values{"price": {"1 250,50"}, "vat_status": {"exempt"}, "dates": {"2027-01-11", "18/01/2027", "", ""},
			"trainer": {"Anne Morel"}, "note": {"Salle fournie par le client."}}
		pdf := []byte("%PDF-1.4 programme Excel avancé")

		// Refused before anything is stored.
		check(t, "no CSRF token", postMultipart(t, c, lyon, "", quote, &upload{"programme.pdf", pdf}), 403)
		big := bytes.Repeat([]byte("x"), crm.MaxProgrammeSize+1)
		r := postMultipart(t, c, lyon, csrf, quote, &upload{"programme.pdf", big})
		check(t, "oversized programme", r, 422, `id="programme-error"`, "Fichier trop volumineux", `value="1 250,50"`, `value="Anne Morel"`)
		check(t, "programme of another kind", postMultipart(t, c, lyon, csrf, quote, &upload{"programme.exe", pdf}), 422, "Fichier PDF ou Word attendu")
		bad := url.Values{"price": {"douze"}, "vat_status": {"exempt"}, "dates": {"31/02/2027"}}
		check(t, "unreadable price and date", postMultipart(t, c, lyon, csrf, bad, nil), 422, `id="price-error"`, "Montant en euros invalide",
			`id="dates-error"`, "Date invalide", `aria-invalid="true"`)
		check(t, "no price, no VAT status", postMultipart(t, c, lyon, csrf, url.Values{"trainer": {"X"}}, nil), 422,
			`id="price-error"`, `id="vat-error"`, "Ce champ est obligatoire")
		if k, _ := f.consultations.Get(ctx, f.cons["lyon"].ID); k.Status != crm.ConsultationSent || f.blobCount(t) != 0 {
			t.Fatalf("a refused answer was recorded: %s, %d blobs", k.Status, f.blobCount(t))
		}

		// The answer, once.
		r = postMultipart(t, c, lyon, csrf, quote, &upload{"programme.pdf", pdf})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/reponse/merci" {
			t.Fatalf("answer: %d %q %.300s", r.Status, r.Header.Get("Location"), r.Body)
		}
		check(t, "thanks", c.Get("/reponse/merci"), 200, "Merci", "Votre offre a bien été transmise")
		k, _ := f.consultations.Get(ctx, f.cons["lyon"].ID)
		if k.Status != crm.ConsultationAnswered || k.AnsweredVia != crm.AnsweredByForm || k.PriceCents == nil || *k.PriceCents != 125050 ||
			k.VATStatus != "exempt" || !slices.Equal(k.DatesOffered, []string{"2027-01-11", "2027-01-18"}) || k.Trainer != "Anne Morel" ||
			k.Note != "Salle fournie par le client." || k.Filename != "programme.pdf" || k.ContentType != "application/pdf" || k.Size != int64(len(pdf)) {
			t.Errorf("stored answer: %+v", k)
		}
		if rc, err := f.blobs.Open(ctx, k.SHA256); err != nil {
			t.Errorf("programme blob: %v", err)
		} else if blob, _ := io.ReadAll(rc); !bytes.Equal(blob, pdf) {
			t.Errorf("programme blob: %q", blob)
		}
		check(t, "link used", c.Get(lyon), 410, "Réponse déjà reçue", "ce lien ne sert qu&#39;une fois", "répondant simplement à l&#39;e-mail")
		again := url.Values{"price": {"1"}, "vat_status": {"taxable"}}
		check(t, "answer twice", postMultipart(t, c, lyon, csrf, again, nil), 410, "Réponse déjà reçue")
		check(t, "decline after answering", c.Post(lyon+"/decline", url.Values{"_csrf": {csrf}, "reason": {"x"}}), 410)
		if k, _ := f.consultations.Get(ctx, f.cons["lyon"].ID); *k.PriceCents != 125050 || k.Status != crm.ConsultationAnswered {
			t.Errorf("the second use changed the answer: %+v", k)
		}

		// Tampered links: 404, a polite page, nothing of the need.
		tok := f.tokens["forma"]
		for name, bad := range map[string]string{
			"signature altered": tok[:len(tok)-3] + "abc",
			"another id":        withPart(tok, 0, fmt.Sprint(f.cons["paris"].ID)),
			"garbage":           "n-importe-quoi",
			"life extended":     withPart(tok, 2, "4102444800"),
		} {
			r := c.Get("/reponse/" + bad)
			check(t, name, r, 404, "Lien invalide", "pas valide")
			if strings.Contains(r.Body, "Excel") || strings.Contains(r.Body, "crm:") {
				t.Errorf("%s: the refusal shows data or an error: %.300s", name, r.Body)
			}
		}
		// Expired: a link past its date (signed, so only the date is wrong), and
		// a consultation the hourly job closed.
		past := sign(f.cons["forma"].ID, f.cons["forma"].TokenSeq, time.Now().Add(-time.Hour))
		check(t, "expired link", c.Get("/reponse/"+past), 410, "Lien expiré", "délai de réponse")
		if _, err := d.Exec(ctx, "UPDATE consultations SET status = 'expired' WHERE id = ?", f.cons["paris"].ID); err != nil {
			t.Fatal(err)
		}
		check(t, "expired consultation", c.Get("/reponse/"+f.tokens["paris"]), 410, "Lien expiré")
		check(t, "answer an expired consultation", postMultipart(t, c, "/reponse/"+f.tokens["paris"], csrf, quote, nil), 410, "Lien expiré")

		// Replaced: a reminder's link voids the first one.
		if _, err := f.consultations.Remind(ctx, f.cons["forma"].ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
		fresh := "/reponse/" + f.lastToken(t, "contact@formaplus.fr")
		check(t, "replaced link", c.Get("/reponse/"+tok), 410, "Lien remplacé", "dernier e-mail")
		check(t, "the reminder's link", c.Get(fresh), 200, "Excel avancé")
		check(t, "decline without reason", c.Post(fresh+"/decline", url.Values{"reason": {" "}}), 422, `id="reason-error"`, "Indiquez le motif")
		r = c.Post(fresh+"/decline", url.Values{"reason": {"Pas de formateur disponible en janvier"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/reponse/merci?declined=1" {
			t.Fatalf("decline: %d %q", r.Status, r.Header.Get("Location"))
		}
		check(t, "thanks for declining", c.Get("/reponse/merci?declined=1"), 200, "Merci d&#39;avoir pris le temps")
		if k, _ := f.consultations.Get(ctx, f.cons["forma"].ID); k.Status != crm.ConsultationDeclined || k.DeclineReason != "Pas de formateur disponible en janvier" {
			t.Errorf("stored decline: %+v", k)
		}
		check(t, "declined link", c.Get(fresh), 410, "Réponse déjà reçue")
		if n := f.blobCount(t); n != 1 {
			t.Errorf("%d blobs stored, want the one programme", n)
		}
	})
}

// sign makes an answer token as crm signs them ("id.seq.expiry.HMAC"), to
// build a link whose only fault is its date.
func sign(id int64, seq int, exp time.Time) string {
	payload := fmt.Sprintf("%d.%d.%d", id, seq, exp.Unix())
	h := hmac.New(sha256.New, linkSecret)
	h.Write([]byte("consultation:" + payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

func withPart(token string, i int, v string) string {
	parts := strings.Split(token, ".")
	parts[i] = v
	return strings.Join(parts, ".")
}

// TestAnswerLinkNotLogged: the access log shows the answer route, never the
// token that opens it.
func TestAnswerLinkNotLogged(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newAnswerFixture(t, d)
		req := httptest.NewRequest(http.MethodGet, "/reponse/"+f.tokens["lyon"], nil)
		res, err := f.app.Test(req, -1)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("form: %v %v", res, err)
		}
		logged := f.log.String()
		if strings.Contains(logged, f.tokens["lyon"]) || !strings.Contains(logged, "path=/reponse/:token") {
			t.Errorf("log lines:\n%s", logged)
		}
	})
}
