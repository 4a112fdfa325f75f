package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Security modes of SMTPConfig.Security.
const (
	SecurityNone     = "none"
	SecuritySTARTTLS = "starttls"
	SecurityTLS      = "tls"
)

// DefaultTimeout bounds a whole SMTP delivery when SMTPConfig.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// SMTPConfig configures delivery through an SMTP submission server.
type SMTPConfig struct {
	Host               string
	Port               int // 0 picks the usual port of the security mode: 25, 587 or 465
	Username           string
	Password           string
	Security           string // "none", "starttls" (default when empty) or "tls"
	From               string // default sender, e.g. "Courtier <noreply@example.fr>"
	HeloName           string // name sent in EHLO; "localhost" when empty
	Timeout            time.Duration
	InsecureSkipVerify bool // tests only
}

// SMTP is a Sender that delivers through an SMTP server, one connection per message.
type SMTP struct {
	cfg  SMTPConfig
	addr string
	from Address
}

// NewSMTP validates cfg and returns an SMTP sender; it does not connect.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	cfg.Host = strings.TrimSpace(cfg.Host)
	if cfg.Host == "" {
		return nil, errors.New("mailer: smtp host is required")
	}
	defaultPort := 0
	switch cfg.Security {
	case "", SecuritySTARTTLS:
		cfg.Security, defaultPort = SecuritySTARTTLS, 587
	case SecurityTLS:
		defaultPort = 465
	case SecurityNone:
		defaultPort = 25
	default:
		return nil, fmt.Errorf("mailer: unknown smtp security mode %q (want none, starttls or tls)", cfg.Security)
	}
	if cfg.Port == 0 {
		cfg.Port = defaultPort
	}
	if cfg.Port < 1 || cfg.Port > 65535 {
		return nil, fmt.Errorf("mailer: invalid smtp port %d (want 1-65535)", cfg.Port)
	}
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("mailer: negative smtp timeout %v", cfg.Timeout)
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.HeloName == "" {
		cfg.HeloName = "localhost"
	}
	s := &SMTP{cfg: cfg, addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))}
	if cfg.From != "" {
		from, err := mail.ParseAddress(cfg.From)
		if err != nil {
			return nil, fmt.Errorf("mailer: invalid smtp from address %q: %w", cfg.From, err)
		}
		s.from = *from
	}
	return s, nil
}

// Send delivers m to its To, Cc and Bcc recipients and returns the Message-ID used.
// From defaults to the configured sender. Errors name the SMTP step that failed.
func (s *SMTP) Send(ctx context.Context, m *Message) (string, error) {
	msg, err := prepare(m, s.from)
	if err != nil {
		return "", err
	}
	if msg.From.Address == "" {
		return "", errors.New("mailer: message has no From address and no default sender is configured")
	}
	data, err := Render(&msg, time.Now())
	if err != nil {
		return "", err
	}

	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	fail := func(step string, err error) error {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("mailer: %s: %w: %w", step, ctxErr, err)
		}
		return fmt.Errorf("mailer: %s: %w", step, err)
	}

	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return "", fail("dial "+s.addr, err)
	}
	defer conn.Close()
	// go-smtp only knows per-command timeouts; closing the socket is what
	// interrupts a blocked exchange when ctx is cancelled or times out.
	defer context.AfterFunc(ctx, func() { conn.Close() })()

	c, step, err := s.handshake(ctx, conn)
	if err != nil {
		return "", fail(step, err)
	}
	defer c.Close()
	c.CommandTimeout, c.SubmissionTimeout = s.cfg.Timeout, s.cfg.Timeout

	if s.cfg.Username != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return "", fail("auth", errors.New("server does not offer AUTH"))
		}
		if err := c.Auth(sasl.NewPlainClient("", s.cfg.Username, s.cfg.Password)); err != nil {
			return "", fail("auth", err)
		}
	}
	if err := c.Mail(msg.From.Address, nil); err != nil {
		return "", fail("mail from <"+msg.From.Address+">", err)
	}
	for _, rcpt := range msg.recipients() {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return "", fail("rcpt <"+rcpt+">", err)
		}
	}
	w, err := c.Data()
	if err := writeAll(w, err, data); err != nil {
		return "", fail("data", err)
	}
	_ = c.Quit() // the server has accepted the message; a failed goodbye changes nothing
	return msg.MessageID, nil
}

// handshake sets up TLS as configured and says EHLO, so that every failure of
// the security layer surfaces here rather than at the first later command.
// On failure it names the step: "tls", "starttls" or "hello".
func (s *SMTP) handshake(ctx context.Context, conn net.Conn) (*smtp.Client, string, error) {
	tlsConfig := &tls.Config{
		ServerName:         s.cfg.Host,
		InsecureSkipVerify: s.cfg.InsecureSkipVerify,
		MinVersion:         tls.VersionTLS12,
	}
	var c *smtp.Client
	switch s.cfg.Security {
	case SecurityTLS:
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			return nil, "tls", err
		}
		c = smtp.NewClient(tc)
	case SecuritySTARTTLS:
		var err error
		if c, err = smtp.NewClientStartTLS(conn, tlsConfig); err != nil {
			return nil, "starttls", err
		}
	default:
		c = smtp.NewClient(conn)
	}
	// After STARTTLS, this EHLO is the first exchange over TLS: it runs the handshake.
	if err := c.Hello(s.cfg.HeloName); err != nil {
		c.Close()
		if s.cfg.Security == SecuritySTARTTLS {
			return nil, "starttls", err
		}
		return nil, "hello", err
	}
	return c, "", nil
}
