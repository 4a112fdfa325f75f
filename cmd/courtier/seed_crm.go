package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/fakefr"
)

// clientRoles are the roles of the seeded contacts of a client, in order.
var clientRoles = []string{"hr_director", "training_officer", "manager", "finance"}

// seedCompany gives a seeded client its head office, departments, contacts
// and employees; contacts and employees say how many of each.
func seedCompany(ctx context.Context, s *services, g *fakefr.Gen, c crm.Client, co fakefr.Company, contacts, employees int) ([]crm.Contact, error) {
	head := crm.EstablishmentInput{SIRET: co.SIRET, Name: "Siège", AddressLine1: co.Address.Street,
		PostalCode: co.Address.PostalCode, City: co.Address.City, HeadOffice: true, Billing: true}
	_, err := s.establishments.Save(ctx, c.ID, 0, head)
	if errors.Is(err, errs.ErrConflict) {
		// A second seeding of the same scale draws the same companies again:
		// their SIRETs are taken, so these copies get none.
		head.SIRET, co.SIRET = "", ""
		_, err = s.establishments.Save(ctx, c.ID, 0, head)
	}
	if err != nil {
		return nil, fmt.Errorf("seed: establishment of %s: %w", co.Name, err)
	}
	domain := testDomain(co.Domain)
	var out []crm.Contact
	for i := range contacts {
		p := g.Person()
		civility := "M."
		if p.Gender == "Female" {
			civility = "Mme"
		}
		k, err := s.contacts.Create(ctx, crm.ContactInput{ClientID: &c.ID, Civility: civility, FirstName: p.FirstName,
			LastName: p.LastName, Role: clientRoles[i%len(clientRoles)], JobTitle: g.ContactRoleFor(p.Gender),
			Emails: []string{fakefr.Email(p, domain)},
			Phones: []crm.Phone{{Number: g.PhoneFor(co.Address.Department), Label: "bureau"}, {Number: g.Phone(), Label: "mobile"}}})
		if err != nil {
			return nil, fmt.Errorf("seed: contact of %s: %w", co.Name, err)
		}
		out = append(out, k)
	}
	for i := range employees {
		p := g.Person()
		hired := time.Date(2010+i%15, time.Month(1+i%12), 1+i%27, 0, 0, 0, 0, time.UTC)
		if _, _, err := s.employees.Upsert(ctx, c.ID, crm.EmployeeInput{ExternalID: fmt.Sprintf("M%04d", i+1),
			FirstName: p.FirstName, LastName: p.LastName, Email: fakefr.Email(p, domain), JobTitle: g.JobTitleFor(p.Gender),
			DepartmentName: g.Department(), HireDate: &hired, Establishment: co.SIRET}); err != nil {
			return nil, fmt.Errorf("seed: employee of %s: %w", co.Name, err)
		}
	}
	return out, nil
}

