package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/courtier-crm/courtier/crm/backoffice"
	"github.com/courtier-crm/courtier/extranet"
	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/config"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/jobs"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/gofiber/fiber/v2"
	"github.com/spf13/cobra"
)

func serveCmd(e *env) *cobra.Command {
	var demo bool
	var only, boAddr, exAddr string
	cmd := &cobra.Command{
		Use:   "serve [--demo] [--only backoffice|extranet]",
		Short: "Run the back office and the client extranet, each on its own listener",
		Long: "Applies pending migrations, then serves the staff back office (and /api/v1) and the client\n" +
			"extranet on two addresses. --demo seeds demo data into an empty database and prints the URLs\n" +
			"and logins. SIGINT/SIGTERM stop accepting connections and let requests in flight finish.\n\n" + config.Help(),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if only != "" && only != "backoffice" && only != "extranet" {
				return fmt.Errorf("serve: --only takes backoffice or extranet, not %q", only)
			}
			if boAddr != "" {
				e.cfg.BackofficeAddr = boAddr
			}
			if exAddr != "" {
				e.cfg.ExtranetAddr = exAddr
			}
			return serve(cmd, e, demo, only)
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "seed demo data into an empty database and print the logins")
	cmd.Flags().StringVar(&only, "only", "", "run only one app: backoffice or extranet")
	cmd.Flags().StringVar(&boAddr, "backoffice-addr", "", "listen address of the back office (overrides COURTIER_BACKOFFICE_ADDR)")
	cmd.Flags().StringVar(&exAddr, "extranet-addr", "", "listen address of the extranet (overrides COURTIER_EXTRANET_ADDR)")
	return cmd
}

func serve(cmd *cobra.Command, e *env, demo bool, only string) error {
	start := time.Now()
	ctx := cmd.Context()
	s, err := e.openServices(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	d, cfg := s.db, e.cfg
	if cfg.SMTPHost == "" {
		e.log.Warn("COURTIER_SMTP_HOST is not set: outgoing mails are written to this log instead of being sent")
	}
	var logins []login
	if demo {
		if logins, err = seedDemo(ctx, s); err != nil {
			return err
		}
	}
	// SQLite's planner statistics are refreshed at each start (a bounded,
	// quick pass); PostgreSQL's autovacuum keeps its own.
	if d.Dialect() == db.SQLite {
		if err := d.Optimize(ctx); err != nil {
			return err
		}
	}
	opts := auth.Options{IdleTimeout: cfg.SessionIdle, MaxAge: cfg.SessionMaxAge}
	staff, client := auth.New(d, auth.Staff, opts), auth.New(d, auth.Extranet, opts)

	type app struct {
		name, addr, url string
		fiber           *fiber.App
	}
	var apps []app
	if only != "extranet" {
		a, err := backoffice.New(e.backofficeDeps(s, staff))
		if err != nil {
			return err
		}
		apps = append(apps, app{"back office", cfg.BackofficeAddr, cfg.BackofficeURL, a})
	}
	if only != "backoffice" {
		a, err := extranet.New(e.extranetDeps(s, client))
		if err != nil {
			return err
		}
		apps = append(apps, app{"extranet", cfg.ExtranetAddr, cfg.ExtranetURL, a})
	}

	// Listen on every address before serving any, so a port clash fails the start at once.
	listeners := make([]net.Listener, len(apps))
	for i, a := range apps {
		if listeners[i], err = net.Listen("tcp", a.addr); err != nil {
			for _, l := range listeners[:i] {
				l.Close()
			}
			return fmt.Errorf("serve: %s: %w", a.name, err)
		}
	}
	errc := make(chan error, len(apps))
	for i, a := range apps {
		go func() { errc <- a.fiber.Listener(listeners[i]) }()
	}
	go purgeLoop(ctx, e, staff, client)
	if cfg.MailPoll > 0 && only != "extranet" {
		// Every server polls; the job lease lets one of them sync at a time.
		go jobs.Every(ctx, d, e.log, "mailsync", cfg.MailPoll, time.Hour, func(ctx context.Context) error {
			results, err := s.syncer.SyncAll(ctx)
			for _, r := range results {
				if r.Fetched > 0 {
					e.log.Info("mail synced", "result", r.String())
				}
			}
			return err
		})
	}
	if only != "extranet" {
		// Consultations whose link expired unanswered are closed, which
		// counts against their provider's answer rate.
		go jobs.Every(ctx, d, e.log, "consultations-expiry", time.Hour, 10*time.Minute, func(ctx context.Context) error {
			n, err := s.consultations.ExpireOverdue(ctx)
			if n > 0 {
				e.log.Info("consultations expired", "count", n)
			}
			return err
		})
	}

	out := cmd.OutOrStdout()
	for _, a := range apps {
		fmt.Fprintf(out, "Courtier %-12s %s\n", a.name, a.url)
	}
	if demo {
		printLogins(out, logins)
	}
	e.log.Info("ready", "database", d.Dialect(), "startup_ms", time.Since(start).Milliseconds())

	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	e.log.Info("shutting down: finishing requests in flight")
	var shutdownErr error
	for _, a := range apps {
		shutdownErr = errors.Join(shutdownErr, a.fiber.ShutdownWithTimeout(30*time.Second))
	}
	return errors.Join(err, shutdownErr)
}

// purgeLoop deletes ended sessions and old login attempts every hour.
func purgeLoop(ctx context.Context, e *env, realms ...*auth.Service) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		for _, s := range realms {
			if err := s.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
				e.log.Warn("purge expired sessions", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// newSender returns the SMTP sender, or without an SMTP host a sender that
// writes mails to the log (demo and development).
func newSender(e *env) (mailer.Sender, error) {
	c := e.cfg
	if c.SMTPHost == "" {
		return mailer.LogSender{Logger: e.log}, nil
	}
	return mailer.NewSMTP(mailer.SMTPConfig{Host: c.SMTPHost, Port: c.SMTPPort, Username: c.SMTPUser, Password: c.SMTPPassword,
		Security: c.SMTPSecurity, From: c.MailFrom})
}

// extranetDeps wires the extranet's services, as serve and the benchmarks use them.
func (e *env) extranetDeps(s *services, client *auth.Service) extranet.Deps {
	return extranet.Deps{Auth: client, Clients: s.clients, Consultations: s.consultations, Mailer: s.sender, Ping: s.db.Ping,
		Secret: s.secret, PublicURL: e.cfg.ExtranetURL, ProxyHeader: e.cfg.ProxyHeader, Logger: e.log, Documents: s.documents,
		// The client's needs, proposals, sessions, individual requests, plans and budgets, through the viewer's scope.
		Viewers: s.viewers, Requests: s.requests, Proposals: s.proposals, Bookings: s.bookings, Wishes: s.wishes,
		Employees: s.employees, Establishments: s.establishments, Plans: s.plans, Budgets: s.budgets, CalendarFeeds: s.calendarFeeds}
}
