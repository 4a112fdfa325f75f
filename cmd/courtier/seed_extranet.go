package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/i18n"
)

// seedExtranetDemo brings every extranet page of the demo companies alive
// (those whose users have the demo password): the manager answers for the
// company's largest department, the employee user is an employee of it;
// individual requests wait at every step; the year's training plan was
// presented to the works council, then reopened and changed (the diff page
// shows it); budget envelopes are set per department and funding source.
func seedExtranetDemo(ctx context.Context, s *services, clients []crm.Client) error {
	ext := auth.New(s.db, auth.Extranet, auth.Options{})
	for _, c := range clients {
		users, err := ext.ListUsers(ctx, c.ID)
		if err != nil {
			return err
		}
		byRole := map[string]auth.User{}
		for _, u := range users {
			if u.PasswordHash != "" {
				byRole[u.Role] = u
			}
		}
		hrUser, okHR := byRole[auth.RoleHRAdmin]
		mgrUser, okMgr := byRole[auth.RoleManager]
		empUser, okEmp := byRole[auth.RoleEmployee]
		if !okHR || !okMgr || !okEmp {
			continue
		}
		if err := seedClientExtranet(ctx, s, c, hrUser, mgrUser, empUser); err != nil {
			return fmt.Errorf("seed: extranet of %s: %w", c.LegalName, err)
		}
	}
	return nil
}

func seedClientExtranet(ctx context.Context, s *services, c crm.Client, hrUser, mgrUser, empUser auth.User) error {
	var emps []struct {
		ID           int64  `db:"id"`
		DepartmentID *int64 `db:"department_id"`
	}
	if err := s.db.Select(ctx, &emps, "SELECT id, department_id FROM employees WHERE client_id = ? AND active = TRUE ORDER BY id", c.ID); err != nil {
		return err
	}
	depts, err := s.establishments.Departments(ctx, c.ID)
	if err != nil {
		return err
	}
	if len(emps) < 6 || len(depts) == 0 {
		return nil
	}
	// The departments by head count, largest first; the manager answers for the largest.
	count := map[int64]int{}
	for _, e := range emps {
		if e.DepartmentID != nil {
			count[*e.DepartmentID]++
		}
	}
	slices.SortStableFunc(depts, func(a, b crm.Department) int { return cmp.Compare(count[b.ID], count[a.ID]) })
	main := depts[0]
	var inMain, others []int64
	for _, e := range emps {
		if e.DepartmentID != nil && *e.DepartmentID == main.ID {
			inMain = append(inMain, e.ID)
		} else {
			others = append(others, e.ID)
		}
	}
	if len(inMain) < 4 || len(others) < 2 {
		return nil
	}
	if _, err := s.viewers.Assign(ctx, c.ID, mgrUser.ID, crm.Assignment{DepartmentIDs: []int64{main.ID}}); err != nil {
		return err
	}
	if _, err := s.viewers.Assign(ctx, c.ID, empUser.ID, crm.Assignment{EmployeeID: &inMain[0]}); err != nil {
		return err
	}
	hr, err := s.viewers.Load(ctx, hrUser.ID)
	if err != nil {
		return err
	}
	mgr, err := s.viewers.Load(ctx, mgrUser.ID)
	if err != nil {
		return err
	}
	emp, err := s.viewers.Load(ctx, empUser.ID)
	if err != nil {
		return err
	}
	if err := seedWishes(ctx, s, hr, mgr, emp, inMain, others); err != nil {
		return fmt.Errorf("wishes: %w", err)
	}
	// The plan and budgets are HR's work.
	ctx = audit.WithActor(ctx, audit.Actor{Kind: audit.ActorExtranet, ID: hr.UserID, Label: hr.Name})
	if err := seedPlan(ctx, s, c, depts); err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	if err := seedEnvelopes(ctx, s, c, depts); err != nil {
		return fmt.Errorf("budgets: %w", err)
	}
	return nil
}

