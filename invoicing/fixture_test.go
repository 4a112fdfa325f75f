package invoicing

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/invoicing/facturx"
	"github.com/courtier-crm/courtier/invoicing/tax"
)

// fixture is a broker with its profile and a seller profile, and a way to
// make clients of every regime.
type fixture struct {
	t       *testing.T
	d       *db.DB
	ctx     context.Context
	svc     *Service
	docs    *documents.Service
	clients *crm.Clients
	ests    *crm.Establishments
	rec     *mailer.Recorder
	staffID int64
	today   time.Time
	vies    *tax.FakeVIES
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	return newFixtureIn(t, d, t.TempDir(), true)
}

// newFixtureIn builds the services on d with blobs in dir; setup also
// records the staff user, the broker's profile and its seller profile
// (a child process of the crash test reuses what its parent recorded).
func newFixtureIn(t *testing.T, d *db.DB, dir string, setup bool) *fixture {
	t.Helper()
	f := &fixture{t: t, d: d, clients: crm.NewClients(d), ests: crm.NewEstablishments(d), rec: &mailer.Recorder{},
		today: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	now := time.Now().UTC()
	if setup {
		f.must(d.ExecReturning(ctx, &f.staffID, `INSERT INTO staff_users (email, name, role, created_at, updated_at)
			VALUES ('compta@courtier.test', 'Anne Compta', 'admin', ?, ?) RETURNING id`, now, now))
	} else {
		f.must(d.Get(ctx, &f.staffID, `SELECT id FROM staff_users WHERE email = 'compta@courtier.test'`))
	}
	f.ctx = audit.WithActor(ctx, audit.Actor{Kind: audit.ActorStaff, ID: f.staffID, Label: "Anne Compta"})
	blobs, err := documents.NewLocalBlobs(dir)
	f.must(err)
	f.docs, err = documents.NewService(d, documents.Options{Blobs: blobs})
	f.must(err)
	broker := crm.NewBroker(d)
	mail := crm.NewMail(d, crm.MailConfig{Sender: f.rec, From: mailer.Address{Name: "Courtier", Address: "compta@courtier.test"}})
	paperwork := crm.NewPaperwork(crm.PaperworkDeps{Documents: f.docs, Blobs: blobs, Broker: broker, Clients: f.clients,
		Establishments: f.ests, Now: func() time.Time { return f.today }})
	f.vies = &tax.FakeVIES{}
	f.svc = New(d, Config{Documents: f.docs, Paperwork: paperwork, Clients: f.clients, Mail: mail, VIES: f.vies,
		Now: func() time.Time { return f.today }})
	if !setup {
		return f
	}
	_, err = broker.SaveProfile(f.ctx, crm.BrokerProfile{LegalName: "Cœur Formation Conseil", LegalForm: "SAS",
		Street: "12 rue de la Forêt", PostalCode: "75011", City: "Paris", SIRET: "73282932000074", RCS: "RCS Paris 732 829 320",
		VATNumber: "FR44732829320", NDA: "11755555575", NDARegion: "Île-de-France", Email: "facturation@coeur-formation.fr"})
	f.must(err)
	_, err = f.svc.SaveSellerProfile(f.ctx, SellerProfile{ValidFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		VATScheme: "NORMAL", ShareCapital: 1000000, IBAN: "FR7630006000011234567890189", BIC: "AGRIFRPP",
		BankName: "Crédit Agricole", PaymentTermsDays: 30, InvoiceFormat: "F{YYYY}-{NNNNNN}", CreditFormat: "AV{YYYY}-{NNNNNN}"})
	f.must(err)
	return f
}

func (f *fixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// clientSpec describes a client by what decides its regime.
type clientSpec struct {
	name, country, postCode, siren, siret, vat string
	public, individual, vatValid               bool
	lang                                       string
}

func (f *fixture) client(s clientSpec) int64 {
	f.t.Helper()
	c, err := f.clients.Create(f.ctx, crm.ClientInput{LegalName: s.name, SIREN: s.siren, Country: s.country, VATNumber: s.vat,
		PublicBody: s.public, Status: "active", BillingEmail: "compta@" + strings.ToLower(strings.Fields(s.name)[0]) + ".example",
		ChorusServiceCode: map[bool]string{true: "SERV-FORM"}[s.public]})
	f.must(err)
	city := map[string]string{"": "Lyon", "FR": "Lyon", "DE": "Berlin", "GB": "London", "BE": "Bruxelles", "CH": "Genève"}[s.country]
	if city == "" {
		city = "Capitale"
	}
	postCode := s.postCode
	if postCode == "" {
		postCode = "69002"
	}
	if s.country == "" || s.country == "FR" {
		city = map[string]string{"69002": "Lyon", "97200": "Fort-de-France", "97300": "Cayenne"}[postCode]
	}
	_, err = f.ests.Save(f.ctx, c.ID, 0, crm.EstablishmentInput{SIRET: s.siret, Name: "Siège", AddressLine1: "4 place du Château",
		PostalCode: postCode, City: city, Country: or(s.country, "FR"), HeadOffice: true, Billing: true})
	f.must(err)
	if s.individual {
		_, err = f.svc.SetClientTax(f.ctx, c.ID, ClientTaxInput{Individual: true})
		f.must(err)
	}
	if s.vatValid {
		_, err = f.svc.ConfirmVAT(f.ctx, c.ID, "attestation VIES du 2026-11-20")
		f.must(err)
	}
	if s.lang != "" {
		_, err = f.d.Exec(f.ctx, `UPDATE clients SET doc_language = ? WHERE id = ?`, s.lang, c.ID)
		f.must(err)
	}
	return c.ID
}

// training is one day of training at price cents.
func training(price int64) LineInput {
	return LineInput{Label: "Excel — tableaux croisés dynamiques", Detail: "Du 2/11/2026 au 3/11/2026 — 14 h",
		ServiceKind: tax.TrainingFPC, QuantityMilli: 2000, Unit: "day", UnitPrice: price}
}

func (f *fixture) draft(clientID int64, lines ...LineInput) Invoice {
	f.t.Helper()
	start, end := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
	inv, err := f.svc.CreateDraft(f.ctx, DraftInput{ClientID: clientID, Lines: lines, ServiceStart: &start, ServiceEnd: &end,
		PurchaseOrder: "BC-2026-0456"})
	f.must(err)
	return inv
}

func (f *fixture) issue(id int64) Invoice {
	f.t.Helper()
	inv, err := f.svc.Issue(f.ctx, id, IssueOptions{})
	f.must(err)
	return inv
}

// pdfText is the text of an issued document's stored PDF (pdftotext).
func (f *fixture) pdfText(inv Invoice) string {
	f.t.Helper()
	content := f.pdfBytes(inv)
	bin := tool(f.t, "pdftotext", "poppler-utils")
	dir := os.Getenv("COURTIER_INVOICE_ARTEFACTS") // to look at the PDFs the tests issue
	if dir == "" {
		dir = f.t.TempDir()
	}
	path := filepath.Join(dir, strings.ReplaceAll(f.t.Name(), "/", "_")+"-"+*inv.Number+".pdf")
	f.must(os.WriteFile(path, content, 0o600))
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	f.must(err)
	return strings.Join(strings.Fields(strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2212", "-").Replace(string(out))), " ")
}

func (f *fixture) pdfBytes(inv Invoice) []byte {
	f.t.Helper()
	r, _, err := f.svc.PDF(f.ctx, inv)
	f.must(err)
	defer r.Close()
	var b strings.Builder
	_, err = io.Copy(&b, r)
	f.must(err)
	return []byte(b.String())
}

// tool finds a command; under CI=true a missing one fails the test.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	bin, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI (apt-get install %s): %v", name, pkg, err)
		}
		t.Skipf("%s not installed (%s): skipping outside CI only", name, pkg)
	}
	return bin
}

// eInvoice extracts the Factur-X XML of an issued document and checks it:
// the schema (xmllint), the totals rules, and the hash recorded at issue.
func (f *fixture) eInvoice(inv Invoice) []byte {
	f.t.Helper()
	xml, err := facturx.Extract(f.pdfBytes(inv))
	f.must(err)
	f.must(facturx.CheckXML(xml))
	if sha(xml) != inv.XMLSHA256 {
		f.t.Errorf("%s: the embedded XML is not the one recorded at issue", *inv.Number)
	}
	path := filepath.Join(f.t.TempDir(), "factur-x.xml")
	f.must(os.WriteFile(path, xml, 0o600))
	out, err := exec.Command(tool(f.t, "xmllint", "libxml2-utils"), "--noout", "--schema",
		"facturx/testdata/factur-x-en16931-xsd/Factur-X_EN16931.xsd", path).CombinedOutput()
	if err != nil {
		f.t.Fatalf("%s: the e-invoice does not validate: %v\n%s", *inv.Number, err, out)
	}
	return xml
}
