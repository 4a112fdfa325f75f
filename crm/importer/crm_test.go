package importer

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

func TestEmployeesIntoCRM(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		client, err := crm.NewClients(d).Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := crm.NewEstablishments(d).Save(ctx, client.ID, 0, crm.EstablishmentInput{Name: "Usine de Lyon", PostalCode: "69007", City: "Lyon"}); err != nil {
			t.Fatal(err)
		}
		file := "\ufeffMatricule;Nom;Prénom;E-mail;Téléphone;Service;Établissement;Date d'entrée\n" +
			"M001;Durand;Léa;lea.durand@acme.test;06 12 34 56 78;Production;Usine de Lyon;01/09/2019\n" +
			"M002;Martin;Hugo;pas-une-adresse;;Qualité;;\n" + // bad e-mail: rejected, the rest imported
			"M003;Petit;Inès;ines.petit@acme.test;;Production;Usine de Paris;\n" + // unknown establishment
			";Sans;Matricule;;;;;\n" +
			"M004;Roux;Jean;jean.roux@acme.test;;Qualité;;15/01/2024\n"
		emp := crm.NewEmployees(d)
		rep, err := Employees(ctx, strings.NewReader(file), emp, client.ID)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Inserted != 2 || rep.Rejected != 3 {
			t.Fatalf("first import: %s %+v", rep.String(), rep.Errors)
		}
		lines := map[int]bool{}
		for _, e := range rep.Errors {
			lines[e.Line] = true
		}
		if !lines[3] || !lines[4] || !lines[5] {
			t.Errorf("rejected lines: %+v", rep.Errors)
		}
		again, err := Employees(ctx, strings.NewReader(file), emp, client.ID)
		if err != nil || again.Unchanged != 2 || again.Inserted != 0 || again.Updated != 0 {
			t.Errorf("re-import: %s %v", again.String(), err)
		}
		list, total, _ := emp.List(ctx, client.ID, crm.EmployeeFilter{})
		if total != 2 || list[0].Establishment != "Usine de Lyon" || list[0].Phone != "+33612345678" || list[0].HireDate == nil {
			t.Errorf("employees: %d %+v", total, list)
		}
	})
}

func TestCallsIntoCRM(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		client, _ := crm.NewClients(d).Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"})
		contact, err := crm.NewContacts(d).Create(ctx, crm.ContactInput{ClientID: &client.ID, LastName: "Dupont",
			Phones: []crm.Phone{{Number: "06 39 98 12 34"}}})
		if err != nil {
			t.Fatal(err)
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		calls := crm.NewCalls(d)
		run := func() Report {
			f, err := os.Open("testdata/Master.csv")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rep, err := Calls(ctx, f, calls, paris)
			if err != nil {
				t.Fatal(err)
			}
			return rep
		}
		first := run()
		if first.Inserted == 0 || first.Rejected == 0 {
			t.Fatalf("first import: %s", first.String())
		}
		second := run()
		if second.Inserted != 0 || second.Unchanged != first.Inserted+first.Unchanged {
			t.Errorf("re-import: %s after %s", second.String(), first.String())
		}
		entries, _, _ := crm.NewTimeline(d).List(ctx, crm.TimelineFilter{Record: &crm.Ref{Type: crm.RecordContact, ID: contact.ID}})
		if len(entries) != 1 || entries[0].DataMap()["direction"] != "in" || entries[0].DataMap()["duration_s"] != float64(324) {
			t.Errorf("the contact's call: %+v", entries)
		}
		triage, _ := calls.Triage(ctx, 100)
		if len(triage) == 0 {
			t.Error("calls from unknown numbers are not in triage")
		}
		for _, c := range triage {
			if c.Number == "+33639981234" {
				t.Error("a known number is in triage")
			}
		}
	})
}
