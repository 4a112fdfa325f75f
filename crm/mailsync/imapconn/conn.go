// Package imapconn is the small IMAP client the mail sync uses: connect and
// log in, list and examine folders, find new UIDs, fetch raw messages in
// bounded batches and append. It wraps go-imap v1 (frozen; v2 is beta), so
// that its quirks stay here and crm/mailsync sees a narrow, exact API.
//
// Syncing never changes a mailbox: folders are opened read-only (EXAMINE)
// and bodies fetched with BODY.PEEK[], which leaves \Seen alone.
//
// A Conn is not safe for concurrent use. Every command takes a context whose
// cancellation closes the connection, which is the only way to interrupt a
// blocked IMAP command; the Conn is unusable afterwards (Close it).
package imapconn

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-imap/commands"
)

// Security is how the connection is protected.
type Security string

// The security modes a mailbox account can use.
const (
	SecurityNone     Security = "none"     // plain text, for tests and local servers only
	SecuritySTARTTLS Security = "starttls" // plain connect, then STARTTLS before login; refused if not offered
	SecurityTLS      Security = "tls"      // implicit TLS (port 993)
)

// DefaultTimeout bounds dialing and each command when Config.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// Config says where and how to connect.
type Config struct {
	Host     string
	Port     int // 0 means 993 for SecurityTLS, else 143
	Security Security
	User     string
	Password string
	// Timeout bounds the dial and each command; during Fetch it bounds the
	// wait for the next message. Zero means DefaultTimeout.
	Timeout time.Duration
	// TLSConfig is optional (tests). The default verifies the certificate
	// against the system roots and Host.
	TLSConfig *tls.Config
}

// ErrAuth is wrapped by Dial when the server refuses the user name or
// password, so that the sync can tell a wrong password (ask the user) from
// a network failure (retry later).
var ErrAuth = errors.New("imap: login refused")

// Conn is a logged-in IMAP connection.
type Conn struct {
	cl      *client.Client
	raw     net.Conn // the TCP connection, below any TLS: deadlines and aborts go here
	addr    string
	timeout time.Duration

	mu       sync.Mutex
	deadline time.Time // the current command's deadline, to name timeouts
	broken   error     // set once the connection cannot be used any more
}

