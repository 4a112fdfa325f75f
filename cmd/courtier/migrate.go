package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/migrations"
	"github.com/spf13/cobra"
)

func migrateCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate [up|status]",
		Short: "Apply pending database migrations (up, the default) or list them (status)",
		Long: "Applies the embedded SQL migrations of the database's dialect in one transaction, under a lock,\n" +
			"so that two processes starting at once apply each migration once. `serve` does the same at start-up.",
		Args:      cobra.MaximumNArgs(1),
		ValidArgs: []string{"up", "status"},
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := e.cfg.Finish(); err != nil {
				return err
			}
			d, err := db.Open(ctx, e.cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer d.Close()
			out := cmd.OutOrStdout()
			if len(args) == 1 && args[0] == "status" {
				states, err := migrations.Status(ctx, d.Writer(), string(d.Dialect()))
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintf(w, "VERSION\tNAME\tAPPLIED\n")
				for _, s := range states {
					at := "pending"
					if s.AppliedAt != nil {
						at = s.AppliedAt.Format("2006-01-02 15:04:05Z07:00")
					}
					fmt.Fprintf(w, "%05d\t%s\t%s\n", s.Version, s.Name, at)
				}
				return w.Flush()
			}
			if len(args) == 1 && args[0] != "up" {
				return fmt.Errorf("migrate: unknown action %q (up or status)", args[0])
			}
			ran, err := migrations.Up(ctx, d.Writer(), string(d.Dialect()))
			if err != nil {
				return err
			}
			for _, m := range ran {
				fmt.Fprintf(out, "applied %s\n", m.Name)
			}
			fmt.Fprintf(out, "database %s is up to date (%d applied now)\n", d.Dialect(), len(ran))
			return nil
		},
	}
	return cmd
}
