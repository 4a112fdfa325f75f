// Package config holds Courtier's settings: one struct, defaults in code,
// overridden by COURTIER_* environment variables and then by command flags.
// The Settings table documents every variable; `courtier serve --help` and
// docs/configuration.md are made from it.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of a Courtier process.
type Config struct {
	DataDir        string
	DatabaseURL    string
	BackofficeAddr string
	ExtranetAddr   string
	BackofficeURL  string
	ExtranetURL    string
	SecretKey      string
	ProxyHeader    string
	SessionIdle    time.Duration
	SessionMaxAge  time.Duration
	LogFormat      string
	LogLevel       string
	SMTPHost       string
	SMTPPort       int
	SMTPUser       string
	SMTPPassword   string
	SMTPSecurity   string
	MailFrom       string
	MailPoll       time.Duration
	BlobDir        string
	// DocumentMaxSize is the largest document upload, in bytes.
	DocumentMaxSize int64
}

// Setting is one documented environment variable.
type Setting struct {
	Env     string
	Default string
	Help    string
	Secret  bool
	set     func(c *Config, v string) error
}

func str(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func dur(p func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("not a positive duration such as 30m or 8h: %q", v)
		}
		*p(c) = d
		return nil
	}
}

// Settings lists every variable, in the order of the documentation.
var Settings = []Setting{
	{Env: "COURTIER_DATA_DIR", Default: "./courtier-data", Help: "folder of the SQLite database, the blob store and the generated secret key",
		set: str(func(c *Config) *string { return &c.DataDir })},
	{Env: "COURTIER_DATABASE_URL", Default: "sqlite:<data dir>/courtier.db", Help: "database: sqlite:PATH, or postgres://user:pass@host:5432/db?sslmode=…", Secret: true,
		set: str(func(c *Config) *string { return &c.DatabaseURL })},
	{Env: "COURTIER_BACKOFFICE_ADDR", Default: "127.0.0.1:8080", Help: "listen address of the staff back office (and /api/v1)",
		set: str(func(c *Config) *string { return &c.BackofficeAddr })},
	{Env: "COURTIER_EXTRANET_ADDR", Default: "127.0.0.1:8081", Help: "listen address of the client extranet",
		set: str(func(c *Config) *string { return &c.ExtranetAddr })},
	{Env: "COURTIER_BACKOFFICE_URL", Default: "http://<back office addr>", Help: "public URL of the back office, used in e-mailed links; https:// makes cookies Secure",
		set: str(func(c *Config) *string { return &c.BackofficeURL })},
	{Env: "COURTIER_EXTRANET_URL", Default: "http://<extranet addr>", Help: "public URL of the extranet, used in e-mailed links; https:// makes cookies Secure",
		set: str(func(c *Config) *string { return &c.ExtranetURL })},
	{Env: "COURTIER_SECRET_KEY", Default: "generated in <data dir>/secret.key", Help: "64 hex characters; signs CSRF tokens and links. Set the same value on every node", Secret: true,
		set: str(func(c *Config) *string { return &c.SecretKey })},
	{Env: "COURTIER_PROXY_HEADER", Default: "", Help: "header holding the client IP behind a reverse proxy, e.g. X-Forwarded-For (empty: the socket address)",
		set: str(func(c *Config) *string { return &c.ProxyHeader })},
	{Env: "COURTIER_SESSION_IDLE", Default: "2h", Help: "a session unused this long ends",
		set: dur(func(c *Config) *time.Duration { return &c.SessionIdle })},
	{Env: "COURTIER_SESSION_MAX_AGE", Default: "12h", Help: "a session ends this long after login, used or not",
		set: dur(func(c *Config) *time.Duration { return &c.SessionMaxAge })},
	{Env: "COURTIER_LOG_FORMAT", Default: "text", Help: "text or json",
		set: func(c *Config, v string) error {
			if v != "text" && v != "json" {
				return fmt.Errorf("want text or json, got %q", v)
			}
			c.LogFormat = v
			return nil
		}},
	{Env: "COURTIER_LOG_LEVEL", Default: "info", Help: "debug, info, warn or error",
		set: str(func(c *Config) *string { return &c.LogLevel })},
	{Env: "COURTIER_SMTP_HOST", Default: "", Help: "SMTP server for outgoing mail; empty: mails are written to the log instead (demo)",
		set: str(func(c *Config) *string { return &c.SMTPHost })},
	{Env: "COURTIER_SMTP_PORT", Default: "587", Help: "SMTP port",
		set: func(c *Config, v string) error {
			p, err := strconv.Atoi(v)
			if err != nil || p < 1 || p > 65535 {
				return fmt.Errorf("not a port: %q", v)
			}
			c.SMTPPort = p
			return nil
		}},
	{Env: "COURTIER_SMTP_USER", Default: "", Help: "SMTP user name (AUTH PLAIN)",
		set: str(func(c *Config) *string { return &c.SMTPUser })},
	{Env: "COURTIER_SMTP_PASSWORD", Default: "", Help: "SMTP password", Secret: true,
		set: str(func(c *Config) *string { return &c.SMTPPassword })},
	{Env: "COURTIER_SMTP_SECURITY", Default: "starttls", Help: "none, starttls or tls",
		set: func(c *Config, v string) error {
			if v != "none" && v != "starttls" && v != "tls" {
				return fmt.Errorf("want none, starttls or tls, got %q", v)
			}
			c.SMTPSecurity = v
			return nil
		}},
	{Env: "COURTIER_MAIL_FROM", Default: "Courtier <noreply@courtier.localhost>", Help: "sender of outgoing mail",
		set: str(func(c *Config) *string { return &c.MailFrom })},
	{Env: "COURTIER_MAIL_POLL", Default: "5m", Help: "how often `courtier serve` syncs the IMAP mailboxes (one server process at a time); 0 turns polling off",
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return fmt.Errorf("not a duration such as 5m (or 0 to turn polling off): %q", v)
			}
			c.MailPoll = d
			return nil
		}},
	{Env: "COURTIER_BLOB_DIR", Default: "<data dir>/blobs", Help: "folder of the content-addressed blob store (raw e-mails, attachments, documents)",
		set: str(func(c *Config) *string { return &c.BlobDir })},
	{Env: "COURTIER_DOCUMENT_MAX_SIZE", Default: "25MiB", Help: "largest document upload: bytes, or a number with K, M or G (KB/KiB…, all counted in 1024s), e.g. 25MB; at most 1GiB",
		set: func(c *Config, v string) error {
			n, err := ParseSize(v)
			if err != nil {
				return err
			}
			if n < 1<<10 || n > maxDocumentSize {
				return fmt.Errorf("want between 1KiB and 1GiB, got %q", v)
			}
			c.DocumentMaxSize = n
			return nil
		}},
}

