package imaptest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
)

// message returns a small CRLF message whose body names i.
func message(i int) []byte {
	return fmt.Appendf(nil, "From: a@example.fr\r\nTo: crm@test.local\r\nSubject: message %d\r\n\r\nbody %d\r\n", i, i)
}

// login connects to the plain listener and logs in.
func login(t *testing.T, s *Server, user, password string) *client.Client {
	t.Helper()
	c, err := client.Dial(s.Addr())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Logout() })
	if err := c.Login(user, password); err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return c
}

// fetchAll returns UID → body of every message of the folder, and the folder status.
func fetchAll(t *testing.T, c *client.Client, folder string) (*imap.MailboxStatus, []uint32, [][]byte) {
	t.Helper()
	mbox, err := c.Select(folder, true)
	if err != nil {
		t.Fatalf("examine %q: %v", folder, err)
	}
	if mbox.Messages == 0 {
		return mbox, nil, nil
	}
	seq := new(imap.SeqSet)
	seq.AddRange(1, 0)
	section := &imap.BodySectionName{Peek: true}
	ch := make(chan *imap.Message)
	done := make(chan error, 1)
	go func() { done <- c.UidFetch(seq, []imap.FetchItem{imap.FetchUid, section.FetchItem()}, ch) }()
	var uids []uint32
	var bodies [][]byte
	for m := range ch {
		b, _ := io.ReadAll(m.GetBody(section))
		uids = append(uids, m.Uid)
		bodies = append(bodies, b)
	}
	if err := <-done; err != nil {
		t.Fatalf("fetch: %v", err)
	}
	return mbox, uids, bodies
}

func TestStartListenersAndLogin(t *testing.T) {
	t.Parallel()
	t0 := time.Now()
	s := Start(t)
	t.Logf("started in %s (root: %v)", time.Since(t0), os.Geteuid() == 0)

	tests := []struct {
		name     string
		dial     func() (*client.Client, error)
		password string
		wantErr  bool
	}{
		{"plain", func() (*client.Client, error) { return client.Dial(s.Addr()) }, s.Password, false},
		{"starttls", func() (*client.Client, error) {
			c, err := client.Dial(s.Addr())
			if err == nil {
				err = c.StartTLS(s.ClientTLSConfig())
			}
			return c, err
		}, s.Password, false},
		{"tls", func() (*client.Client, error) { return client.DialTLS(s.TLSAddr(), s.ClientTLSConfig()) }, s.Password, false},
		{"wrong password", func() (*client.Client, error) { return client.Dial(s.Addr()) }, "nope", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.dial()
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			defer c.Logout()
			t0 := time.Now()
			err = c.Login(s.User, tt.password)
			if (err != nil) != tt.wantErr {
				t.Fatalf("login: got %v, want error %v", err, tt.wantErr)
			}
			// auth_failure_delay = 0: a refused login must not cost the default 2 s.
			if d := time.Since(t0); d > time.Second {
				t.Errorf("login took %s", d)
			}
		})
	}
}

