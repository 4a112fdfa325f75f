package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/fakefr"
	"github.com/schollz/progressbar/v3"
)

// Per scale unit: 30,000 requests (scale 20 reaches the 600,000 projects of
// a large intermediation platform), followed by three consultants.
const (
	requestsPerUnit    = 30000
	consultantsPerUnit = 3
)

// seedConsultants adds scale × 3 invited consultants (no password) and
// returns their ids, to follow the seeded clients.
func seedConsultants(ctx context.Context, s *services, scale int) ([]int64, error) {
	staff := auth.New(s.db, auth.Staff, auth.Options{})
	g := fakefr.New(uint64(7000 + scale))
	existing, err := staff.ListUsers(ctx, 0)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for i := range scale * consultantsPerUnit {
		p := g.Person()
		u, err := staff.CreateUser(ctx, auth.NewUser{Email: fmt.Sprintf("conseil%d@courtier.test", len(existing)+i+1),
			Name: p.FirstName + " " + p.LastName, Role: auth.RoleConsultant, Locale: "fr"})
		if err != nil {
			return nil, fmt.Errorf("seed: consultant: %w", err)
		}
		ids = append(ids, u.ID)
	}
	return ids, nil
}

// seedRequests adds scale × 30,000 requests with their history, drawn over
// the active clients, providers and staff.
func seedRequests(ctx context.Context, s *services, scale int, progress io.Writer) error {
	n := scale * requestsPerUnit
	bar := progressbar.NewOptions(n, progressbar.OptionSetWriter(progress), progressbar.OptionSetDescription("requests and sessions"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond))
	topics := fakefr.TrainingTopics()
	topic := func(r *rand.Rand) string { return topics[r.IntN(len(topics))].Title }
	if err := crm.SeedRequests(ctx, s.db, n, uint64(9000+scale), time.Now().UTC(), topic, func(done int) { bar.Set(done) }); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	bar.Finish()
	fmt.Fprintf(progress, "\nadded %d requests with their consultations, proposals and sessions\n", n)
	return nil
}
