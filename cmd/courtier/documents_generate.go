package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents/pdf"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/i18n"
	"github.com/spf13/cobra"
)

// documentsGenerateCmd makes the training documents of sessions in batch:
// one booking, or every session of a status in a period (e.g. the
// certificates of last month's done sessions).
func documentsGenerateCmd(e *env) *cobra.Command {
	var bookingID int64
	var kinds []string
	var status, from, to string
	cmd := &cobra.Command{
		Use:   "generate (--booking ID | --status S --from YYYY-MM-DD [--to YYYY-MM-DD]) --kind K [--kind K…]",
		Short: "Make the documents of one session, or of every session of a status in a period",
		Long: "Makes, from the recorded data, the documents of a kind (agreement, programme, convocation,\n" +
			"attendance, certificate, realisation) for one booking, or for every booking of a status\n" +
			"(planned, confirmed, done) with a half-day in the period. A document made before becomes a\n" +
			"new version when its data changed, and stays as it is otherwise. Certificates are made only\n" +
			"for trainees who attended; the others are listed with the reason.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var wanted []pdf.Kind
			for _, k := range kinds {
				if !slices.Contains(crm.BookingKinds, pdf.Kind(k)) {
					return fmt.Errorf("documents generate: unknown kind %q (one of %v)", k, crm.BookingKinds)
				}
				wanted = append(wanted, pdf.Kind(k))
			}
			if len(wanted) == 0 {
				return fmt.Errorf("documents generate: give at least one --kind")
			}
			if (bookingID == 0) == (status == "") {
				return fmt.Errorf("documents generate: give either --booking ID or --status with --from")
			}
			s, err := e.openServices(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			ids := []int64{bookingID}
			if status != "" {
				if ids, err = bookingsIn(cmd, s, status, from, to); err != nil {
					return err
				}
			}
			out := cmd.OutOrStdout()
			made, skipped, referral, failed := 0, 0, 0, 0
			for _, id := range ids {
				for _, kind := range wanted {
					g, err := s.paperwork.GenerateForBooking(cmd.Context(), id, kind)
					switch {
					case errors.Is(err, crm.ErrReferralDocuments):
						referral++
						fmt.Fprintf(out, "booking %d  %-11s  not ours: a referral deal, the provider issues it\n", id, kind)
						continue
					case err != nil:
						failed++
						fmt.Fprintf(out, "booking %d  %-11s  refused: %s\n", id, kind, explain(err))
						continue
					}
					made += len(g.Documents)
					for _, d := range g.Documents {
						fmt.Fprintf(out, "booking %d  %-11s  document %d v%d  %s\n", id, kind, d.ID, d.CurrentVersion, d.Title)
					}
					for _, sk := range g.Skipped {
						skipped++
						fmt.Fprintf(out, "booking %d  %-11s  none for %s: %s\n", id, kind, sk.Name, sk.Reason)
					}
				}
			}
			fmt.Fprintf(out, "%d session(s), %d document(s) made or kept, %d trainee(s) without, %d referral deal(s) left to the provider, %d refused\n",
				len(ids), made, skipped, referral, failed)
			if failed > 0 {
				return fmt.Errorf("documents generate: %d generation(s) refused, see above", failed)
			}
			return nil
		},
	}
	cmd.Flags().Int64Var(&bookingID, "booking", 0, "one booking")
	cmd.Flags().StringArrayVar(&kinds, "kind", nil, "kind of document (repeat for several)")
	cmd.Flags().StringVar(&status, "status", "", "every booking of this status (planned, confirmed, done)…")
	cmd.Flags().StringVar(&from, "from", "", "…with a half-day on or after this day")
	cmd.Flags().StringVar(&to, "to", "", "…and on or before this day (default: today)")
	return cmd
}

// explain spells out a refusal in English: its fields' messages, not their keys.
func explain(err error) string {
	var inv *errs.Invalid
	if !errors.As(err, &inv) {
		return err.Error()
	}
	var msgs []string
	for field, key := range inv.Fields {
		msgs = append(msgs, field+": "+i18n.T("en", key))
	}
	slices.Sort(msgs)
	return strings.Join(msgs, "; ")
}

// bookingsIn lists the bookings of a status with a half-day in the period.
func bookingsIn(cmd *cobra.Command, s *services, status, from, to string) ([]int64, error) {
	if !slices.Contains([]string{crm.BookingPlanned, crm.BookingConfirmed, crm.BookingDone}, status) {
		return nil, fmt.Errorf("documents generate: --status %q: give planned, confirmed or done", status)
	}
	if from == "" {
		return nil, fmt.Errorf("documents generate: --status needs --from")
	}
	f, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return nil, fmt.Errorf("documents generate: --from %q is not a YYYY-MM-DD day", from)
	}
	t := time.Now().UTC().Truncate(24 * time.Hour)
	if to != "" {
		if t, err = time.Parse(time.DateOnly, to); err != nil {
			return nil, fmt.Errorf("documents generate: --to %q is not a YYYY-MM-DD day", to)
		}
	}
	var ids []int64
	for page := 1; ; page++ {
		list, total, err := s.bookings.List(cmd.Context(), crm.BookingFilter{Status: status, From: &f, To: &t,
			Page: crm.Page{Number: page, Size: 500}})
		if err != nil {
			return nil, err
		}
		for _, b := range list {
			ids = append(ids, b.ID)
		}
		if len(ids) >= total || len(list) == 0 {
			return ids, nil
		}
	}
}
