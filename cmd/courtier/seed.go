package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/fakefr"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "courtier-demo"

func seedCmd(e *env) *cobra.Command {
	var demo bool
	var scale int
	cmd := &cobra.Command{
		Use:   "seed (--demo | --scale N)",
		Short: "Fill the database with demo data, or with synthetic data of realistic size",
		Long: "--demo creates the demo staff accounts, client companies and extranet users (on an empty database).\n" +
			"--scale N adds N × 400 client companies, each with its head office, 3 contacts, 10 employees and an\n" +
			"HR administrator (invited, no password), followed by N × 3 invited consultants; N × 8,000 training\n" +
			"providers with 10 courses each; and N × 30,000 requests with their history (consultations, proposals,\n" +
			"sessions and attendance), 4% of them still open.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if demo == (scale > 0) {
				return fmt.Errorf("seed: give either --demo or --scale N")
			}
			s, err := e.openServices(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			if demo {
				logins, err := seedDemo(cmd.Context(), s)
				if err != nil {
					return err
				}
				printLogins(cmd.OutOrStdout(), logins)
				return s.db.Optimize(cmd.Context())
			}
			if err := seedScale(cmd.Context(), s, scale, cmd.ErrOrStderr()); err != nil {
				return err
			}
			if err := seedProviders(cmd.Context(), s, scale, cmd.ErrOrStderr()); err != nil {
				return err
			}
			if err := seedRequests(cmd.Context(), s, scale, cmd.ErrOrStderr()); err != nil {
				return err
			}
			return s.db.Optimize(cmd.Context())
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "create the demo data")
	cmd.Flags().IntVar(&scale, "scale", 0, "add synthetic data: N units")
	return cmd
}

// login is a demo account to print.
type login struct {
	App, Email, Name, Role string
}

// The demo's provider base and request history.
const (
	demoProviders = 400
	demoRequests  = 240
)

var demoStaff = []auth.NewUser{
	{Email: "admin@courtier.test", Name: "Claire Moreau", Role: auth.RoleAdmin},
	{Email: "conseil@courtier.test", Name: "Julien Lefèvre", Role: auth.RoleConsultant},
	{Email: "compta@courtier.test", Name: "Sophie Garnier", Role: auth.RoleAccountant},
}

// seedDemo creates the demo accounts and companies unless staff users exist
// already; it returns the logins to print either way.
func seedDemo(ctx context.Context, s *services) ([]login, error) {
	staff := auth.New(s.db, auth.Staff, auth.Options{})
	ext := auth.New(s.db, auth.Extranet, auth.Options{})
	clients := s.clients
	existing, err := staff.ListUsers(ctx, 0)
	if err != nil {
		return nil, err
	}
	if len(existing) == 0 {
		var consultant int64
		for _, u := range demoStaff {
			u.Password, u.Locale = DemoPassword, "fr"
			created, err := staff.CreateUser(ctx, u)
			if err != nil {
				return nil, fmt.Errorf("seed: %w", err)
			}
			if u.Role == auth.RoleConsultant {
				consultant = created.ID
			}
		}
		var seeded []crm.Client
		var seededContacts [][]crm.Contact
		g := fakefr.New(2026)
		roles := []string{auth.RoleHRAdmin, auth.RoleTrainingOfficer, auth.RoleManager, auth.RoleEmployee}
		for i, co := range g.UniqueCompanies(12) {
			status := crm.ClientActive
			if i >= 9 {
				status = crm.ClientProspect
			}
			c, err := clients.Create(ctx, crm.ClientInput{LegalName: co.Name, SIREN: co.SIREN, Status: status,
				AccountManagerID: &consultant, Phone: g.PhoneFor(co.Address.Department)})
			if err != nil {
				return nil, fmt.Errorf("seed: %w", err)
			}
			employees := 8
			if i < 2 {
				employees = 40
			}
			contacts, err := seedCompany(ctx, s, g, c, co, 2+i%3, employees)
			if err != nil {
				return nil, err
			}
			seeded, seededContacts = append(seeded, c), append(seededContacts, contacts)
			// The first two companies get a full set of extranet users with the
			// demo password (two, so that one company's users can check they
			// never see the other's data); the others an invited HR administrator.
			for j, role := range roles {
				if i >= 2 && j > 0 {
					break
				}
				p := g.Person()
				nu := auth.NewUser{ClientID: c.ID, Email: fakefr.Email(p, testDomain(co.Domain)), Name: p.FirstName + " " + p.LastName, Role: role, Locale: "fr"}
				if i < 2 {
					nu.Password = DemoPassword
				}
				if _, err := ext.CreateUser(ctx, nu); err != nil {
					return nil, fmt.Errorf("seed: %w", err)
				}
			}
		}
		if err := seedHistory(ctx, s, g, consultant, seeded, seededContacts); err != nil {
			return nil, fmt.Errorf("seed: history: %w", err)
		}
		// A regional provider base and two years of requests at every stage.
		if err := seedProviderCount(ctx, s, demoProviders, 2026, io.Discard); err != nil {
			return nil, err
		}
		topics := fakefr.TrainingTopics()
		if err := crm.SeedRequests(ctx, s.db, demoRequests, 2026, time.Now().UTC(),
			func(r *rand.Rand) string { return topics[r.IntN(len(topics))].Title }, nil); err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
		if err := seedPaperwork(ctx, s, demoPaperworkSessions); err != nil {
			return nil, err
		}
		// The extranet users' scopes, individual requests, training plan and budgets.
		if err := seedExtranetDemo(ctx, s, seeded[:2]); err != nil {
			return nil, err
		}
	}
	var out []login
	users, err := staff.ListUsers(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if strings.HasSuffix(u.Email, "@courtier.test") {
			out = append(out, login{App: "back office", Email: u.Email, Name: u.Name, Role: u.Role})
		}
	}
	// The client users who have a password, company by company.
	eusers, err := ext.ListUsers(ctx, 0)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(eusers, func(i, j int) bool { return eusers[i].ClientID < eusers[j].ClientID })
	for _, u := range eusers {
		if u.PasswordHash == "" {
			continue
		}
		c, err := clients.Get(ctx, u.ClientID)
		if err != nil {
			return nil, err
		}
		out = append(out, login{App: "extranet", Email: u.Email, Name: u.Name + " (" + c.LegalName + ")" + demoScope(ctx, s, u), Role: u.Role})
	}
	return out, nil
}