// maxDocumentSize caps the upload limit: an upload is held in memory while
// it is received and checked.
const maxDocumentSize = 1 << 30

// ParseSize reads a size in bytes: a whole number, optionally followed by
// a unit K, M or G (with or without B, or as KiB, MiB, GiB), all counted in
// 1024s as web servers do, so "25MB" is 25 × 1024 × 1024 bytes.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	num := strings.TrimRight(t, "KMGIB ")
	shift := 0
	switch unit := strings.TrimSpace(t[len(num):]); unit {
	case "", "B":
	case "K", "KB", "KIB":
		shift = 10
	case "M", "MB", "MIB":
		shift = 20
	case "G", "GB", "GIB":
		shift = 30
	default:
		return 0, fmt.Errorf("not a size such as 26214400, 25MB or 25MiB: %q", s)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("not a size such as 26214400, 25MB or 25MiB: %q", s)
	}
	return n << shift, nil
}

// placeholder matches the "<data dir>"-like words of derived defaults (and
// not an address such as "Courtier <noreply@…>").
var placeholder = regexp.MustCompile(`<[a-z ]+>`)

// Load builds the configuration from the defaults and the environment
// (getenv is os.Getenv outside tests). Derived defaults (database URL,
// public URLs) are filled by Finish, after command flags are applied.
func Load(getenv func(string) string) (Config, error) {
	var c Config
	var problems []error
	for _, s := range Settings {
		v := getenv(s.Env)
		if v == "" {
			v = s.Default
			if placeholder.MatchString(v) {
				continue // derived in Finish
			}
		}
		if v == "" {
			continue
		}
		if err := s.set(&c, v); err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", s.Env, err))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// Finish fills the settings derived from others and checks the result.
func (c *Config) Finish() error {
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "courtier.db")
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		return fmt.Errorf("config: COURTIER_MAIL_FROM %q is not an e-mail address such as \"Courtier <crm@broker.fr>\"", c.MailFrom)
	}
	if c.BlobDir == "" {
		c.BlobDir = filepath.Join(c.DataDir, "blobs")
	}
	if c.BackofficeURL == "" {
		c.BackofficeURL = "http://" + c.BackofficeAddr
	}
	if c.ExtranetURL == "" {
		c.ExtranetURL = "http://" + c.ExtranetAddr
	}
	c.BackofficeURL = strings.TrimRight(c.BackofficeURL, "/")
	c.ExtranetURL = strings.TrimRight(c.ExtranetURL, "/")
	if c.BackofficeAddr == c.ExtranetAddr {
		return fmt.Errorf("config: the back office and the extranet must listen on different addresses (both %s)", c.BackofficeAddr)
	}
	return nil
}

// Secret returns the 32-byte server key: COURTIER_SECRET_KEY, or the key
// stored in the data dir, created on first use (mode 0600).
func (c *Config) Secret() ([]byte, error) {
	if c.SecretKey != "" {
		k, err := hex.DecodeString(c.SecretKey)
		if err != nil || len(k) < 32 {
			return nil, fmt.Errorf("config: COURTIER_SECRET_KEY must be at least 64 hex characters")
		}
		return k, nil
	}
	path := filepath.Join(c.DataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		k, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(k) < 32 {
			return nil, fmt.Errorf("config: %s is not a 64-hex-character key", path)
		}
		return k, nil
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("config: create data dir: %w", err)
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	// O_EXCL: when two processes start at once, one writes and the other reads.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return c.Secret()
	}
	if err != nil {
		return nil, fmt.Errorf("config: write %s: %w", path, err)
	}
	defer f.Close()
	if _, err := f.WriteString(hex.EncodeToString(k) + "\n"); err != nil {
		return nil, err
	}
	return k, f.Sync()
}

// Help renders the settings table for --help.
func Help() string {
	var b strings.Builder
	b.WriteString("Environment (COURTIER_*):\n")
	for _, s := range Settings {
		def := s.Default
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(&b, "  %-26s %s\n  %-26s default: %s\n", s.Env, s.Help, "", def)
	}
	return b.String()
}
