package crm

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

// fixture builds the records most tests need: two clients with contacts and a provider.
type fixture struct {
	clients   *Clients
	contacts  *Contacts
	providers *Providers
	timeline  *Timeline
	acme      Client
	perrin    Client
	marie     Contact // HR director at Acme
	paul      Contact // manager at Acme
	forma     Provider
	formaBob  Contact // sales at Forma Plus
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{clients: NewClients(d), contacts: NewContacts(d), providers: NewProviders(d), timeline: NewTimeline(d)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	f.acme, err = f.clients.Create(ctx, ClientInput{LegalName: "Acme Industrie", SIREN: "732 829 320", Status: ClientActive})
	must(err)
	f.perrin, err = f.clients.Create(ctx, ClientInput{LegalName: "Boulangeries Perrin"})
	must(err)
	f.marie, err = f.contacts.Create(ctx, ContactInput{ClientID: &f.acme.ID, FirstName: "Marie", LastName: "Durand",
		Role: "hr_director", Emails: []string{"Marie.Durand@acme-industrie.fr"}, Phones: []Phone{{Number: "01 23 45 67 89", Label: "bureau"}}})
	must(err)
	f.paul, err = f.contacts.Create(ctx, ContactInput{ClientID: &f.acme.ID, FirstName: "Paul", LastName: "Martin",
		Role: "manager", Emails: []string{"paul.martin@acme-industrie.fr"}})
	must(err)
	f.forma, err = f.providers.Create(ctx, ProviderInput{Name: "Forma Plus"})
	must(err)
	f.formaBob, err = f.contacts.Create(ctx, ContactInput{ProviderID: &f.forma.ID, FirstName: "Bob", LastName: "Lefèvre",
		Role: "sales", Emails: []string{"contact@formaplus.fr"}, Phones: []Phone{{Number: "+33 6 12 34 56 78"}}})
	must(err)
	return f
}

func TestClients(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		if f.acme.SIREN != "732829320" || f.acme.VATNumber != "FR44732829320" || f.acme.Country != "FR" {
			t.Errorf("identity not normalised: %+v", f.acme.ClientInput)
		}
		if f.perrin.Status != ClientProspect {
			t.Errorf("default status %q", f.perrin.Status)
		}
		// Validation: each bad field named, nothing written.
		n0, _ := f.clients.Count(ctx)
		_, err := f.clients.Create(ctx, ClientInput{LegalName: " ", SIREN: "123456789", Country: "France",
			VATNumber: "FR00732829320", BillingEmail: "compta@", Phone: "12", Status: "vip"})
		var inv *errs.Invalid
		if !errors.As(err, &inv) {
			t.Fatalf("got %v, want *errs.Invalid", err)
		}
		for _, field := range []string{"legal_name", "siren", "country", "vat_number", "billing_email", "phone", "status"} {
			if inv.Fields[field] == "" {
				t.Errorf("no message for %s (got %v)", field, inv.Fields)
			}
		}
		if n, _ := f.clients.Count(ctx); n != n0 {
			t.Errorf("a rejected client was written")
		}
		// A status change is written to the timeline.
		in := f.perrin.ClientInput
		in.Status = ClientActive
		in.PublicBody, in.ChorusServiceCode = true, "SERV-42"
		up, err := f.clients.Update(ctx, f.perrin.ID, in)
		if err != nil || up.Status != ClientActive || up.ChorusServiceCode != "SERV-42" {
			t.Fatalf("update: %+v %v", up, err)
		}
		entries, _, err := f.timeline.List(ctx, TimelineFilter{Record: &Ref{RecordClient, f.perrin.ID}, Kinds: []string{KindStatusChange}})
		if err != nil || len(entries) != 1 || entries[0].DataMap()["to"] != ClientActive {
			t.Errorf("status change entry: %+v %v", entries, err)
		}
		// Search by accent-less words, by SIREN, by SIRET of an establishment.
		est := NewEstablishments(d)
		if _, err := est.Save(ctx, f.acme.ID, 0, EstablishmentInput{SIRET: "73282932000074", Name: "Siège",
			PostalCode: "69003", City: "lyon", HeadOffice: true}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			filter ClientFilter
			want   []string
		}{
			{ClientFilter{Query: "boulangerie"}, []string{"Boulangeries Perrin"}},
			{ClientFilter{Query: "ACME indus"}, []string{"Acme Industrie"}},
			{ClientFilter{Query: "732829320"}, []string{"Acme Industrie"}},
			{ClientFilter{Query: "732 829 320 00074"}, []string{"Acme Industrie"}},
			{ClientFilter{Status: ClientActive}, []string{"Acme Industrie", "Boulangeries Perrin"}},
			{ClientFilter{Query: "zzz"}, nil},
		}
		for _, c := range cases {
			rows, total, err := f.clients.List(ctx, c.filter)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.LegalName)
			}
			if len(got) != len(c.want) || total != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) {
				t.Errorf("%+v: got %v (total %d), want %v", c.filter, got, total, c.want)
			}
		}
		rows, _, _ := f.clients.List(ctx, ClientFilter{Query: "acme"})
		if rows[0].City != "Lyon" {
			t.Errorf("head office city: got %q", rows[0].City)
		}
	})
}