// seedHistory writes a believable history for the demo: providers with
// contacts, notes, meetings, calls (one from an unknown number, in triage),
// tasks (one overdue) and a few e-mails, one of them unmatched.
func seedHistory(ctx context.Context, s *services, g *fakefr.Gen, staffID int64, clients []crm.Client, contacts [][]crm.Contact) error {
	ctx = audit.WithActor(ctx, audit.Actor{Kind: audit.ActorStaff, ID: staffID, Label: "seed"})
	var provContacts []crm.Contact
	for _, name := range []string{"Forma Plus Conseil", "Institut Lumière Compétences", "Atlantique Sécurité Formation"} {
		p, err := s.providers.Create(ctx, crm.ProviderInput{Name: name})
		if err != nil {
			return err
		}
		person := g.Person()
		k, err := s.contacts.Create(ctx, crm.ContactInput{ProviderID: &p.ID, FirstName: person.FirstName, LastName: person.LastName,
			Role: "sales", Emails: []string{fakefr.Email(person, testDomain(domainOf(name)))}, Phones: []crm.Phone{{Number: g.Phone()}}})
		if err != nil {
			return err
		}
		provContacts = append(provContacts, k)
	}
	now := time.Now().UTC()
	for i, c := range clients[:min(4, len(clients))] {
		hr := contacts[i][0]
		ref, hrRef := crm.Ref{Type: crm.RecordClient, ID: c.ID}, crm.Ref{Type: crm.RecordContact, ID: hr.ID}
		topic := g.Topic()
		if _, err := s.timeline.Add(ctx, crm.NewEntry{Kind: crm.KindMeeting, OccurredAt: now.AddDate(0, 0, -20+i),
			Title: "Entretien plan de développement des compétences 2027",
			Body:  fmt.Sprintf("Besoins recensés : %s pour une dizaine de salariés ; budget à confirmer avec la direction.", topic.Title),
			Links: []crm.Ref{ref, hrRef}}); err != nil {
			return err
		}
		if _, err := s.timeline.Add(ctx, crm.NewEntry{Kind: crm.KindNote, OccurredAt: now.AddDate(0, 0, -12+i),
			Body: "Préfère être contactée le matin. Validation des départs en formation par le N+2.", Links: []crm.Ref{hrRef}}); err != nil {
			return err
		}
		if _, _, err := s.calls.Log(ctx, crm.CallInput{Direction: "out", Number: hr.Phones[0].Number, ContactID: &hr.ID,
			StartedAt: now.AddDate(0, 0, -5+i).Add(-3 * time.Hour), DurationS: 240 + 60*i, Outcome: "answered",
			Note: "Point sur les inscriptions ; envoi du programme détaillé promis."}); err != nil {
			return err
		}
		due := now.AddDate(0, 0, -2+3*i)
		if _, err := s.tasks.Create(ctx, crm.NewTask{Title: "Relancer " + hr.Name() + " pour le bon de commande",
			DueOn: &due, AssigneeID: &staffID, Links: []crm.Ref{ref, hrRef}}); err != nil {
			return err
		}
		from := crm.MailAddress{Name: hr.Name(), Email: hr.Emails[0]}
		if _, err := s.mail.Store(ctx, crm.MailInput{Key: fmt.Sprintf("demo-%d@%s", i, "demo.test"), MessageID: fmt.Sprintf("demo-%d@demo.test", i),
			Subject: "Demande de formation : " + topic.Title, SentAt: now.AddDate(0, 0, -3+i), From: []crm.MailAddress{from},
			To: []crm.MailAddress{{Email: "crm@courtier.test"}}, Cc: []crm.MailAddress{{Email: provContacts[i%3].Emails[0]}},
			Text: "Bonjour,\n\nNous souhaiterions organiser une session intra pour 8 personnes au premier trimestre.\n" +
				"Pouvez-vous nous proposer des organismes et un budget ?\n\nCordialement,\n" + hr.Name()}); err != nil {
			return err
		}
	}
	if _, _, err := s.calls.Log(ctx, crm.CallInput{Direction: "in", Number: "+33299000000", StartedAt: now.Add(-26 * time.Hour),
		DurationS: 75, Outcome: "answered", Note: "Prospect : organisme de formation souhaitant être référencé."}); err != nil {
		return err
	}
	_, err := s.mail.Store(ctx, crm.MailInput{Key: "demo-unknown@demo.test", MessageID: "demo-unknown@demo.test",
		Subject: "Catalogue 2027 des formations management", SentAt: now.Add(-30 * time.Hour),
		From: []crm.MailAddress{{Name: "Nouvel Organisme", Email: "contact@nouvel-organisme.test"}},
		To:   []crm.MailAddress{{Email: "crm@courtier.test"}}, Text: "Veuillez trouver notre nouveau catalogue."})
	return err
}

func domainOf(name string) string {
	out := []rune{}
	for _, r := range []rune(name) {
		switch {
		case r >= 'A' && r <= 'Z':
			out = append(out, r+'a'-'A')
		case r >= 'a' && r <= 'z':
			out = append(out, r)
		case r == ' ' && len(out) > 0 && out[len(out)-1] != '-':
			out = append(out, '-')
		}
	}
	return string(out) + ".fr"
}