func TestDeliverKeepsOrderBytesAndUnseen(t *testing.T) {
	t.Parallel()
	s := Start(t)
	s.AddUser(t, "other@test.local", "pw2")
	s.CreateFolder(t, "other@test.local", "Éléments envoyés")
	for _, folder := range []string{"INBOX", "Éléments envoyés"} {
		for i := 1; i <= 30; i++ {
			s.Deliver(t, "other@test.local", folder, message(i))
		}
	}
	// A bare-LF message is served with CRLF and counted so by RFC822.SIZE.
	s.Deliver(t, "other@test.local", "INBOX", []byte("Subject: lf\n\nbody\n"))

	c := login(t, s, "other@test.local", "pw2")
	for _, folder := range []string{"INBOX", "Éléments envoyés"} {
		t.Run(folder, func(t *testing.T) {
			_, uids, bodies := fetchAll(t, c, folder)
			if len(uids) < 30 {
				t.Fatalf("got %d messages, want at least 30", len(uids))
			}
			for i := 0; i < 30; i++ {
				if uids[i] != uint32(i+1) {
					t.Errorf("message %d: got UID %d, want %d", i+1, uids[i], i+1)
				}
				if !bytes.Equal(bodies[i], message(i+1)) {
					t.Errorf("UID %d: got %q, want %q", uids[i], bodies[i], message(i+1))
				}
			}
			unseen, err := c.UidSearch(&imap.SearchCriteria{WithoutFlags: []string{imap.SeenFlag}})
			if err != nil {
				t.Fatal(err)
			}
			if len(unseen) != len(uids) {
				t.Errorf("got %d unseen, want %d", len(unseen), len(uids))
			}
		})
	}
	_, _, bodies := fetchAll(t, c, "INBOX")
	if got, want := string(bodies[30]), "Subject: lf\r\n\r\nbody\r\n"; got != want {
		t.Errorf("bare-LF message: got %q, want %q", got, want)
	}
}

func TestDeliverManyIsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 messages: skipped with -short")
	}
	t.Parallel()
	s := Start(t)
	body := bytes.Repeat([]byte("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n"), 85)
	t0 := time.Now()
	const n = 10000
	for i := range n {
		s.Deliver(t, s.User, "INBOX", append(message(i), body...))
	}
	d := time.Since(t0)
	t.Logf("delivered %d messages of %d bytes in %s (%.0f msg/s)", n, len(message(0))+len(body), d, n/d.Seconds())
	if d > 20*time.Second {
		t.Errorf("delivery took %s", d)
	}
	t0 = time.Now()
	if _, next := s.Status(t, s.User, "INBOX"); next != n+1 {
		t.Errorf("got UIDNEXT %d, want %d", next, n+1)
	}
	t.Logf("first status (Dovecot indexes %d new files) took %s", n, time.Since(t0))
}

func TestResetUIDValidity(t *testing.T) {
	t.Parallel()
	s := Start(t)
	s.CreateFolder(t, s.User, "Archives")
	for i := 1; i <= 3; i++ {
		s.Deliver(t, s.User, "Archives", message(i))
	}
	// One message seen, to show flags survive.
	c := login(t, s, s.User, s.Password)
	before, uids, bodies := fetchAll(t, c, "Archives")
	if _, err := c.Select("Archives", false); err != nil {
		t.Fatal(err)
	}
	seq := new(imap.SeqSet)
	seq.AddNum(2)
	if err := c.UidStore(seq, imap.FormatFlagsOp(imap.AddFlags, true), []any{imap.SeenFlag}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Logout(); err != nil {
		t.Fatal(err)
	}

	s.ResetUIDValidity(t, s.User, "Archives")

	c = login(t, s, s.User, s.Password)
	after, newUIDs, newBodies := fetchAll(t, c, "Archives")
	t.Logf("UIDVALIDITY %d → %d, UIDs %v → %v", before.UidValidity, after.UidValidity, uids, newUIDs)
	if after.UidValidity == before.UidValidity {
		t.Errorf("UIDVALIDITY unchanged: %d", after.UidValidity)
	}
	if want := []uint32{4, 5, 6}; fmt.Sprint(newUIDs) != fmt.Sprint(want) {
		t.Errorf("got UIDs %v, want %v", newUIDs, want)
	}
	for i := range bodies {
		if !bytes.Equal(bodies[i], newBodies[i]) {
			t.Errorf("message %d changed", i)
		}
	}
	seen, err := c.UidSearch(&imap.SearchCriteria{WithFlags: []string{imap.SeenFlag}})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[5]" {
		t.Errorf("got seen %v, want [5]", seen)
	}
}

