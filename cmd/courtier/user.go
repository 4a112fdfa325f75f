package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func userCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage staff users of the back office"}
	var email, name, role string
	add := &cobra.Command{
		Use:   "add --email E --name N --role admin|consultant|accountant",
		Short: "Create a staff user; the password is read from stdin, or prompted for on a terminal",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw, err := readPassword(cmd)
			if err != nil {
				return err
			}
			return e.withStaff(cmd.Context(), func(s *auth.Service) error {
				u, err := s.CreateUser(cmd.Context(), auth.NewUser{Email: email, Name: name, Role: role, Password: pw})
				if err != nil {
					return fmt.Errorf("user add: %w", err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "created staff user %d: %s <%s>, %s\n", u.ID, u.Name, u.Email, u.Role)
				return nil
			})
		},
	}
	add.Flags().StringVar(&email, "email", "", "e-mail address (the login)")
	add.Flags().StringVar(&name, "name", "", "full name")
	add.Flags().StringVar(&role, "role", auth.RoleConsultant, "admin, consultant or accountant")
	add.MarkFlagRequired("email")
	add.MarkFlagRequired("name")

	passwd := &cobra.Command{
		Use:   "passwd --email E",
		Short: "Set a staff user's password (read from stdin or prompted); ends their sessions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw, err := readPassword(cmd)
			if err != nil {
				return err
			}
			return e.withStaffUser(cmd.Context(), email, func(s *auth.Service, u auth.User) error {
				if err := s.SetPassword(cmd.Context(), u.ID, pw); err != nil {
					return fmt.Errorf("user passwd: %w", err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "password of %s changed\n", u.Email)
				return nil
			})
		},
	}
	passwd.Flags().StringVar(&email, "email", "", "e-mail address of the user")
	passwd.MarkFlagRequired("email")

	list := &cobra.Command{
		Use:   "list",
		Short: "List staff users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withStaff(cmd.Context(), func(s *auth.Service) error {
				users, err := s.ListUsers(cmd.Context(), 0)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tEMAIL\tNAME\tROLE\tACTIVE")
				for _, u := range users {
					fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%v\n", u.ID, u.Email, u.Name, u.Role, u.Active)
				}
				return w.Flush()
			})
		},
	}
	cmd.AddCommand(add, passwd, list)
	return cmd
}

// readPassword prompts twice on a terminal, or reads the first line of a piped stdin.
func readPassword(cmd *cobra.Command) (string, error) {
	in := cmd.InOrStdin()
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(cmd.ErrOrStderr(), "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cmd.ErrOrStderr())
		if err != nil {
			return "", err
		}
		fmt.Fprint(cmd.ErrOrStderr(), "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cmd.ErrOrStderr())
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", fmt.Errorf("the two passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if len([]rune(pw)) < auth.MinPasswordLength {
		return "", fmt.Errorf("the password must be at least %d characters (read from stdin)", auth.MinPasswordLength)
	}
	return pw, nil
}
