package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/spf13/cobra"
)

func tokenCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage staff API tokens for /api/v1"}
	var email, name string
	var id int64
	create := &cobra.Command{
		Use:   "create --email E [--name N]",
		Short: "Create an API token for a staff user and print it (shown once; only its hash is stored)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withStaffUser(cmd.Context(), email, func(s *auth.Service, u auth.User) error {
				plain, t, err := s.CreateToken(cmd.Context(), u.ID, name)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "token %d %q for %s; use it as \"Authorization: Bearer <token>\":\n", t.ID, t.Name, u.Email)
				fmt.Fprintln(cmd.OutOrStdout(), plain)
				return nil
			})
		},
	}
	create.Flags().StringVar(&email, "email", "", "staff user owning the token")
	create.Flags().StringVar(&name, "name", "cli", "what the token is for")
	create.MarkFlagRequired("email")

	list := &cobra.Command{
		Use:   "list --email E",
		Short: "List a staff user's tokens",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withStaffUser(cmd.Context(), email, func(s *auth.Service, u auth.User) error {
				tokens, err := s.ListTokens(cmd.Context(), u.ID)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tNAME\tPREFIX\tCREATED\tREVOKED")
				for _, t := range tokens {
					revoked := ""
					if t.RevokedAt != nil {
						revoked = t.RevokedAt.Format("2006-01-02 15:04")
					}
					fmt.Fprintf(w, "%d\t%s\t%s…\t%s\t%s\n", t.ID, t.Name, t.Prefix, t.CreatedAt.Format("2006-01-02 15:04"), revoked)
				}
				return w.Flush()
			})
		},
	}
	list.Flags().StringVar(&email, "email", "", "staff user")
	list.MarkFlagRequired("email")

	revoke := &cobra.Command{
		Use:   "revoke --email E --id N",
		Short: "Revoke one of a staff user's tokens",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withStaffUser(cmd.Context(), email, func(s *auth.Service, u auth.User) error {
				if err := s.RevokeToken(cmd.Context(), u.ID, id); err != nil {
					return fmt.Errorf("token revoke: %w", err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "token %d revoked\n", id)
				return nil
			})
		},
	}
	revoke.Flags().StringVar(&email, "email", "", "staff user owning the token")
	revoke.Flags().Int64Var(&id, "id", 0, "token id (see token list)")
	revoke.MarkFlagRequired("email")
	revoke.MarkFlagRequired("id")
	cmd.AddCommand(create, list, revoke)
	return cmd
}