func printLogins(w io.Writer, logins []login) {
	fmt.Fprintf(w, "Demo logins (password for all: %s)\n", DemoPassword)
	for _, l := range logins {
		fmt.Fprintf(w, "  %-12s %-42s %-17s %s\n", l.App, l.Email, l.Role, l.Name)
	}
}

// seedScale adds synthetic client companies, each with an invited HR
// administrator and followed by one of the consultants it adds.
func seedScale(ctx context.Context, s *services, scale int, progress io.Writer) error {
	ext := auth.New(s.db, auth.Extranet, auth.Options{})
	clients := s.clients
	consultants, err := seedConsultants(ctx, s, scale)
	if err != nil {
		return err
	}
	g := fakefr.New(uint64(1000 + scale))
	n := scale * 400
	bar := progressbar.NewOptions(n, progressbar.OptionSetWriter(progress), progressbar.OptionSetDescription("client companies"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200_000_000))
	for i, co := range g.UniqueCompanies(n) {
		c, err := clients.Create(ctx, crm.ClientInput{LegalName: co.Name, SIREN: co.SIREN, Status: crm.ClientActive,
			AccountManagerID: &consultants[i%len(consultants)]})
		if err != nil {
			return fmt.Errorf("seed: company %d: %w", i+1, err)
		}
		co.Domain = fmt.Sprintf("s%d.%s", c.ID, co.Domain)
		if _, err := seedCompany(ctx, s, g, c, co, 3, 10); err != nil {
			return err
		}
		p := g.Person()
		email := fakefr.Email(p, testDomain(co.Domain))
		if _, err := ext.CreateUser(ctx, auth.NewUser{ClientID: c.ID, Email: email, Name: p.FirstName + " " + p.LastName, Role: auth.RoleHRAdmin}); err != nil {
			return fmt.Errorf("seed: user of company %d: %w", i+1, err)
		}
		bar.Add(1)
	}
	bar.Finish()
	fmt.Fprintf(progress, "\nadded %d client companies and their HR administrators\n", n)
	return nil
}

// testDomain moves a generated company domain under the reserved .test TLD,
// so that no seeded address can belong to a real mailbox.
func testDomain(domain string) string {
	return strings.TrimSuffix(domain, ".fr") + ".test"
}
