package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/mailsync"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

func mailCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "mail", Short: "Configure and sync the IMAP mailboxes pulled into the CRM history"}
	var in crm.MailboxInput
	var passwordStdin bool
	add := &cobra.Command{
		Use:   "add --host H --port P --tls none|starttls|tls --user U --password-stdin [--folder INBOX ...]",
		Short: "Add a mailbox; the password is read from stdin and stored encrypted",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !passwordStdin {
				return errors.New("give the password on stdin with --password-stdin (never on the command line)")
			}
			line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
			if in.Password = strings.TrimRight(line, "\r\n"); in.Password == "" {
				return fmt.Errorf("no password on stdin: %v", err)
			}
			s, err := e.openServices(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			mb, err := s.mailboxes.Create(cmd.Context(), in)
			var inv *errs.Invalid
			if errors.As(err, &inv) {
				return fmt.Errorf("mailbox refused: %s", strings.Join(fieldProblems(inv), "; "))
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "mailbox %d added: %s@%s:%d (%s), folders %s\n", mb.ID, mb.Username, mb.Host, mb.Port,
				mb.Security, strings.Join(mb.Folders, ", "))
			return nil
		},
	}
	add.Flags().StringVar(&in.Host, "host", "", "IMAP server")
	add.Flags().IntVar(&in.Port, "port", 0, "port (default 993 with tls, 143 otherwise)")
	add.Flags().StringVar(&in.Security, "tls", "tls", "none, starttls or tls")
	add.Flags().StringVar(&in.Username, "user", "", "login")
	add.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from stdin")
	add.Flags().StringSliceVar(&in.Folders, "folder", []string{"INBOX"}, "folder to watch (repeat for several)")
	add.Flags().StringVar(&in.Name, "name", "", "name shown to staff (default: the login)")
	add.Flags().StringVar(&in.Address, "address", "", "the mailbox's e-mail address, if the login is not one")
	add.MarkFlagRequired("host")
	add.MarkFlagRequired("user")

	list := &cobra.Command{
		Use:   "list",
		Short: "List the mailboxes and their last sync",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := e.openServices(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			boxes, err := s.mailboxes.List(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tNAME\tSERVER\tSECURITY\tFOLDERS\tACTIVE\tLAST SYNC\tLAST ERROR")
			for _, b := range boxes {
				last := "never"
				if b.LastSyncAt != nil {
					last = b.LastSyncAt.Format("2006-01-02 15:04:05Z")
				}
				fmt.Fprintf(w, "%d\t%s\t%s:%d\t%s\t%s\t%v\t%s\t%s\n", b.ID, b.Name, b.Host, b.Port, b.Security,
					strings.Join(b.Folders, ","), b.Active, last, b.LastError)
			}
			return w.Flush()
		},
	}

	var only int64
	sync := &cobra.Command{
		Use:   "sync [--mailbox ID]",
		Short: "Sync the active mailboxes once and exit (non-zero when a mailbox fails)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := e.openServices(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			var bar *progressbar.ProgressBar
			s.syncer.Progress = func(mailbox, folder string, done, total int) {
				if bar == nil || done == 1 {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(cmd.ErrOrStderr()),
						progressbar.OptionSetDescription(mailbox+" / "+folder), progressbar.OptionShowCount(),
						progressbar.OptionClearOnFinish())
				}
				_ = bar.Set(done)
			}
			var results []mailsync.Result
			if only != 0 {
				r, err := s.syncer.SyncMailbox(cmd.Context(), only)
				results = append(results, r)
				printResults(cmd, results)
				return err
			}
			rs, err := s.syncer.SyncAll(cmd.Context())
			results = append(results, rs...)
			if len(results) == 0 && err == nil {
				fmt.Fprintln(cmd.OutOrStdout(), "no active mailbox: add one with `courtier mail add`")
			}
			printResults(cmd, results)
			return err
		},
	}
	sync.Flags().Int64Var(&only, "mailbox", 0, "sync only this mailbox id")
	cmd.AddCommand(add, list, sync)
	return cmd
}

func printResults(cmd *cobra.Command, results []mailsync.Result) {
	for _, r := range results {
		fmt.Fprintln(cmd.OutOrStdout(), r.String())
	}
}

// fieldProblems lists a validation error's fields for a terminal.
func fieldProblems(inv *errs.Invalid) []string {
	var out []string
	for f, key := range inv.Fields {
		out = append(out, f+": "+strings.TrimPrefix(key, "error."))
	}
	return out
}
