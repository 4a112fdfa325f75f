package imapconn

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

func TestDial(t *testing.T) {
	a := newAccount(t)
	s := a.srv

	// A port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	tests := []struct {
		name        string
		edit        func(*Config)
		wantErr     []string // substrings of the error, in order
		wantErrAuth bool
	}{
		{name: "none", edit: func(c *Config) {}},
		{name: "starttls", edit: func(c *Config) { c.Security, c.TLSConfig = SecuritySTARTTLS, s.ClientTLSConfig() }},
		{name: "tls", edit: func(c *Config) { c.Security, c.Port, c.TLSConfig = SecurityTLS, s.TLSPort, s.ClientTLSConfig() }},
		{
			name:    "tls verifies the certificate by default",
			edit:    func(c *Config) { c.Security, c.Port = SecurityTLS, s.TLSPort },
			wantErr: []string{"imapconn: connect " + s.TLSAddr() + ": tls: ", "certificate"},
		},
		{
			name:        "wrong password",
			edit:        func(c *Config) { c.Password = "mauvais-mot-de-passe" },
			wantErr:     []string{`imapconn: login as "` + a.user + `" on ` + s.Addr() + ": imap: login refused: "},
			wantErrAuth: true,
		},
		{
			name:        "unknown user",
			edit:        func(c *Config) { c.User = "nobody-here@test.local" },
			wantErr:     []string{`login as "nobody-here@test.local"`},
			wantErrAuth: true,
		},
		{
			name:    "connection refused",
			edit:    func(c *Config) { c.Port = closedPort },
			wantErr: []string{"imapconn: connect 127.0.0.1:", "connection refused"},
		},
		{
			name:    "unknown security",
			edit:    func(c *Config) { c.Security = "ssl" },
			wantErr: []string{`imapconn: security "ssl" is not one of none, starttls, tls`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := a.cfg
			tt.edit(&cfg)
			c, err := Dial(context.Background(), cfg)
			if err == nil {
				defer c.Close()
			}
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				if _, err := c.ListFolders(context.Background()); err != nil {
					t.Errorf("list after dial: %v", err)
				}
				if err := c.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("got no error, want %q", tt.wantErr)
			}
			msg, rest := err.Error(), err.Error()
			for _, want := range tt.wantErr {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("got %q, want it to contain %q", msg, want)
				}
				rest = rest[i+len(want):]
			}
			if got := errors.Is(err, ErrAuth); got != tt.wantErrAuth {
				t.Errorf("errors.Is(%q, ErrAuth) = %v, want %v", msg, got, tt.wantErrAuth)
			}
			if strings.Contains(msg, "mauvais") || strings.Contains(msg, cfg.Password) {
				t.Errorf("error %q shows the password", msg)
			}
		})
	}
}

func TestDialAgainstScriptedServers(t *testing.T) {
	tests := []struct {
		name        string
		security    Security
		greeting    string
		answer      func(tag, cmd string) string
		wantErr     string
		wantErrAuth bool
	}{
		{
			name:     "starttls not offered: no clear-text fallback",
			security: SecuritySTARTTLS,
			greeting: "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] fake",
			answer:   func(tag, cmd string) string { return tag + " OK done\r\n" },
			wantErr:  "server does not offer STARTTLS",
		},
		{
			name:     "temporary auth failure is not ErrAuth",
			security: SecurityNone,
			greeting: "* OK [CAPABILITY IMAP4rev1] fake",
			answer: func(tag, cmd string) string {
				return tag + " NO [UNAVAILABLE] Temporary authentication failure\r\n"
			},
			wantErr: "server answered NO [UNAVAILABLE] Temporary authentication failure",
		},
		{
			name:     "login disabled",
			security: SecurityNone,
			greeting: "* OK [CAPABILITY IMAP4rev1 LOGINDISABLED] fake",
			answer:   func(tag, cmd string) string { return tag + " OK done\r\n" },
			wantErr:  "server refuses LOGIN on this connection (use starttls or tls)",
		},
		{
			name:     "not an IMAP server",
			security: SecurityNone,
			greeting: "220 smtp.example.fr ESMTP",
			answer:   func(tag, cmd string) string { return "" },
			wantErr:  "imapconn: connect 127.0.0.1:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host, port := hostPort(t, fakeIMAP(t, tt.greeting, tt.answer))
			_, err := Dial(context.Background(), Config{Host: host, Port: port, Security: tt.security, User: "u", Password: "p", Timeout: 2 * time.Second})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tt.wantErr)
			}
			if errors.Is(err, ErrAuth) != tt.wantErrAuth {
				t.Errorf("errors.Is(ErrAuth) = %v, want %v", !tt.wantErrAuth, tt.wantErrAuth)
			}
		})
	}
}

// hungServer logs anyone in, then never answers again.
func hungServer(t *testing.T) Config {
	host, port := hostPort(t, fakeIMAP(t, "* OK [CAPABILITY IMAP4rev1] fake", func(tag, cmd string) string {
		if strings.HasPrefix(strings.ToUpper(cmd), "LOGIN") {
			return tag + " OK logged in\r\n"
		}
		return ""
	}))
	return Config{Host: host, Port: port, Security: SecurityNone, User: "u", Password: "p", Timeout: time.Minute}
}

func TestCancelAbortsBlockedCommand(t *testing.T) {
	c := dial(t, hungServer(t))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	t0 := time.Now()
	_, err := c.Examine(ctx, "INBOX")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if d := time.Since(t0); d > 2*time.Second {
		t.Errorf("cancel took %s", d)
	}
	// The connection was closed to abort the command: it stays unusable.
	if _, err := c.ListFolders(context.Background()); err == nil || !strings.Contains(err.Error(), "connection unusable") {
		t.Errorf("after cancel: got %v, want connection unusable", err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("close after cancel: %v", err)
	}
}

func TestCancelDuringDial(t *testing.T) {
	// The server accepts but never greets.
	host, port := hostPort(t, fakeIMAP(t, "", func(tag, cmd string) string { return "" }))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := Dial(ctx, Config{Host: host, Port: port, Security: SecurityNone, User: "u", Password: "p"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
}

func TestTimeout(t *testing.T) {
	cfg := hungServer(t)
	cfg.Timeout = 200 * time.Millisecond
	c := dial(t, cfg)
	_, err := c.Examine(context.Background(), "INBOX")
	if !errors.Is(err, os.ErrDeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 200ms") {
		t.Fatalf("got %v, want a timeout", err)
	}
}

// go-imap v1 leaves its command deadline on the connection, which kills an
// idle connection once Timeout has passed; ours must survive idling.
func TestIdleLongerThanTimeout(t *testing.T) {
	a := newAccount(t)
	cfg := a.cfg
	cfg.Timeout = 300 * time.Millisecond
	c := dial(t, cfg)
	if _, err := c.Examine(context.Background(), "INBOX"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	if _, err := c.Examine(context.Background(), "INBOX"); err != nil {
		t.Fatalf("after idling: %v", err)
	}
}

// The default TLS configuration must not be shared with or changed for the caller.
func TestDialKeepsCallerTLSConfig(t *testing.T) {
	a := newAccount(t)
	tc := a.srv.ClientTLSConfig()
	tc.ServerName = ""
	cfg := a.cfg
	cfg.Security, cfg.Port, cfg.TLSConfig = SecurityTLS, a.srv.TLSPort, tc
	dial(t, cfg)
	if tc.ServerName != "" {
		t.Errorf("caller's tls.Config changed: ServerName %q", tc.ServerName)
	}
}