func TestEstablishments(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		est := NewEstablishments(d)
		cases := []struct {
			in    EstablishmentInput
			field string
		}{
			{EstablishmentInput{SIRET: "73282932000075"}, "siret"},
			{EstablishmentInput{SIRET: "55210055400013"}, "siret"}, // valid SIRET of another SIREN
			{EstablishmentInput{PostalCode: "99999", City: "Nulle part"}, "postal_code"},
			{EstablishmentInput{PostalCode: "69003", City: "Paris"}, "city"},
		}
		for _, c := range cases {
			_, err := est.Save(ctx, f.acme.ID, 0, c.in)
			var inv *errs.Invalid
			if !errors.As(err, &inv) || inv.Fields[c.field] == "" {
				t.Errorf("%+v: got %v, want an error on %s", c.in, err, c.field)
			}
		}
		a, err := est.Save(ctx, f.acme.ID, 0, EstablishmentInput{Name: "Lyon", PostalCode: "69003", City: "Lyon", HeadOffice: true})
		if err != nil || a.CommuneCode != "69123" {
			t.Fatalf("save: %+v %v", a, err)
		}
		b, err := est.Save(ctx, f.acme.ID, 0, EstablishmentInput{Name: "Paris", PostalCode: "75015", City: "paris", HeadOffice: true})
		if err != nil {
			t.Fatal(err)
		}
		list, _ := est.List(ctx, f.acme.ID)
		if len(list) != 2 || list[0].ID != b.ID || list[1].HeadOffice {
			t.Errorf("one head office expected, the last marked: %+v", list)
		}
		// Another client's establishment cannot be edited through this client.
		if _, err := est.Save(ctx, f.perrin.ID, a.ID, EstablishmentInput{Name: "x"}); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("cross-client update: got %v, want ErrNotFound", err)
		}
	})
}