// seedWishes leaves individual requests at every step of their workflow.
func seedWishes(ctx context.Context, s *services, hr, mgr, emp crm.Viewer, inMain, others []int64) error {
	today := time.Now().In(i18n.Paris)
	date := func(months int) *time.Time {
		t := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
		return &t
	}
	cents := func(euros int64) *int64 { c := euros * 100; return &c }
	interview := date(-2)
	type step struct {
		by      crm.Viewer
		emp     int64 // 0: the submitter's own record
		in      crm.WishInput
		actions func(w crm.Wish) error
	}
	steps := []step{
		// Awaiting the manager.
		{emp, 0, crm.WishInput{Topic: "Excel perfectionnement : tableaux croisés dynamiques",
			Justification: "Les reportings mensuels me prennent deux jours ; je voudrais les automatiser.",
			PeriodFrom:    date(2), PeriodTo: date(4), EstimatedCostCents: cents(690), InterviewDate: interview}, nil},
		{mgr, inMain[1], crm.WishInput{Topic: "Habilitation électrique B1V",
			Justification: "Nécessaire pour intervenir sur les armoires de l'atelier.", EstimatedCostCents: cents(480)}, nil},
		// Approved by the manager, awaiting HR.
		{hr, inMain[2], crm.WishInput{Topic: "Management transversal",
			Justification: "Prend la coordination du projet de déménagement.", PeriodFrom: date(3), PeriodTo: date(5),
			EstimatedCostCents: cents(1450), InterviewDate: interview}, func(w crm.Wish) error {
			_, err := s.wishes.ManagerDecide(ctx, mgr, w.ID, true, "")
			return err
		}},
		// Refused by the manager: HR arbitrates.
		{hr, inMain[3], crm.WishInput{Topic: "Anglais professionnel (TOEIC)", Justification: "Projet de mobilité interne.",
			EstimatedCostCents: cents(1800), CPFCoFunding: true, CPFAmountCents: cents(900)}, func(w crm.Wish) error {
			_, err := s.wishes.ManagerDecide(ctx, mgr, w.ID, false, "Pas prioritaire cette année au regard de la charge de l'équipe.")
			return err
		}},
		// Approved by both and sent to the broker as a request.
		{mgr, inMain[1], crm.WishInput{Topic: "Sauveteur secouriste du travail (SST)",
			Justification: "L'atelier n'a plus qu'un SST depuis un départ.", EstimatedCostCents: cents(320)}, func(w crm.Wish) error {
			if _, err := s.wishes.HRArbitrate(ctx, hr, w.ID, true, ""); err != nil {
				return err
			}
			return nil
		}},
		// Refused by HR.
		{hr, others[0], crm.WishInput{Topic: "MBA exécutif", Justification: "Souhait d'évolution vers la direction.",
			EstimatedCostCents: cents(32000)}, func(w crm.Wish) error {
			_, err := s.wishes.HRArbitrate(ctx, hr, w.ID, false, "Coût hors enveloppe ; à revoir au prochain entretien.")
			return err
		}},
		// Withdrawn by the employee.
		{emp, 0, crm.WishInput{Topic: "Photoshop initiation", Justification: "Pour la newsletter interne.",
			EstimatedCostCents: cents(750)}, func(w crm.Wish) error {
			_, err := s.wishes.Withdraw(ctx, emp, w.ID, "La communication s'en charge finalement.")
			return err
		}},
		// Awaiting HR directly: an employee of another department.
		{hr, others[1], crm.WishInput{Topic: "Gestion du stress", Justification: "Demande exprimée à l'entretien annuel.",
			EstimatedCostCents: cents(540), InterviewDate: interview}, nil},
	}
	for _, st := range steps {
		st.in.EmployeeID = st.emp
		w, err := s.wishes.Submit(ctx, st.by, st.in)
		if err != nil {
			return fmt.Errorf("%s: %w", st.in.Topic, err)
		}
		if st.actions != nil {
			if err := st.actions(w); err != nil {
				return fmt.Errorf("%s: %w", st.in.Topic, err)
			}
		}
	}
	return nil
}

