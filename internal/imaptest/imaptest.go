// Package imaptest runs a real, throwaway Dovecot for tests of the IMAP code,
// so that mail sync is tested against the server most of our clients' hosts
// behave like, not against a mock that agrees with our own assumptions.
//
// Each server lives in its own temporary directory, reads nothing from
// /etc/dovecot and listens on 127.0.0.1 only: Port speaks plain IMAP and
// offers STARTTLS, TLSPort speaks implicit TLS (imaps) with a certificate
// generated at start-up (see ClientTLSConfig).
//
// As root (CI), the master runs as root, with Debian's dovecot/dovenull
// internal users, and mail belongs to nobody; files the harness writes into
// a Maildir are chowned to nobody. As an ordinary user, every Dovecot process
// runs as that user, without chroot.
//
// When Dovecot is not installed, tests fail under CI=true and are skipped
// otherwise.
package imaptest

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// DefaultUser is the mailbox user every server is started with.
const DefaultUser = "crm@test.local"

// installHint is the message of a missing Dovecot, for humans and CI logs.
const installHint = "dovecot is not installed: apt-get install dovecot-imapd"

// errNotInstalled marks a missing Dovecot, which skips tests outside CI.
var errNotInstalled = errors.New(installHint)

// Server is one running Dovecot instance.
type Server struct {
	Host     string // always 127.0.0.1
	Port     int    // plain IMAP, with STARTTLS
	TLSPort  int    // implicit TLS (imaps)
	User     string // DefaultUser
	Password string // DefaultUser's password, random per server
	Dir      string // the instance's config, sockets, logs and mail

	doveadm  string
	conf     string
	cmd      *exec.Cmd
	exited   chan struct{} // closed when the master process has been reaped
	roots    *x509.CertPool
	chown    bool // running as root: files we write must belong to the mail user
	mailUID  int
	mailGID  int
	epoch    int64
	seq      atomic.Uint64
	mu       sync.Mutex // guards paths
	paths    map[string]string
	stopOnce sync.Once
	stopErr  error
}

// Start starts a Dovecot for the test and stops it, by the PID in its pid
// file, when the test ends. It skips or fails the test when Dovecot is not
// installed (see the package comment).
func Start(t testing.TB) *Server {
	t.Helper()
	s, err := start()
	if err != nil {
		fatalOrSkip(t, err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("imaptest: %v", err)
		}
	})
	return s
}

// shared is the package-wide server of Shared, stopped by Main.
var shared struct {
	sync.Mutex
	main bool
	srv  *Server
	err  error
}

// Shared returns one server for all the tests of a package, started on first
// use, which saves Dovecot's one-second shutdown per test. Tests sharing it
// keep apart by using their own users (AddUser). The package must stop it
// from TestMain with Main.
func Shared(t testing.TB) *Server {
	t.Helper()
	shared.Lock()
	defer shared.Unlock()
	if !shared.main {
		t.Fatal("imaptest: Shared needs `func TestMain(m *testing.M) { imaptest.Main(m) }` in the test package, which stops the server")
	}
	if shared.srv == nil && shared.err == nil {
		shared.srv, shared.err = start()
	}
	if shared.err != nil {
		fatalOrSkip(t, shared.err)
	}
	return shared.srv
}

// Main runs the package's tests, stops the server of Shared if one was
// started, and exits; call it as the whole body of TestMain.
func Main(m *testing.M) {
	shared.Lock()
	shared.main = true
	shared.Unlock()
	code := m.Run()
	shared.Lock()
	if shared.srv != nil {
		if err := shared.srv.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "imaptest: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	shared.Unlock()
	os.Exit(code)
}

// fatalOrSkip ends a test that cannot get a server.
func fatalOrSkip(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, errNotInstalled) {
		if os.Getenv("CI") == "true" {
			t.Fatal(installHint)
		}
		t.Skip(installHint + " (skipped outside CI only)")
	}
	t.Fatalf("imaptest: %v", err)
}

// Addr is host:port of the plain IMAP listener.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// TLSAddr is host:port of the implicit TLS listener.
func (s *Server) TLSAddr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.TLSPort)) }

