// Command courtier is the whole of Courtier in one binary: the back office,
// the client extranet, and the operator commands (migrate, users, tokens,
// seed). It reads its settings from COURTIER_* variables and flags, wires the
// packages together and owns the process lifecycle; it holds no business
// rule and no SQL.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/courtier-crm/courtier/internal/auth"
	"github.com/courtier-crm/courtier/internal/config"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/migrations"
	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := rootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "courtier:", err)
		os.Exit(1)
	}
}

// env is what every subcommand receives: the settings, filled from the
// environment and then from the global flags.
type env struct {
	cfg config.Config
	log *slog.Logger
}

func rootCmd() *cobra.Command {
	e := &env{}
	var dataDir, dbURL string
	root := &cobra.Command{
		Use:           "courtier",
		Short:         "Courtier: back office and client extranet for training brokers",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(os.Getenv)
			if err != nil {
				return err
			}
			if dataDir != "" {
				cfg.DataDir = dataDir
			}
			if dbURL != "" {
				cfg.DatabaseURL = dbURL
			}
			e.cfg = cfg
			e.log = newLogger(cfg)
			return nil
		},
	}
	root.PersistentFlags().StringVar(&dataDir, "data-dir", "", "data folder (overrides COURTIER_DATA_DIR)")
	root.PersistentFlags().StringVar(&dbURL, "database-url", "", "database URL (overrides COURTIER_DATABASE_URL)")
	root.AddCommand(serveCmd(e), migrateCmd(e), userCmd(e), tokenCmd(e), seedCmd(e), mailCmd(e), importCmd(e), documentsCmd(e))
	return root
}

func newLogger(cfg config.Config) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// openDB finishes the configuration, opens the database and applies the
// pending migrations (every command needs the current schema).
func (e *env) openDB(ctx context.Context) (*db.DB, error) {
	if err := e.cfg.Finish(); err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	ran, err := migrations.Up(ctx, d.Writer(), string(d.Dialect()))
	if err != nil {
		d.Close()
		return nil, err
	}
	for _, m := range ran {
		e.log.Info("migration applied", "name", m.Name)
	}
	return d, nil
}

// withStaff opens the database and runs fn with the staff realm's service.
func (e *env) withStaff(ctx context.Context, fn func(s *auth.Service) error) error {
	d, err := e.openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	return fn(auth.New(d, auth.Staff, auth.Options{}))
}

// withStaffUser runs fn for the staff user of an e-mail address.
func (e *env) withStaffUser(ctx context.Context, email string, fn func(s *auth.Service, u auth.User) error) error {
	return e.withStaff(ctx, func(s *auth.Service) error {
		u, err := s.UserByEmail(ctx, email)
		if errors.Is(err, errs.ErrNotFound) {
			return fmt.Errorf("no staff user has the e-mail address %s (see `courtier user list`)", email)
		}
		if err != nil {
			return err
		}
		return fn(s, u)
	})
}