// Dial connects, secures the connection as configured and logs in.
func Dial(ctx context.Context, cfg Config) (*Conn, error) {
	port := cfg.Port
	switch cfg.Security {
	case SecurityTLS:
		if port == 0 {
			port = 993
		}
	case SecurityNone, SecuritySTARTTLS:
		if port == 0 {
			port = 143
		}
	default:
		return nil, fmt.Errorf("imapconn: security %q is not one of none, starttls, tls", cfg.Security)
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(port))
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}

	d := net.Dialer{Timeout: timeout}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("imapconn: connect %s: %w", addr, err)
	}
	c := &Conn{raw: raw, addr: addr, timeout: timeout}
	tlsConfig := cfg.TLSConfig.Clone()
	if tlsConfig == nil {
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if tlsConfig.ServerName == "" {
		tlsConfig.ServerName = cfg.Host
	}

	err = c.do(ctx, func() error {
		var nc net.Conn = deadlineFree{raw}
		if cfg.Security == SecurityTLS {
			tc := tls.Client(nc, tlsConfig)
			if err := tc.Handshake(); err != nil {
				return fmt.Errorf("tls: %w", err)
			}
			nc = tc
		}
		cl, err := client.New(nc)
		if err != nil {
			return fmt.Errorf("greeting: %w", err)
		}
		// go-imap logs read errors, including the one our own aborts cause.
		cl.ErrorLog = log.New(io.Discard, "", 0)
		c.cl = cl
		if cfg.Security == SecuritySTARTTLS {
			ok, err := cl.SupportStartTLS()
			if err != nil {
				return fmt.Errorf("capability: %w", err)
			}
			if !ok {
				// Never fall back to sending the password in clear.
				return errors.New("server does not offer STARTTLS")
			}
			if err := cl.StartTLS(tlsConfig); err != nil {
				return fmt.Errorf("starttls: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		raw.Close()
		return nil, fmt.Errorf("imapconn: connect %s: %w", addr, err)
	}
	if err := c.do(ctx, func() error { return c.login(cfg.User, cfg.Password) }); err != nil {
		raw.Close()
		return nil, fmt.Errorf("imapconn: login as %q on %s: %w", cfg.User, addr, err)
	}
	return c, nil
}

// login runs LOGIN itself rather than client.Login, whose error does not
// tell a refusal (NO) from a broken connection.
func (c *Conn) login(user, password string) error {
	if ok, _ := c.cl.Support("LOGINDISABLED"); ok {
		return errors.New("server refuses LOGIN on this connection (use starttls or tls)")
	}
	status, err := c.cl.Execute(&commands.Login{Username: user, Password: password}, nil)
	if err != nil {
		return err
	}
	switch {
	case status.Type == imap.StatusRespOk:
		c.cl.SetState(imap.AuthenticatedState, nil)
		return nil
	// RFC 5530: UNAVAILABLE is a temporary failure of the server's auth
	// backend, not a wrong password; the sync should retry, not disable the
	// account.
	case status.Type == imap.StatusRespNo && status.Code != "UNAVAILABLE" && status.Code != "SERVERBUG":
		return fmt.Errorf("%w: %s", ErrAuth, status.Info)
	default:
		return fmt.Errorf("server answered %s [%s] %s", status.Type, status.Code, status.Info)
	}
}

// Close logs out and closes the connection. After a cancelled command it
// only closes.
func (c *Conn) Close() error {
	c.mu.Lock()
	broken := c.broken
	if broken == nil {
		c.broken = errors.New("connection closed")
	}
	c.mu.Unlock()
	if broken != nil {
		c.raw.Close()
		return nil
	}
	// LOGOUT is a courtesy to the server: bound it tighter than a command.
	c.raw.SetDeadline(time.Now().Add(min(c.timeout, 5*time.Second)))
	err := c.cl.Logout()
	if cerr := c.raw.Close(); err == nil && cerr != nil && !errors.Is(cerr, net.ErrClosed) {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("imapconn: logout from %s: %w", c.addr, err)
	}
	return nil
}

// do runs one command (or the dial steps) under the timeout, with ctx able
// to abort it by closing the connection.
func (c *Conn) do(ctx context.Context, fn func() error) error {
	c.mu.Lock()
	broken := c.broken
	c.mu.Unlock()
	if broken != nil {
		return fmt.Errorf("connection unusable: %w", broken)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.extend()
	stop := context.AfterFunc(ctx, func() {
		c.setBroken(ctx.Err())
		c.raw.Close()
	})
	err := fn()
	if !stop() {
		// The abort fired: whatever fn saw is a consequence of it.
		return context.Cause(ctx)
	}
	if err != nil {
		c.mu.Lock()
		deadline := c.deadline
		c.mu.Unlock()
		if c.cl != nil && c.closed() {
			if !deadline.IsZero() && !time.Now().Before(deadline) {
				err = fmt.Errorf("no answer within %s: %w", c.timeout, os.ErrDeadlineExceeded)
			}
			c.setBroken(err)
			c.raw.Close()
		}
		return err
	}
	// No deadline between commands: go-imap keeps reading in the
	// background, and a deadline left set would kill an idle connection.
	c.mu.Lock()
	c.deadline = time.Time{}
	c.mu.Unlock()
	c.raw.SetDeadline(time.Time{})
	return nil
}

// extend moves the deadline of the running command to timeout from now.
func (c *Conn) extend() {
	d := time.Now().Add(c.timeout)
	c.mu.Lock()
	c.deadline = d
	c.mu.Unlock()
	c.raw.SetDeadline(d)
}

// closed reports whether go-imap's reader has stopped (connection gone).
func (c *Conn) closed() bool {
	select {
	case <-c.cl.LoggedOut():
		return true
	default:
		return false
	}
}

func (c *Conn) setBroken(err error) {
	c.mu.Lock()
	if c.broken == nil {
		c.broken = err
	}
	c.mu.Unlock()
}

// deadlineFree hides SetDeadline from go-imap and crypto/tls: go-imap would
// reset the deadline at each command, and we manage it on the raw
// connection instead (see Conn.do).
type deadlineFree struct{ net.Conn }

func (deadlineFree) SetDeadline(time.Time) error      { return nil }
func (deadlineFree) SetReadDeadline(time.Time) error  { return nil }
func (deadlineFree) SetWriteDeadline(time.Time) error { return nil }