// ClientTLSConfig returns a client configuration that trusts this server's
// certificate (valid for 127.0.0.1 and localhost).
func (s *Server) ClientTLSConfig() *tls.Config {
	return &tls.Config{RootCAs: s.roots, ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

// Log returns the content of Dovecot's log, for failure messages.
func (s *Server) Log() string {
	var b strings.Builder
	for _, name := range []string{"dovecot.log", "stdout.log"} {
		if data, err := os.ReadFile(filepath.Join(s.Dir, name)); err == nil && len(data) > 0 {
			fmt.Fprintf(&b, "--- %s\n%s", name, data)
		}
	}
	return b.String()
}

// binaries finds dovecot and doveadm, Debian's places first.
func binaries() (dovecot, doveadm string, err error) {
	find := func(fixed, name string) string {
		if st, err := os.Stat(fixed); err == nil && st.Mode()&0o111 != 0 {
			return fixed
		}
		p, _ := exec.LookPath(name)
		return p
	}
	dovecot = find("/usr/sbin/dovecot", "dovecot")
	doveadm = find("/usr/bin/doveadm", "doveadm")
	if dovecot == "" || doveadm == "" {
		return "", "", errNotInstalled
	}
	return dovecot, doveadm, nil
}

// start creates and starts a server; a port taken between our probe and
// Dovecot's bind is retried with new ports.
func start() (*Server, error) {
	dovecot, doveadm, err := binaries()
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		s, err := startOnce(dovecot, doveadm, "")
		if err == nil || attempt == 3 || !strings.Contains(err.Error(), "Address already in use") {
			return s, err
		}
	}
}

// startOnce starts one instance; extraConf is appended to its config (tests).
func startOnce(dovecot, doveadm, extraConf string) (s *Server, err error) {
	dir, err := os.MkdirTemp(tempBase(), "imaptest-")
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	// As root, Dovecot's unprivileged processes must reach the mail below it.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	s = &Server{
		Host:     "127.0.0.1",
		User:     DefaultUser,
		Password: randomHex(8),
		Dir:      dir,
		doveadm:  doveadm,
		conf:     filepath.Join(dir, "dovecot.conf"),
		exited:   make(chan struct{}),
		epoch:    time.Now().Unix(),
		paths:    map[string]string{},
	}
	if s.Port, s.TLSPort, err = freePorts(); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	conf, err := s.config()
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	certPEM, keyPEM, roots, err := selfSignedCert()
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	s.roots = roots
	for _, d := range []string{"run", "state", "mail", "users"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
	}
	if s.chown {
		if err := os.Chown(filepath.Join(dir, "mail"), s.mailUID, s.mailGID); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
	}
	files := map[string][]byte{
		"dovecot.conf": []byte(conf + extraConf),
		"cert.pem":     certPEM,
		"key.pem":      keyPEM,
	}
	for name, data := range files {
		mode := os.FileMode(0o644)
		if name == "key.pem" {
			mode = 0o600 // read by the config process, which runs as the master's user
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, mode); err != nil {
			return nil, fmt.Errorf("start: %w", err)
		}
	}
	if err := s.addUser(s.User, s.Password); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}

	out, err := os.Create(filepath.Join(dir, "stdout.log"))
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	defer out.Close()
	s.cmd = exec.Command(dovecot, "-F", "-c", s.conf)
	s.cmd.Stdout, s.cmd.Stderr = out, out
	// A test binary killed by -timeout or a signal cannot run its cleanups;
	// the kernel then stops the master for us.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", dovecot, err)
	}
	go func() {
		s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(15 * time.Second); err != nil {
		logs := s.Log() // before Stop removes them
		s.Stop()
		return nil, fmt.Errorf("dovecot did not start: %w\n%s", err, logs)
	}
	return s, nil
}

// waitReady polls until the plain listener greets and the TLS one accepts.
// Reading the greeting (not just connecting) matters: imap-login accepts
// before the auth process is ready.
func (s *Server) waitReady(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("master exited: %v", s.cmd.ProcessState)
		default:
		}
		if last = greets(s.Addr()); last == nil {
			if c, err := net.DialTimeout("tcp", s.TLSAddr(), time.Second); err == nil {
				c.Close()
				return nil
			} else {
				last = err
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %s: %v", limit, last)
}

// greets reports whether addr answers with an IMAP OK greeting.
func greets(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "* OK") {
		return fmt.Errorf("greeting %q", line)
	}
	return nil
}

