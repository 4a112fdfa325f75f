package imaptest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// AddUser adds a mailbox user with a plain-text password; the user can log
// in at once.
func (s *Server) AddUser(t testing.TB, user, password string) {
	t.Helper()
	if err := s.addUser(user, password); err != nil {
		t.Fatalf("imaptest: %v", err)
	}
}

// addUser writes one passwd-file per user. With a single file, Dovecot
// stats it at most once a second, so a user added right after a login
// would be refused; a file it has not seen yet is always read.
func (s *Server) addUser(user, password string) error {
	// The passwd-file format is colon-separated lines, and the user name is
	// a file and directory name.
	if user == "" || user[0] == '.' || strings.ContainsAny(user, ":/\r\n\x00") || strings.ContainsAny(password, ":\r\n\x00") {
		return fmt.Errorf("add user %q: user must be non-empty, not start with '.', be free of ':', '/' and newlines; password free of ':' and newlines", user)
	}
	path := filepath.Join(s.Dir, "users", user)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("add user %q: %w", user, err)
	}
	_, err = fmt.Fprintf(f, "%s:{PLAIN}%s\n", user, password)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("add user %q: %w", user, err)
	}
	return nil
}

// CreateFolder creates a folder (IMAP name, any Unicode, "." as hierarchy
// separator) in the user's mailbox. It fails the test if it already exists.
func (s *Server) CreateFolder(t testing.TB, user, folder string) {
	t.Helper()
	if _, err := s.doveadmRun("mailbox", "create", "-u", user, folder); err != nil {
		t.Fatalf("imaptest: create folder %q of %s: %v", folder, user, err)
	}
}

// Deliver puts a message into a folder as new mail (unseen, \Recent), the way
// an MDA does: written into the Maildir's tmp/, then renamed into new/.
// Messages delivered to a folder get increasing UIDs in delivery order.
// raw should use CRLF line ends, as IMAP always serves them: then FETCH
// BODY[] returns exactly raw. Other folders than INBOX must exist
// (CreateFolder). It is cheap (no process, a handful of system calls), so
// tests may deliver thousands of messages.
func (s *Server) Deliver(t testing.TB, user, folder string, raw []byte) {
	t.Helper()
	if err := s.deliver(user, folder, raw); err != nil {
		t.Fatalf("imaptest: %v", err)
	}
}

func (s *Server) deliver(user, folder string, raw []byte) error {
	dir, err := s.folderDir(user, folder)
	if err != nil {
		return fmt.Errorf("deliver to %q of %s: %w", folder, user, err)
	}
	// Dovecot gives new files their UIDs sorted by the seconds, then the
	// microseconds (M) of the name, so a counter in M keeps delivery order.
	// S and W (the size with CRLF line ends) spare Dovecot reading the file
	// to answer RFC822.SIZE; both must be exact.
	n := s.seq.Add(1)
	name := fmt.Sprintf("%d.M%dP%d.imaptest,S=%d,W=%d", s.epoch, n, os.Getpid(), len(raw), crlfSize(raw))
	tmp := filepath.Join(dir, "tmp", name)
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		return fmt.Errorf("deliver to %q of %s: %w", folder, user, err)
	}
	if s.chown {
		if err := os.Chown(tmp, s.mailUID, s.mailGID); err != nil {
			return fmt.Errorf("deliver to %q of %s: %w", folder, user, err)
		}
	}
	if err := os.Rename(tmp, filepath.Join(dir, "new", name)); err != nil {
		return fmt.Errorf("deliver to %q of %s: %w", folder, user, err)
	}
	return nil
}

// crlfSize is the size of raw once every bare LF is sent as CRLF.
func crlfSize(raw []byte) int {
	size := len(raw)
	for i, b := range raw {
		if b == '\n' && (i == 0 || raw[i-1] != '\r') {
			size++
		}
	}
	return size
}

// folderDir returns the Maildir directory of a folder, asking Dovecot once
// (names are stored modified-UTF-7 encoded) and creating INBOX's directories
// for a user who never logged in.
func (s *Server) folderDir(user, folder string) (string, error) {
	key := user + "\x00" + folder
	s.mu.Lock()
	dir, ok := s.paths[key]
	s.mu.Unlock()
	if ok {
		return dir, nil
	}
	out, err := s.doveadmRun("mailbox", "path", "-u", user, folder)
	if err != nil {
		return "", err
	}
	dir = strings.TrimSpace(string(out))
	if !filepath.IsAbs(dir) {
		return "", fmt.Errorf("doveadm mailbox path gave %q", dir)
	}
	if !strings.EqualFold(folder, "INBOX") {
		if _, err := os.Stat(dir); err != nil {
			return "", fmt.Errorf("folder does not exist (CreateFolder first): %w", err)
		}
	}
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := s.mkdirOwned(filepath.Join(dir, sub)); err != nil {
			return "", err
		}
	}
	s.mu.Lock()
	s.paths[key] = dir
	s.mu.Unlock()
	return dir, nil
}

