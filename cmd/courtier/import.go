package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/courtier-crm/courtier/crm/importer"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func importCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "import", Short: "Import CSV files (bad rows are reported with their line; the rest is imported)"}
	var rejects string
	var clientID int64
	employees := &cobra.Command{
		Use:   "employees --client ID FILE",
		Short: "Import a client's employees (see docs/imports.md); a re-import updates by external id",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.runImport(cmd, args[0], rejects, func(s *services, r io.Reader) (importer.Report, error) {
				if _, err := s.clients.Get(cmd.Context(), clientID); err != nil {
					return importer.Report{}, fmt.Errorf("client %d: %w", clientID, err)
				}
				return importer.Employees(cmd.Context(), r, s.employees, clientID)
			})
		},
	}
	employees.Flags().Int64Var(&clientID, "client", 0, "client company id")
	employees.MarkFlagRequired("client")

	var tz string
	calls := &cobra.Command{
		Use:   "calls FILE",
		Short: "Import an Asterisk CDR file (Master.csv); calls are linked to contacts by number, the rest go to triage",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := time.LoadLocation(tz)
			if err != nil {
				return fmt.Errorf("--timezone: %w", err)
			}
			return e.runImport(cmd, args[0], rejects, func(s *services, r io.Reader) (importer.Report, error) {
				return importer.Calls(cmd.Context(), r, s.calls, loc)
			})
		},
	}
	calls.Flags().StringVar(&tz, "timezone", "Europe/Paris", "time zone of the CDR times (Asterisk writes local time)")
	var listDate string
	providers := &cobra.Command{
		Use:   "providers FILE",
		Short: "Import the DGEFP public list of training providers (upsert by NDA; staff edits are kept and reported)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			at := time.Now().UTC()
			if listDate != "" {
				d, err := time.Parse(time.DateOnly, listDate)
				if err != nil {
					return fmt.Errorf("--list-date: want YYYY-MM-DD: %w", err)
				}
				at = d
			}
			return e.runImport(cmd, args[0], rejects, func(s *services, r io.Reader) (importer.Report, error) {
				return importer.Providers(cmd.Context(), r, s.providers, at)
			})
		},
	}
	providers.Flags().StringVar(&listDate, "list-date", "", "publication date of the list, YYYY-MM-DD (default: today): it confirms the providers' Qualiopi status")
	courses := &cobra.Command{
		Use:   "courses FILE",
		Short: "Import providers' courses (see docs/imports.md); upsert by provider and course reference",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.runImport(cmd, args[0], rejects, func(s *services, r io.Reader) (importer.Report, error) {
				return importer.Courses(cmd.Context(), r, s.courses)
			})
		},
	}
	for _, c := range []*cobra.Command{employees, calls, providers, courses} {
		c.Flags().StringVar(&rejects, "rejects", "", "write the rejected rows to this CSV file (line;reason;row)")
	}
	cmd.AddCommand(employees, calls, providers, courses)
	return cmd
}

// runImport opens the file and the services, runs the import and prints
// its summary and rejected rows; it fails only on an error that stopped
// the import (a bad row is reported, not fatal).
func (e *env) runImport(cmd *cobra.Command, path, rejects string, run func(*services, io.Reader) (importer.Report, error)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := e.openServices(cmd.Context())
	if err != nil {
		return err
	}
	defer s.Close()
	// A progress bar on a terminal, by bytes read; silent otherwise.
	var in io.Reader = f
	if st, serr := f.Stat(); serr == nil && isTerminal(cmd.ErrOrStderr()) {
		bar := progressbar.DefaultBytes(st.Size(), filepath.Base(path))
		in = io.TeeReader(f, bar)
		defer bar.Finish()
	}
	start := time.Now()
	rep, err := run(s, in)
	if err == nil && rep.Inserted+rep.Updated > 0 {
		err = s.db.Optimize(cmd.Context())
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "%s (%s)\n", rep.String(), time.Since(start).Round(10*time.Millisecond))
	for i, c := range rep.Conflicts {
		if i == 20 {
			fmt.Fprintf(out, "… and %d more rows whose staff edits were kept\n", len(rep.Conflicts)-20)
			break
		}
		fmt.Fprintf(out, "  line %d: %s\n", c.Line, c.Reason)
	}
	for i, r := range rep.Errors {
		if i == 20 {
			fmt.Fprintf(out, "… and %d more rejected rows (use --rejects FILE)\n", len(rep.Errors)-20)
			break
		}
		fmt.Fprintf(out, "  %s\n", r.Error())
	}
	if rejects != "" && len(rep.Errors) > 0 {
		w, werr := os.Create(rejects)
		if werr == nil {
			werr = rep.WriteRejects(w)
			if cerr := w.Close(); werr == nil {
				werr = cerr
			}
		}
		if werr != nil {
			return fmt.Errorf("write %s: %w", rejects, werr)
		}
		fmt.Fprintf(out, "rejected rows written to %s\n", rejects)
	}
	return err
}

// isTerminal reports whether w is a terminal (progress bars only there).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