// Stop stops the server by the PID in its pid file, waits for the master to
// exit, then removes its directory. Start and Main call it; it is idempotent.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return os.RemoveAll(s.Dir)
	}
	pid := s.cmd.Process.Pid
	if data, err := os.ReadFile(filepath.Join(s.Dir, "run", "master.pid")); err == nil {
		if p, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil && p > 0 {
			pid = p
		}
	}
	var err error
	select {
	case <-s.exited:
	default:
		if kerr := syscall.Kill(pid, syscall.SIGTERM); kerr != nil && !errors.Is(kerr, syscall.ESRCH) {
			err = fmt.Errorf("stop dovecot (pid %d): %w", pid, kerr)
		}
		// The master sleeps a fixed second while its children exit.
		select {
		case <-s.exited:
		case <-time.After(15 * time.Second):
			s.cmd.Process.Kill()
			<-s.exited
			err = fmt.Errorf("stop dovecot (pid %d): still running after 15 s, killed", pid)
		}
	}
	if rerr := os.RemoveAll(s.Dir); rerr != nil && err == nil {
		err = fmt.Errorf("stop dovecot: %w", rerr)
	}
	return err
}

// config renders dovecot.conf and settles the users Dovecot runs as.
func (s *Server) config() (string, error) {
	d := s.Dir
	var extra, chroot string
	if os.Geteuid() == 0 {
		nobody, err := user.Lookup("nobody")
		if err != nil {
			return "", fmt.Errorf("look up the mail user: %w", err)
		}
		s.mailUID, _ = strconv.Atoi(nobody.Uid)
		s.mailGID, _ = strconv.Atoi(nobody.Gid)
		s.chown = true
	} else {
		// Dovecot can run unprivileged when every service user is the
		// current one and nothing chroots.
		me, err := user.Current()
		if err != nil {
			return "", fmt.Errorf("look up the current user: %w", err)
		}
		grp, err := user.LookupGroupId(me.Gid)
		if err != nil {
			return "", fmt.Errorf("look up the current group: %w", err)
		}
		s.mailUID, _ = strconv.Atoi(me.Uid)
		s.mailGID, _ = strconv.Atoi(me.Gid)
		extra = fmt.Sprintf("default_internal_user = %s\ndefault_internal_group = %s\ndefault_login_user = %s\n",
			me.Username, grp.Name, me.Username)
		chroot = "  chroot =\n"
	}
	// instance_name only needs to be unique among the instances sharing
	// state_dir, which is ours alone.
	return fmt.Sprintf(`# Generated by internal/imaptest; reads nothing from /etc/dovecot.
protocols = imap
listen = 127.0.0.1
base_dir = %[1]s/run
state_dir = %[1]s/state
instance_name = imaptest
log_path = %[1]s/dovecot.log
ssl = yes
ssl_cert = <%[1]s/cert.pem
ssl_key = <%[1]s/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:%[1]s/mail/%%u/Maildir
mail_fsync = never
mail_max_userip_connections = 100
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%%u %[1]s/users/%%u
}
userdb {
  driver = static
  args = uid=%[2]d gid=%[3]d home=%[1]s/mail/%%u
}
service imap-login {
%[7]s  inet_listener imap {
    address = 127.0.0.1
    port = %[4]d
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = %[5]d
    ssl = yes
  }
}
namespace inbox {
  inbox = yes
}
# Without its socket the auth process skips the per-IP penalty, which
# otherwise delays every login from 127.0.0.1 by 4 s after one refused
# password (auth_failure_delay = 0 leaves Dovecot's 0.5 s failure timer).
service anvil {
%[7]s  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
%[6]s`, d, s.mailUID, s.mailGID, s.Port, s.TLSPort, extra, chroot), nil
}

// tempBase is where instance directories go. Dovecot's sockets live below
// them and a Unix socket path may not exceed 107 bytes, so a long TMPDIR is
// not used.
func tempBase() string {
	if base := os.TempDir(); len(base) <= 40 {
		return base
	}
	return "/tmp"
}

// freePorts returns two distinct free loopback ports.
func freePorts() (int, int, error) {
	a, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	defer a.Close()
	b, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, 0, err
	}
	defer b.Close()
	return a.Addr().(*net.TCPAddr).Port, b.Addr().(*net.TCPAddr).Port, nil
}