// mkdirOwned creates dir and its missing parents below the mail directory,
// owned by the mail user.
func (s *Server) mkdirOwned(dir string) error {
	mail := filepath.Join(s.Dir, "mail")
	rel, err := filepath.Rel(mail, dir)
	if err != nil || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("%s is outside %s", dir, mail)
	}
	p := mail
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, part)
		if err := os.Mkdir(p, 0o700); err != nil {
			if os.IsExist(err) {
				continue
			}
			return err
		}
		if s.chown {
			if err := os.Chown(p, s.mailUID, s.mailGID); err != nil {
				return err
			}
		}
	}
	return nil
}

// statusRE picks a number out of `doveadm mailbox status` output.
var statusRE = map[string]*regexp.Regexp{
	"uidvalidity": regexp.MustCompile(`\buidvalidity=(\d+)`),
	"uidnext":     regexp.MustCompile(`\buidnext=(\d+)`),
}

// Status returns UIDVALIDITY and UIDNEXT of a folder as Dovecot sees them.
func (s *Server) Status(t testing.TB, user, folder string) (uidValidity, uidNext uint32) {
	t.Helper()
	v, n, err := s.status(user, folder)
	if err != nil {
		t.Fatalf("imaptest: %v", err)
	}
	return v, n
}

func (s *Server) status(user, folder string) (uidValidity, uidNext uint32, err error) {
	out, err := s.doveadmRun("mailbox", "status", "-u", user, "uidvalidity uidnext", folder)
	if err != nil {
		return 0, 0, fmt.Errorf("status of %q of %s: %w", folder, user, err)
	}
	var vals [2]uint32
	for i, key := range []string{"uidvalidity", "uidnext"} {
		m := statusRE[key].FindSubmatch(out)
		if m == nil {
			return 0, 0, fmt.Errorf("status of %q of %s: no %s in %q", folder, user, key, out)
		}
		v, err := strconv.ParseUint(string(m[1]), 10, 32)
		if err != nil {
			return 0, 0, fmt.Errorf("status of %q of %s: %w", folder, user, err)
		}
		vals[i] = uint32(v)
	}
	return vals[0], vals[1], nil
}

// ResetUIDValidity makes the server announce a new UIDVALIDITY (the old one
// plus one) for the folder, its messages renumbered from the old UIDNEXT on,
// as after a server migration or a restored mailbox: no old UID is valid any
// more. No session should have the folder selected meanwhile (Dovecot would
// disconnect it).
//
// `doveadm mailbox update --uid-validity` alone changes the value but keeps
// the UIDs, so this drops the folder's index and dovecot-uidlist instead and
// seeds a new uidlist header: Dovecot rescans the Maildir and numbers the
// messages from its N field. Flags live in the file names and survive.
func (s *Server) ResetUIDValidity(t testing.TB, user, folder string) {
	t.Helper()
	oldV, next, err := s.status(user, folder)
	if err != nil {
		t.Fatalf("imaptest: reset uidvalidity: %v", err)
	}
	dir, err := s.folderDir(user, folder)
	if err != nil {
		t.Fatalf("imaptest: reset uidvalidity of %q of %s: %v", folder, user, err)
	}
	idx, _ := filepath.Glob(filepath.Join(dir, "dovecot.index*"))
	for _, p := range append(idx, filepath.Join(dir, "dovecot-uidlist")) {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			t.Fatalf("imaptest: reset uidvalidity: %v", err)
		}
	}
	newV := oldV + 1
	uidlist := filepath.Join(dir, "dovecot-uidlist")
	if err := os.WriteFile(uidlist, fmt.Appendf(nil, "3 V%d N%d\n", newV, next), 0o600); err != nil {
		t.Fatalf("imaptest: reset uidvalidity: %v", err)
	}
	if s.chown {
		if err := os.Chown(uidlist, s.mailUID, s.mailGID); err != nil {
			t.Fatalf("imaptest: reset uidvalidity: %v", err)
		}
	}
	if got, _, err := s.status(user, folder); err != nil || got != newV {
		t.Fatalf("imaptest: reset uidvalidity of %q of %s: got %d (err %v), want %d", folder, user, got, err, newV)
	}
}

// doveadmRun runs a doveadm command against this instance; as root, doveadm
// switches to the mail user itself.
func (s *Server) doveadmRun(args ...string) ([]byte, error) {
	cmd := exec.Command(s.doveadm, append([]string{"-c", s.conf}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("doveadm %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
