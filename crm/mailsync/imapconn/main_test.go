package imapconn

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/imaptest"
)

// One Dovecot for the package (Dovecot needs a second to stop); each test
// gets its own mailbox user.
func TestMain(m *testing.M) { imaptest.Main(m) }

// account is a fresh user on the shared server.
type account struct {
	srv  *imaptest.Server
	user string
	cfg  Config
}

var accounts atomic.Int64

func newAccount(t testing.TB) account {
	t.Helper()
	s := imaptest.Shared(t)
	// The counter keeps users apart under -count=N.
	user := fmt.Sprintf("%s-%d@test.local", strings.NewReplacer("/", "-", " ", "_").Replace(strings.ToLower(t.Name())), accounts.Add(1))
	password := "pw-" + user
	s.AddUser(t, user, password)
	return account{srv: s, user: user, cfg: Config{
		Host:     s.Host,
		Port:     s.Port,
		Security: SecurityNone,
		User:     user,
		Password: password,
		Timeout:  10 * time.Second,
	}}
}

// dial connects with cfg and closes the connection at the end of the test.
func dial(t testing.TB, cfg Config) *Conn {
	t.Helper()
	c, err := Dial(context.Background(), cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// message is a CRLF message of at least size bytes whose subject names i.
func message(i, size int) []byte {
	head := fmt.Sprintf("From: Formations Dupont <contact@dupont-formation.fr>\r\nTo: crm@courtier.fr\r\nSubject: Demande %d\r\nMessage-ID: <%d@test>\r\n\r\n", i, i)
	var b strings.Builder
	b.WriteString(head)
	for n := 0; b.Len() < size; n++ {
		fmt.Fprintf(&b, "Ligne %d du message %d : devis pour la formation SST.\r\n", n, i)
	}
	if b.Len() == len(head) {
		b.WriteString("x\r\n")
	}
	return []byte(b.String())
}

// fakeIMAP is a scripted server for what Dovecot will not do on demand
// (hang, refuse STARTTLS, fail auth temporarily). answer gets the tag and
// the command line and returns the reply lines; "" means never answer.
func fakeIMAP(t *testing.T, greeting string, answer func(tag, cmd string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				if greeting != "" {
					fmt.Fprintf(conn, "%s\r\n", greeting)
				}
				r := bufio.NewReader(conn)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					tag, cmd, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
					if reply := answer(tag, cmd); reply != "" {
						fmt.Fprint(conn, reply)
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// hostPort splits a test listener address.
func hostPort(t *testing.T, addr string) (string, int) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	var p int
	fmt.Sscan(port, &p)
	return host, p
}