// seedPlan writes the year's plan: ten lines, frozen after the CSE, then
// reopened with a line changed, one removed and one added.
func seedPlan(ctx context.Context, s *services, c crm.Client, depts []crm.Department) error {
	year := time.Now().In(i18n.Paris).Year()
	plan, err := s.plans.Create(ctx, c.ID, crm.PlanInput{Year: year, Title: fmt.Sprintf("Plan de développement des compétences %d", year)})
	if err != nil {
		return err
	}
	dept := func(i int) *int64 {
		if i < 0 {
			return nil // the whole company
		}
		return &depts[i%len(depts)].ID
	}
	period := func(from, to time.Month) (*time.Time, *time.Time) {
		a, b := time.Date(year, from, 1, 0, 0, 0, 0, time.UTC), time.Date(year, to+1, 0, 0, 0, 0, 0, time.UTC)
		return &a, &b
	}
	lines := []crm.PlanLineInput{
		{Title: "Sauveteur secouriste du travail (SST)", DepartmentID: dept(-1), Population: "Référents sécurité", Trainees: 12,
			Priority: "high", Category: crm.CategoryMandatory, EstimatedCostCents: 384000, FundingSource: crm.SourceCompany},
		{Title: "Habilitation électrique B1V - BR", DepartmentID: dept(0), Population: "Techniciens de maintenance", Trainees: 6,
			Priority: "urgent", Category: crm.CategoryMandatory, EstimatedCostCents: 288000, FundingSource: crm.SourceOPCO},
		{Title: "CACES R489 chariots élévateurs", DepartmentID: dept(0), Population: "Caristes", Trainees: 8,
			Priority: "high", Category: crm.CategoryMandatory, EstimatedCostCents: 520000, FundingSource: crm.SourceOPCO},
		{Title: "Management d'équipe : les fondamentaux", DepartmentID: dept(1), Population: "Nouveaux managers", Trainees: 5,
			Category: crm.CategoryDevelopment, EstimatedCostCents: 725000, FundingSource: crm.SourceCompany},
		{Title: "Excel perfectionnement", DepartmentID: dept(2), Population: "Assistants et comptables", Trainees: 10,
			Priority: "low", Category: crm.CategoryDevelopment, EstimatedCostCents: 350000, FundingSource: crm.SourceCompany},
		{Title: "Anglais professionnel", DepartmentID: dept(1), Population: "Commerciaux export", Trainees: 4,
			Category: crm.CategoryDevelopment, EstimatedCostCents: 720000, FundingSource: crm.SourceCPF, Notes: "Abondement CPF"},
		{Title: "Prévention des risques psychosociaux", DepartmentID: dept(-1), Population: "Managers", Trainees: 15,
			Category: crm.CategoryMandatory, EstimatedCostCents: 450000, FundingSource: crm.SourceCompany},
		{Title: "Recyclage gestes et postures", DepartmentID: dept(0), Population: "Opérateurs", Trainees: 20,
			Category: crm.CategoryMandatory, EstimatedCostCents: 240000, FundingSource: crm.SourceOPCO},
		{Title: "Négociation commerciale", DepartmentID: dept(1), Population: "Commerciaux", Trainees: 6,
			Category: crm.CategoryDevelopment, EstimatedCostCents: 540000, FundingSource: crm.SourceOPCO},
		{Title: "RGPD : sensibilisation", DepartmentID: dept(2), Population: "Tous services support", Trainees: 25,
			Priority: "low", Category: crm.CategoryMandatory, EstimatedCostCents: 125000, FundingSource: crm.SourceCompany},
	}
	var added []crm.PlanLine
	for i, in := range lines {
		in.PeriodFrom, in.PeriodTo = period(time.Month(1+i%9), time.Month(3+i%9))
		l, err := s.plans.AddLine(ctx, c.ID, plan.ID, in)
		if err != nil {
			return fmt.Errorf("%s: %w", in.Title, err)
		}
		added = append(added, l)
	}
	// Presented to the CSE a few weeks ago (this year if it has begun long enough).
	cse := time.Now().In(i18n.Paris).AddDate(0, 0, -21)
	if cse.Year() < year {
		cse = time.Now().In(i18n.Paris)
	}
	if _, err := s.plans.Freeze(ctx, c.ID, plan.ID, cse); err != nil {
		return err
	}
	if _, err := s.plans.Reopen(ctx, c.ID, plan.ID); err != nil {
		return err
	}
	// After the CSE: more caristes to train, psychosocial risks postponed, a new line.
	changed := lines[2]
	changed.PeriodFrom, changed.PeriodTo = added[2].PeriodFrom, added[2].PeriodTo
	changed.Trainees, changed.EstimatedCostCents = 12, 780000
	if _, err := s.plans.UpdateLine(ctx, c.ID, added[2].ID, changed); err != nil {
		return err
	}
	if err := s.plans.RemoveLine(ctx, c.ID, added[6].ID); err != nil {
		return err
	}
	from, to := period(9, 11)
	_, err = s.plans.AddLine(ctx, c.ID, plan.ID, crm.PlanLineInput{Title: "Conduite du changement : nouvel ERP",
		DepartmentID: dept(2), Population: "Utilisateurs clés", Trainees: 9, Priority: "high", Category: crm.CategoryDevelopment,
		PeriodFrom: from, PeriodTo: to, EstimatedCostCents: 410000, FundingSource: crm.SourceCompany})
	return err
}

// seedEnvelopes sets the year's budget: per department and source for the
// three largest departments, plus the company-wide CPF co-funding.
func seedEnvelopes(ctx context.Context, s *services, c crm.Client, depts []crm.Department) error {
	year := time.Now().In(i18n.Paris).Year()
	envs := []crm.EnvelopeInput{{Year: year, FundingSource: crm.SourceCPF, AmountCents: 1000000, Label: "Abondement CPF"}}
	for i, d := range depts[:min(3, len(depts))] {
		envs = append(envs,
			crm.EnvelopeInput{Year: year, DepartmentID: &d.ID, FundingSource: crm.SourceCompany, AmountCents: int64(1200000 - 300000*i)},
			crm.EnvelopeInput{Year: year, DepartmentID: &d.ID, FundingSource: crm.SourceOPCO, AmountCents: int64(800000 - 200000*i),
				Label: "Plan OPCO"})
	}
	for _, in := range envs {
		if _, err := s.budgets.Create(ctx, c.ID, in); err != nil {
			return err
		}
	}
	return nil
}

// demoScope tells, for the printed logins, the departments a user manages
// and the employee record they are.
func demoScope(ctx context.Context, s *services, u auth.User) string {
	v, err := s.viewers.Load(ctx, u.ID)
	if err != nil {
		return ""
	}
	out := ""
	if len(v.DepartmentIDs) > 0 {
		depts, err := s.establishments.Departments(ctx, v.ClientID)
		if err != nil {
			return ""
		}
		for _, d := range depts {
			if slices.Contains(v.DepartmentIDs, d.ID) {
				out += ", manages " + d.Name
			}
		}
	}
	if v.EmployeeID != nil {
		if e, err := s.employees.Get(ctx, v.ClientID, *v.EmployeeID); err == nil {
			out += ", is employee " + e.Name()
		}
	}
	return out
}
