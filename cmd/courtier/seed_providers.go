package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/importer"
	"github.com/courtier-crm/courtier/internal/fakefr"
	"github.com/schollz/progressbar/v3"
)

// Providers and courses per unit of `seed --scale`.
const (
	providersPerUnit   = 8000
	coursesPerProvider = 10
)

// seedProviders adds scale × 8,000 synthetic providers with 10 courses
// each. Providers go through the import's batch upsert directly (the public
// list has no website, e-mail or phone, which demo providers do); courses go
// through the courses import itself, from the CSV a provider would send.
func seedProviders(ctx context.Context, s *services, scale int, progress io.Writer) error {
	return seedProviderCount(ctx, s, scale*providersPerUnit, uint64(5000+scale), progress)
}

// seedProviderCount adds n synthetic providers with their courses.
func seedProviderCount(ctx context.Context, s *services, n int, seed uint64, progress io.Writer) error {
	g := fakefr.New(seed)
	bar := progressbar.NewOptions(n, progressbar.OptionSetWriter(progress), progressbar.OptionSetDescription("providers and courses"),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(200*time.Millisecond))
	at := time.Now().UTC()
	all := g.UniqueProviders(n)
	for start := 0; start < n; start += 1000 {
		chunk := all[start:min(start+1000, n)]
		batch := make([]crm.ProviderInput, len(chunk))
		courses := make(map[string][]fakefr.Course, len(chunk))
		for i, p := range chunk {
			batch[i] = seedProviderInput(p)
			courses[p.NDA] = g.Courses(p, coursesPerProvider)
		}
		res, err := s.providers.Import(ctx, batch, at)
		if err != nil {
			return fmt.Errorf("seed: providers: %w", err)
		}
		for i, r := range res {
			if r.Err != nil {
				return fmt.Errorf("seed: provider %s: %w", chunk[i].NDA, r.Err)
			}
		}
		var file bytes.Buffer
		if err := fakefr.WriteCourses(&file, chunk, courses); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
		rep, err := importer.Courses(ctx, &file, s.courses)
		if err != nil {
			return fmt.Errorf("seed: courses: %w", err)
		}
		if rep.Rejected > 0 {
			return fmt.Errorf("seed: courses: %s, first: %s", rep.String(), rep.Errors[0].Error())
		}
		bar.Add(len(chunk))
	}
	bar.Finish()
	fmt.Fprintf(progress, "\nadded %d providers and %d courses\n", n, n*coursesPerProvider)
	return nil
}

func seedProviderInput(p fakefr.Provider) crm.ProviderInput {
	in := crm.ProviderInput{NDA: p.NDA, PreviousNDAs: strings.Join(p.PreviousNDAs, " "), Name: p.Name, SIREN: p.SIREN,
		SIRET: p.SIRET, Street: p.Address.Street, PostalCode: p.Address.PostalCode, City: p.Address.City,
		CommuneCode: p.Address.CommuneCode, RegionCode: p.RegionCode, QualiopiActions: p.Qualiopi[0],
		QualiopiSkills: p.Qualiopi[1], QualiopiVAE: p.Qualiopi[2], QualiopiApprenticeship: p.Qualiopi[3],
		Website: p.Website, Email: p.Email, Phone: p.Phone, VATExempt: p.VATExempt}
	for _, sp := range p.Specialities {
		in.NSFCodes += " " + sp.NSF
	}
	for _, v := range []struct {
		n   int
		dst **int
	}{{p.Trainees, &in.Trainees}, {p.TraineesFromOtherOF, &in.TraineesDelegated}, {p.Trainers, &in.Trainers}} {
		if v.n >= 0 {
			x := v.n
			*v.dst = &x
		}
	}
	if !p.LastDeclaration.IsZero() {
		d, s, e := p.LastDeclaration, p.FiscalStart, p.FiscalEnd
		in.LastDeclarationOn, in.FiscalStart, in.FiscalEnd = &d, &s, &e
	}
	return in
}