// TestUnprivileged runs the tests above as nobody when we are root, so CI
// keeps the non-root mode (developers' machines) working.
func TestUnprivileged(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("already unprivileged: this re-run as nobody is for root, as in CI")
	}
	runuser, err := exec.LookPath("runuser")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("runuser not found (util-linux): the unprivileged re-run cannot happen under CI=true")
		}
		t.Skip("runuser not found (util-linux); skipped outside CI only")
	}
	if _, _, err := binaries(); err != nil {
		fatalOrSkip(t, err)
	}
	t.Parallel()
	// The test binary sits in a private go-build directory: copy it where
	// nobody can run it.
	dir, err := os.MkdirTemp("", "imaptest-bin-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "imaptest.test")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(runuser, "-u", "nobody", "--", bin, "-test.v", "-test.short",
		"-test.run", "^(TestStartListenersAndLogin|TestDeliverKeepsOrderBytesAndUnseen|TestResetUIDValidity)$")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TMPDIR=/tmp", "HOME=/tmp")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "\nPASS") || strings.Contains(string(out), "SKIP") {
		t.Fatalf("tests as nobody: %v\n%s", err, out)
	}
	t.Logf("as nobody:\n%s", out)
}

func TestUserValidation(t *testing.T) {
	s := &Server{Dir: t.TempDir()}
	for _, tt := range []struct{ user, password string }{{"", "x"}, {"a:b", "x"}, {"a/b", "x"}, {"a", "x\ny"}} {
		if err := s.addUser(tt.user, tt.password); err == nil {
			t.Errorf("addUser(%q, %q): got nil, want error", tt.user, tt.password)
		}
	}
}

// Dovecot caches a passwd-file for a second: a user added right after a
// login must still be able to log in.
func TestAddUserLogsInAtOnce(t *testing.T) {
	t.Parallel()
	s := Start(t)
	login(t, s, s.User, s.Password)
	for i := range 3 {
		user := fmt.Sprintf("u%d@test.local", i)
		s.AddUser(t, user, "pw")
		login(t, s, user, "pw")
	}
}

// recordTB captures how a helper ends a test.
type recordTB struct {
	testing.TB
	skipped, fatal string
}

func (r *recordTB) Helper()                   {}
func (r *recordTB) Skip(args ...any)          { r.skipped = fmt.Sprint(args...); runtime.Goexit() }
func (r *recordTB) Fatal(args ...any)         { r.fatal = fmt.Sprint(args...); runtime.Goexit() }
func (r *recordTB) Fatalf(f string, a ...any) { r.fatal = fmt.Sprintf(f, a...); runtime.Goexit() }

func TestMissingDovecotFailsUnderCIOnly(t *testing.T) {
	tests := []struct {
		ci          string
		wantSkipped string
		wantFatal   string
	}{
		{ci: "true", wantFatal: "dovecot is not installed: apt-get install dovecot-imapd"},
		{ci: "", wantSkipped: "dovecot is not installed: apt-get install dovecot-imapd (skipped outside CI only)"},
	}
	for _, tt := range tests {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			r := &recordTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				fatalOrSkip(r, fmt.Errorf("start: %w", errNotInstalled))
			}()
			<-done
			if r.skipped != tt.wantSkipped || r.fatal != tt.wantFatal {
				t.Errorf("got skip %q, fatal %q; want skip %q, fatal %q", r.skipped, r.fatal, tt.wantSkipped, tt.wantFatal)
			}
		})
	}
}

func TestStartFailureShowsDovecotLog(t *testing.T) {
	dovecot, doveadm, err := binaries()
	if err != nil {
		fatalOrSkip(t, err)
	}
	t0 := time.Now()
	s, err := startOnce(dovecot, doveadm, "no_such_setting = 1\n")
	if err == nil {
		s.Stop()
		t.Fatal("started with a broken config")
	}
	if !strings.Contains(err.Error(), "dovecot did not start: master exited") || !strings.Contains(err.Error(), "no_such_setting") {
		t.Errorf("got %v, want the master's exit and its complaint", err)
	}
	t.Logf("error: %v", err)
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("failing took %s", d)
	}
}
