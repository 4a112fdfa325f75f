package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
)

// ImportResult is what importing one provider did.
type ImportResult struct {
	Outcome Outcome
	// Conflicts are the fields a staff member edited whose imported value
	// differs: the staff value is kept.
	Conflicts []string
	// Err is a validation error of this row (the others go on).
	Err error
}

// Import upserts a batch of providers from a public list, keyed by NDA (a
// provider whose NDA changed is found by its previous NDAs). Fields a staff
// member edited are never overwritten: they come back as conflicts. A
// provider whose imported fields are all equal is Unchanged, so importing
// the same file twice changes nothing; every provider of the batch is
// stamped with the import's time, which confirms its Qualiopi status.
// The whole batch is one transaction.
func (s *Providers) Import(ctx context.Context, batch []ProviderInput, at time.Time) ([]ImportResult, error) {
	results := make([]ImportResult, len(batch))
	at = at.UTC()
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var ndas []any
		for i := range batch {
			if err := batch[i].normalize(); err != nil {
				results[i].Err = err
				continue
			}
			ndas = append(ndas, batch[i].NDA)
			for _, prev := range strings.Fields(batch[i].PreviousNDAs) {
				ndas = append(ndas, prev)
			}
		}
		existing, err := providersByNDA(ctx, tx, ndas)
		if err != nil {
			return err
		}
		var seen []any
		var fresh []ProviderInput
		var freshAt []int
		for i := range batch {
			in := &batch[i]
			if results[i].Err != nil {
				continue
			}
			cur, ok := existing[in.NDA]
			for _, prev := range strings.Fields(in.PreviousNDAs) {
				if !ok {
					cur, ok = existing[prev]
				}
			}
			if !ok {
				if _, dup := existing[in.NDA]; dup {
					results[i].Err = fmt.Errorf("NDA %s twice in the batch: %w", in.NDA, errs.ErrConflict)
					continue
				}
				existing[in.NDA] = Provider{}
				fresh, freshAt = append(fresh, *in), append(freshAt, i)
				results[i].Outcome = Inserted
				continue
			}
			seen = append(seen, cur.ID)
			fields := importedFields
			if cur.NDA != in.NDA {
				fields = append([]string{"nda"}, importedFields...)
			}
			var changed []string
			for _, f := range diffProvider(cur.ProviderInput, *in, fields) {
				if cur.Provenance[f].Source == "staff" {
					results[i].Conflicts = append(results[i].Conflicts, f)
				} else {
					changed = append(changed, f)
				}
			}
			if len(changed) == 0 {
				results[i].Outcome = Unchanged
				continue
			}
			// Keep the staff-edited values in what is written.
			merged := cur.ProviderInput
			for _, f := range changed {
				merged.copyField(f, in)
				cur.Provenance[f] = FieldSource{Source: "import", At: at}
			}
			if err := writeProvider(ctx, tx, cur.ID, merged, cur.Provenance, changed, &at); err != nil {
				return err
			}
			if slices.Contains(changed, "name") {
				if err := reindexCourses(ctx, tx, cur.ID, merged.Name); err != nil {
					return err
				}
			}
			results[i].Outcome = Updated
		}
		if _, err := insertProviders(ctx, tx, fresh, "import", &at); err != nil {
			return err
		}
		// One statement stamps the unchanged providers seen in this list.
		for len(seen) > 0 {
			n := min(len(seen), 500)
			if _, err := tx.Exec(ctx, "UPDATE providers SET imported_at = ? WHERE id IN (?"+strings.Repeat(", ?", n-1)+")",
				append([]any{at}, seen[:n]...)...); err != nil {
				return fmt.Errorf("crm: stamp imported providers: %w", err)
			}
			seen = seen[n:]
		}
		return nil
	})
	return results, err
}

// providersByNDA loads the providers having any of the NDAs, keyed by NDA
// ("nda <> ”" lets the planner use the partial unique index).
func providersByNDA(ctx context.Context, q db.Querier, ndas []any) (map[string]Provider, error) {
	out := map[string]Provider{}
	for len(ndas) > 0 {
		n := min(len(ndas), 500)
		var rows []providerRow
		if err := q.Select(ctx, &rows, "SELECT "+providerColumns+" FROM providers WHERE nda <> '' AND nda IN (?"+strings.Repeat(", ?", n-1)+")", ndas[:n]...); err != nil {
			return nil, fmt.Errorf("crm: providers by NDA: %w", err)
		}
		for _, r := range rows {
			out[r.NDA] = r.provider()
		}
		ndas = ndas[n:]
	}
	return out, nil
}
