package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/courtier-crm/courtier/documents"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

func documentsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "documents", Short: "Check the document store, make sessions' documents in batch"}
	var asJSON bool
	verify := &cobra.Command{
		Use:   "verify [--json]",
		Short: "Re-hash every stored document version and report the missing or corrupt ones (non-zero exit if any)",
		Long: "Reads every blob a document version refers to, each once, through the hash check, and\n" +
			"reports the versions whose content is missing or no longer matches its SHA-256. The exit\n" +
			"status is non-zero when anything is missing or corrupt: restore those files from a backup\n" +
			"of the blob folder (COURTIER_BLOB_DIR), then run verify again.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := e.openServices(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			var bar *progressbar.ProgressBar
			progress := func(done, total int) {
				if !isTerminal(cmd.ErrOrStderr()) {
					return
				}
				if bar == nil {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(cmd.ErrOrStderr()),
						progressbar.OptionSetDescription("blobs"), progressbar.OptionShowCount(), progressbar.OptionShowBytes(false),
						progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
				}
				_ = bar.Set(done)
			}
			rep, err := s.documents.Verify(cmd.Context(), progress)
			if bar != nil {
				_ = bar.Finish()
			}
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printVerifyReport(cmd.OutOrStdout(), rep)
			}
			if !rep.OK() {
				return fmt.Errorf("documents verify: %d missing and %d corrupt document version(s): restore them from a backup of the blob folder",
					len(rep.Missing), len(rep.Corrupt))
			}
			return nil
		},
	}
	verify.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.AddCommand(verify, documentsGenerateCmd(e))
	return cmd
}

// printVerifyReport writes the counts, then one line per problem:
// "missing|corrupt  document <id> v<version>  <sha256>  <error>".
func printVerifyReport(w io.Writer, rep documents.Report) {
	fmt.Fprintf(w, "%d versions, %d blobs, %d bytes checked\n", rep.Versions, rep.Blobs, rep.Bytes)
	for _, list := range []struct {
		what     string
		problems []documents.BlobProblem
	}{{"missing", rep.Missing}, {"corrupt", rep.Corrupt}} {
		for _, p := range list.problems {
			fmt.Fprintf(w, "%-7s  document %d v%d  %s  %s\n", list.what, p.DocumentID, p.Version, p.SHA256, p.Err)
		}
	}
}
