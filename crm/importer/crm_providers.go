package importer

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/internal/nsf"
)

// batchSize is how many rows one transaction writes: large enough to
// amortise the commit, small enough to keep memory and lock time low.
const batchSize = 1000

// batch collects rows and writes them together. The reader settles each
// row as it is read, so a row is first counted as unchanged and corrected
// when its batch is written.
type batch[T any] struct {
	lines []int
	rows  []T
	write func(ctx context.Context, rows []T) ([]crm.ImportResult, error)
	fixes Report // corrections to the reader's report
}

func (b *batch[T]) add(ctx context.Context, line int, row T) (Outcome, error) {
	b.lines, b.rows = append(b.lines, line), append(b.rows, row)
	if len(b.rows) >= batchSize {
		if err := b.flush(ctx); err != nil {
			return 0, err
		}
	}
	return Unchanged, nil
}

func (b *batch[T]) flush(ctx context.Context) error {
	if len(b.rows) == 0 {
		return nil
	}
	results, err := b.write(ctx, b.rows)
	if err != nil {
		return fmt.Errorf("lines %d–%d: %w", b.lines[0], b.lines[len(b.lines)-1], err)
	}
	for i, r := range results {
		switch {
		case r.Err != nil:
			b.fixes.Unchanged--
			b.fixes.Reject(RowError{Line: b.lines[i], Reason: r.Err.Error()})
		case r.Outcome != crm.Unchanged:
			b.fixes.Unchanged--
			b.fixes.Add(outcomes[r.Outcome])
		}
		if len(r.Conflicts) > 0 {
			b.fixes.Conflicts = append(b.fixes.Conflicts, RowError{Line: b.lines[i],
				Reason: "staff edits kept: " + strings.Join(r.Conflicts, ", ")})
		}
	}
	b.lines, b.rows = b.lines[:0], b.rows[:0]
	return nil
}

// finish writes the last batch and applies the corrections to rep.
func (b *batch[T]) finish(ctx context.Context, rep Report, readErr error) (Report, error) {
	if readErr == nil {
		readErr = b.flush(ctx)
	}
	rep.Inserted += b.fixes.Inserted
	rep.Updated += b.fixes.Updated
	rep.Unchanged += b.fixes.Unchanged
	rep.Rejected += b.fixes.Rejected
	rep.Errors = append(rep.Errors, b.fixes.Errors...)
	slices.SortStableFunc(rep.Errors, func(a, b RowError) int { return a.Line - b.Line })
	rep.Conflicts = append(rep.Conflicts, b.fixes.Conflicts...)
	return rep, readErr
}

// Providers imports the DGEFP public list of training providers (format in
// ReadProviders), upserting by NDA, 1,000 rows per transaction. at is the
// list's date: it confirms the Qualiopi status of every provider listed.
// Fields staff edited are kept and reported in Report.Conflicts.
func Providers(ctx context.Context, r io.Reader, providers *crm.Providers, at time.Time) (Report, error) {
	b := &batch[crm.ProviderInput]{write: func(ctx context.Context, rows []crm.ProviderInput) ([]crm.ImportResult, error) {
		return providers.Import(ctx, rows, at)
	}}
	rep, err := ReadProviders(ctx, r, func(ctx context.Context, line int, p ProviderRow) (Outcome, error) {
		return b.add(ctx, line, providerInput(p))
	})
	return b.finish(ctx, rep, err)
}

// providerInput maps a row of the public list to the provider's fields.
func providerInput(p ProviderRow) crm.ProviderInput {
	in := crm.ProviderInput{NDA: p.NDA, PreviousNDAs: strings.Join(p.PreviousNDAs, " "), Name: p.Name, SIREN: p.SIREN,
		SIRET: p.SIRET, Street: p.Street, PostalCode: p.PostalCode, City: p.City, RegionCode: p.RegionCode,
		QualiopiActions: p.QualiopiActions, QualiopiSkills: p.QualiopiSkillsAssessment, QualiopiVAE: p.QualiopiVAE,
		QualiopiApprenticeship: p.QualiopiApprenticeship}
	for _, s := range p.Specialities {
		// An unknown code is left out rather than failing the whole row.
		if group, _ := nsf.Split(s.Code); group != "" {
			if _, ok := nsf.Lookup(group); ok {
				in.NSFCodes += " " + group
			}
		}
	}
	for _, n := range []struct {
		v   int
		dst **int
	}{{p.Trainees, &in.Trainees}, {p.TraineesFromOtherOF, &in.TraineesDelegated}, {p.Trainers, &in.Trainers}} {
		if n.v >= 0 {
			v := n.v
			*n.dst = &v
		}
	}
	for _, d := range []struct {
		v   time.Time
		dst **time.Time
	}{{p.LastDeclaration, &in.LastDeclarationOn}, {p.FiscalStart, &in.FiscalStart}, {p.FiscalEnd, &in.FiscalEnd}} {
		if !d.v.IsZero() {
			v := d.v
			*d.dst = &v
		}
	}
	if f := p.Foreign; f != nil {
		in.ForeignOrg = strings.Join(slices.DeleteFunc([]string{f.Name, f.Street, strings.TrimSpace(f.PostalCode + " " + f.City), f.Country},
			func(s string) bool { return s == "" }), ", ")
	}
	return in
}

// Courses imports a courses file (format in ReadCourses), upserting each
// course by its provider and reference, 1,000 rows per transaction.
func Courses(ctx context.Context, r io.Reader, courses *crm.Courses) (Report, error) {
	b := &batch[crm.ImportedCourse]{write: courses.Import}
	rep, err := ReadCourses(ctx, r, func(ctx context.Context, line int, c CourseRow) (Outcome, error) {
		return b.add(ctx, line, importedCourse(c))
	})
	return b.finish(ctx, rep, err)
}

func importedCourse(c CourseRow) crm.ImportedCourse {
	in := crm.CourseInput{Ref: c.Ref, Title: c.Title, Objectives: c.Objectives, Programme: c.Programme,
		Prerequisites: c.Prerequisites, Modality: c.Modality, Intra: c.Intra, Inter: c.Inter, Communes: c.Communes,
		Languages: c.Languages, Certification: c.Certification, CPF: c.CPF, NSFCode: c.NSF}
	if c.DurationHours > 0 {
		in.DurationHours = &c.DurationHours
	}
	if c.DurationDays > 0 {
		in.DurationDays = &c.DurationDays
	}
	if c.PricePerTraineeCents >= 0 {
		in.PriceTraineeCents = &c.PricePerTraineeCents
	}
	if c.PricePerGroupDayCents >= 0 {
		in.PriceGroupDayCents = &c.PricePerGroupDayCents
	}
	if c.MaxGroupSize > 0 {
		in.MaxGroupSize = &c.MaxGroupSize
	}
	for _, d := range c.NextSessions {
		in.NextSessions = append(in.NextSessions, d.Format(time.DateOnly))
	}
	if !c.LastConfirmed.IsZero() {
		in.LastConfirmedOn = &c.LastConfirmed
	}
	return crm.ImportedCourse{ProviderNDA: c.ProviderNDA, ProviderSIRET: c.ProviderSIRET, CourseInput: in}
}
