package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/internal/imaptest"
)

// run executes the courtier command line with args against a data dir and
// returns its output and error.
func run(t *testing.T, dataDir, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := rootCmd()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(append([]string{"--data-dir", dataDir}, args...))
	t.Setenv("COURTIER_LOG_LEVEL", "error")
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

// TestMailCommands adds a mailbox on a real Dovecot from the command line,
// lists it, syncs it, and checks the failures are clear.
func TestMailCommands(t *testing.T) {
	srv := imaptest.Start(t)
	srv.AddUser(t, "crm@courtier.test", "secret")
	srv.Deliver(t, "crm@courtier.test", "INBOX", []byte("Message-ID: <a@x.example>\r\nFrom: a@x.example\r\nTo: crm@courtier.test\r\n"+
		"Subject: Bonjour\r\n\r\nUn message.\r\n"))
	dir := t.TempDir()
	port := strings.Split(srv.Addr(), ":")[1]

	if _, err := run(t, dir, "", "mail", "add", "--host", "127.0.0.1", "--port", port, "--tls", "none", "--user", "crm@courtier.test"); err == nil ||
		!strings.Contains(err.Error(), "--password-stdin") {
		t.Errorf("add without --password-stdin: %v", err)
	}
	out, err := run(t, dir, "secret\n", "mail", "add", "--host", "127.0.0.1", "--port", port, "--tls", "none",
		"--user", "crm@courtier.test", "--password-stdin", "--folder", "INBOX")
	if err != nil || !strings.Contains(out, "mailbox 1 added") {
		t.Fatalf("add: %v %s", err, out)
	}
	if _, err := run(t, dir, "x\n", "mail", "add", "--host", "", "--user", "u", "--password-stdin"); err == nil ||
		!strings.Contains(err.Error(), "host") {
		t.Errorf("add without host: %v", err)
	}
	out, err = run(t, dir, "", "mail", "sync")
	if err != nil || !strings.Contains(out, "1 fetched, 1 new") {
		t.Fatalf("sync: %v %s", err, out)
	}
	out, err = run(t, dir, "", "mail", "sync")
	if err != nil || !strings.Contains(out, "0 fetched") {
		t.Errorf("re-sync: %v %s", err, out)
	}
	out, err = run(t, dir, "", "mail", "list")
	if err != nil || !strings.Contains(out, "crm@courtier.test") || strings.Contains(out, "never") || strings.Contains(out, "secret") {
		t.Errorf("list: %v %s", err, out)
	}
	// A server that refuses the password: non-zero, and the reason.
	if _, err := run(t, dir, "wrong\n", "mail", "add", "--host", "localhost", "--port", port, "--tls", "none",
		"--user", "crm@courtier.test", "--password-stdin", "--name", "bad"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, dir, "", "mail", "sync", "--mailbox", "2"); err == nil || !strings.Contains(err.Error(), "login refused") {
		t.Errorf("sync with a wrong password: %v", err)
	}
}

// TestImportCommands imports employees with a bad row and a CDR file.
func TestImportCommands(t *testing.T) {
	dir := t.TempDir()
	if _, err := run(t, dir, "", "seed", "--demo"); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "salaries.csv")
	os.WriteFile(file, []byte("Matricule;Nom;Prénom;E-mail\nX1;Durand;Léa;lea@x.test\nX2;;Hugo;\nX3;Petit;Inès;pas-une-adresse\n"), 0o600)
	rejects := filepath.Join(dir, "rejets.csv")
	out, err := run(t, dir, "", "import", "employees", "--client", "3", "--rejects", rejects, file)
	if err != nil || !strings.Contains(out, "1 inserted") || !strings.Contains(out, "2 rejected") || !strings.Contains(out, "line 3") {
		t.Errorf("import employees: %v %s", err, out)
	}
	if b, err := os.ReadFile(rejects); err != nil || !strings.Contains(string(b), "X3;Petit") {
		t.Errorf("rejects file: %v %q", err, b)
	}
	if _, err := run(t, dir, "", "import", "employees", "--client", "999", file); err == nil {
		t.Error("import into a missing client succeeded")
	}
	out, err = run(t, dir, "", "import", "calls", "../../crm/importer/testdata/Master.csv")
	if err != nil || !strings.Contains(out, "inserted") {
		t.Errorf("import calls: %v %s", err, out)
	}
}