func TestContacts(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		if f.marie.Emails[0] != "marie.durand@acme-industrie.fr" || f.marie.Phones[0].Number != "+33123456789" {
			t.Errorf("channels not normalised: %v %v", f.marie.Emails, f.marie.Phones)
		}
		if f.marie.OwnerName != "Acme Industrie" || f.formaBob.OwnerName != "Forma Plus" {
			t.Errorf("owner names: %q %q", f.marie.OwnerName, f.formaBob.OwnerName)
		}
		_, err := f.contacts.Create(ctx, ContactInput{ClientID: &f.acme.ID, ProviderID: &f.forma.ID, LastName: "X"})
		if !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("two owners: got %v", err)
		}
		_, err = f.contacts.Create(ctx, ContactInput{ProviderID: &f.forma.ID, LastName: "X", Role: "hr_director"})
		if !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("client role on a provider contact: got %v", err)
		}
		byMail, _ := ByEmails(ctx, d, []string{"contact@formaplus.fr", "nobody@x.fr"})
		if len(byMail["contact@formaplus.fr"]) != 1 || len(byMail["nobody@x.fr"]) != 0 {
			t.Errorf("ByEmails: %v", byMail)
		}
		byTel, _ := ByPhone(ctx, d, "+33612345678")
		if len(byTel) != 1 || byTel[0].ID != f.formaBob.ID {
			t.Errorf("ByPhone: %v", byTel)
		}
		list, total, _ := f.contacts.List(ctx, ContactFilter{ClientID: f.acme.ID})
		if total != 2 || len(list) != 2 || list[0].LastName != "Durand" || list[0].PrimaryMail == "" {
			t.Errorf("client contacts: %d %+v", total, list)
		}
		list, _, _ = f.contacts.List(ctx, ContactFilter{Query: "lefevre"})
		if len(list) != 1 || list[0].ID != f.formaBob.ID {
			t.Errorf("accent-insensitive name search: %+v", list)
		}
		list, _, _ = f.contacts.List(ctx, ContactFilter{Query: "@acme-industrie"})
		if len(list) != 2 {
			t.Errorf("search by address: %d", len(list))
		}
		in := f.paul.ContactInput
		in.Emails = []string{"p.martin@acme-industrie.fr", "paul.martin@acme-industrie.fr"}
		in.Active = false
		up, err := f.contacts.Update(ctx, f.paul.ID, in)
		if err != nil || len(up.Emails) != 2 || up.Emails[0] != "p.martin@acme-industrie.fr" || up.Active {
			t.Errorf("update: %+v %v", up, err)
		}
	})
}

func TestEmployeesUpsert(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		emp := NewEmployees(d)
		birth := time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC)
		in := EmployeeInput{ExternalID: "M001", FirstName: "Léa", LastName: "Roux", Email: "lea.roux@acme-industrie.fr",
			DepartmentName: "Production", BirthDate: &birth}
		e, out, err := emp.Upsert(ctx, f.acme.ID, in)
		if err != nil || out != Inserted || e.Department != "Production" || e.BirthDate.Format(time.DateOnly) != "1990-05-17" {
			t.Fatalf("insert: %+v %v %v", e, out, err)
		}
		if _, out, _ := emp.Upsert(ctx, f.acme.ID, in); out != Unchanged {
			t.Errorf("same row again: got %v, want Unchanged", out)
		}
		in.JobTitle, in.DepartmentName = "Opératrice", "production" // same department, other case
		if e2, out, _ := emp.Upsert(ctx, f.acme.ID, in); out != Updated || e2.ID != e.ID {
			t.Errorf("changed row: got %v id %d, want Updated id %d", out, e2.ID, e.ID)
		}
		deps, _ := NewEstablishments(d).Departments(ctx, f.acme.ID)
		if len(deps) != 1 {
			t.Errorf("departments: %+v", deps)
		}
		// The same external id at another client is another person.
		if _, out, _ := emp.Upsert(ctx, f.perrin.ID, in); out != Inserted {
			t.Errorf("other client: got %v", out)
		}
		if _, err := emp.Get(ctx, f.perrin.ID, e.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("employee of another client: got %v, want ErrNotFound", err)
		}
		_, _, err = emp.Upsert(ctx, f.acme.ID, EmployeeInput{ExternalID: "M2", LastName: "X", Establishment: "73282932000074"})
		if !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("unknown establishment: got %v", err)
		}
		list, total, _ := emp.List(ctx, f.acme.ID, EmployeeFilter{Query: "lea"})
		if total != 1 || list[0].JobTitle != "Opératrice" {
			t.Errorf("list: %d %+v", total, list)
		}
	})
}
