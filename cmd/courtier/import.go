package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/courtier-crm/courtier/crm/importer"
	"github.com/spf13/cobra"
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
	for _, c := range []*cobra.Command{employees, calls} {
		c.Flags().StringVar(&rejects, "rejects", "", "write the rejected rows to this CSV file (line;reason;row)")
	}
	cmd.AddCommand(employees, calls)
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
	rep, err := run(s, f)
	out := cmd.OutOrStdout()
	fmt.Fprintln(out, rep.String())
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
