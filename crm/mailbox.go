package crm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/secretbox"
)

// Mailbox is an IMAP mailbox Courtier syncs into the history. Its password
// is stored encrypted and never returned.
type Mailbox struct {
	ID         int64      `db:"id" json:"id"`
	Name       string     `db:"name" json:"name"`
	Host       string     `db:"host" json:"host"`
	Port       int        `db:"port" json:"port"`
	Security   string     `db:"security" json:"security"`
	Username   string     `db:"username" json:"username"`
	FolderList string     `db:"folders" json:"-"`
	Address    string     `db:"address" json:"address"`
	Active     bool       `db:"active" json:"active"`
	LastSyncAt *time.Time `db:"last_sync_at" json:"last_sync_at"`
	LastError  string     `db:"last_error" json:"last_error"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time  `db:"updated_at" json:"updated_at"`
	Folders    []string   `db:"-" json:"folders"`
}

// MailboxInput is what staff or the CLI set. An empty Password on update
// keeps the stored one.
type MailboxInput struct {
	Name     string   `json:"name"`
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Security string   `json:"security"`
	Username string   `json:"username"`
	Password string   `json:"password"`
	Folders  []string `json:"folders"`
	Address  string   `json:"address"`
	Active   bool     `json:"active"`
}

// MailboxSecurities are the connection security modes.
var MailboxSecurities = []string{"tls", "starttls", "none"}

func (in *MailboxInput) normalize(creating bool) error {
	inv := &errs.Invalid{}
	in.Host, in.Username = strings.TrimSpace(in.Host), strings.TrimSpace(in.Username)
	if in.Host == "" {
		inv.Add("host", "error.required")
	}
	if in.Username == "" {
		inv.Add("username", "error.required")
	}
	if !slices.Contains(MailboxSecurities, in.Security) {
		inv.Add("security", "error.invalid")
	}
	if in.Port == 0 {
		in.Port = 993
		if in.Security != "tls" {
			in.Port = 143
		}
	}
	if in.Port < 1 || in.Port > 65535 {
		inv.Add("port", "error.invalid")
	}
	if creating && in.Password == "" {
		inv.Add("password", "error.required")
	}
	var folders []string
	for _, f := range in.Folders {
		for _, f := range strings.Split(f, "\n") {
			if f = strings.TrimSpace(f); f != "" && !slices.Contains(folders, f) {
				folders = append(folders, f)
			}
		}
	}
	if len(folders) == 0 {
		folders = []string{"INBOX"}
	}
	in.Folders = folders
	in.Address = strings.ToLower(strings.TrimSpace(in.Address))
	if in.Address == "" && strings.Contains(in.Username, "@") {
		in.Address = strings.ToLower(in.Username)
	}
	if in.Address != "" && !validEmail(in.Address) {
		inv.Add("address", "error.email_invalid")
	}
	if in.Name = strings.TrimSpace(in.Name); in.Name == "" {
		in.Name = in.Username
	}
	return inv.OrNil()
}

// Mailboxes stores mailbox settings and per-folder sync state.
type Mailboxes struct {
	db  *db.DB
	box *secretbox.Box
}

// NewMailboxes returns the mailbox service; box encrypts the passwords.
func NewMailboxes(d *db.DB, box *secretbox.Box) *Mailboxes { return &Mailboxes{db: d, box: box} }

const mailboxColumns = `id, name, host, port, security, username, folders, address, active, last_sync_at, last_error,
	created_at, updated_at`

// Create adds a mailbox.
func (s *Mailboxes) Create(ctx context.Context, in MailboxInput) (Mailbox, error) {
	in.Active = true
	if err := in.normalize(true); err != nil {
		return Mailbox{}, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		now := time.Now().UTC()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO mailboxes (name, host, port, security, username, password_sealed, folders,
			address, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Name, in.Host, in.Port, in.Security, in.Username, s.box.Seal(in.Password), strings.Join(in.Folders, "\n"),
			in.Address, in.Active, now, now)
		if errors.Is(err, errs.ErrConflict) {
			return errs.NewInvalid("username", "error.mailbox_exists")
		} else if err != nil {
			return fmt.Errorf("crm: create mailbox: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "mailbox.create", Entity: "mailbox", EntityID: id})
	})
	if err != nil {
		return Mailbox{}, err
	}
	return s.Get(ctx, id)
}

// Update changes a mailbox; an empty password keeps the stored one.
func (s *Mailboxes) Update(ctx context.Context, id int64, in MailboxInput) (Mailbox, error) {
	if err := in.normalize(false); err != nil {
		return Mailbox{}, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		q := `UPDATE mailboxes SET name = ?, host = ?, port = ?, security = ?, username = ?, folders = ?, address = ?,
			active = ?, updated_at = ?`
		args := []any{in.Name, in.Host, in.Port, in.Security, in.Username, strings.Join(in.Folders, "\n"), in.Address,
			in.Active, time.Now().UTC()}
		if in.Password != "" {
			q += ", password_sealed = ?"
			args = append(args, s.box.Seal(in.Password))
		}
		res, err := tx.Exec(ctx, q+" WHERE id = ?", append(args, id)...)
		if errors.Is(err, errs.ErrConflict) {
			return errs.NewInvalid("username", "error.mailbox_exists")
		} else if err != nil {
			return fmt.Errorf("crm: update mailbox %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("crm: mailbox %d: %w", id, errs.ErrNotFound)
		}
		return audit.Record(ctx, tx, audit.Event{Action: "mailbox.update", Entity: "mailbox", EntityID: id})
	})
	if err != nil {
		return Mailbox{}, err
	}
	return s.Get(ctx, id)
}

// Get loads a mailbox (without its password).
func (s *Mailboxes) Get(ctx context.Context, id int64) (Mailbox, error) {
	var m Mailbox
	if err := s.db.Get(ctx, &m, "SELECT "+mailboxColumns+" FROM mailboxes WHERE id = ?", id); err != nil {
		return Mailbox{}, fmt.Errorf("crm: load mailbox %d: %w", id, err)
	}
	m.Folders = strings.Split(m.FolderList, "\n")
	return m, nil
}

// List returns every mailbox by name.
func (s *Mailboxes) List(ctx context.Context) ([]Mailbox, error) {
	var out []Mailbox
	if err := s.db.Select(ctx, &out, "SELECT "+mailboxColumns+" FROM mailboxes ORDER BY name, id"); err != nil {
		return nil, fmt.Errorf("crm: list mailboxes: %w", err)
	}
	for i := range out {
		out[i].Folders = strings.Split(out[i].FolderList, "\n")
	}
	return out, nil
}

// Addresses returns the broker's own addresses known from the mailboxes.
func (s *Mailboxes) Addresses(ctx context.Context) ([]string, error) {
	var out []string
	err := s.db.Select(ctx, &out, "SELECT DISTINCT address FROM mailboxes WHERE address <> ''")
	return out, err
}

// Password decrypts a mailbox's password, for the sync only.
func (s *Mailboxes) Password(ctx context.Context, id int64) (string, error) {
	var sealed string
	if err := s.db.Get(ctx, &sealed, "SELECT password_sealed FROM mailboxes WHERE id = ?", id); err != nil {
		return "", fmt.Errorf("crm: mailbox %d: %w", id, err)
	}
	p, err := s.box.Open(sealed)
	if err != nil {
		return "", fmt.Errorf("crm: mailbox %d password: %w", id, err)
	}
	return p, nil
}

// FolderState is what the sync remembers of a folder: the UIDVALIDITY it
// saw and the highest UID it stored.
type FolderState struct {
	UIDValidity uint32
	LastUID     uint32
}

// FolderState returns the sync state of a folder (zero when never synced).
func (s *Mailboxes) FolderState(ctx context.Context, mailboxID int64, folder string) (FolderState, error) {
	var row struct {
		V int64 `db:"uid_validity"`
		U int64 `db:"last_uid"`
	}
	err := s.db.Get(ctx, &row, "SELECT uid_validity, last_uid FROM mailbox_folders WHERE mailbox_id = ? AND name = ?", mailboxID, folder)
	if errors.Is(err, errs.ErrNotFound) {
		return FolderState{}, nil
	}
	return FolderState{UIDValidity: uint32(row.V), LastUID: uint32(row.U)}, err
}

// SaveFolderState records the sync progress of a folder.
func (s *Mailboxes) SaveFolderState(ctx context.Context, mailboxID int64, folder string, st FolderState) error {
	_, err := s.db.Exec(ctx, `INSERT INTO mailbox_folders (mailbox_id, name, uid_validity, last_uid, last_sync_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (mailbox_id, name) DO UPDATE SET uid_validity = excluded.uid_validity,
		last_uid = excluded.last_uid, last_sync_at = excluded.last_sync_at`,
		mailboxID, folder, int64(st.UIDValidity), int64(st.LastUID), time.Now().UTC())
	if err != nil {
		return fmt.Errorf("crm: save folder state: %w", err)
	}
	return nil
}

// RecordSync notes the end of a sync of the mailbox and its error, if any.
func (s *Mailboxes) RecordSync(ctx context.Context, id int64, syncErr error) error {
	msg := ""
	if syncErr != nil {
		msg = syncErr.Error()
	}
	_, err := s.db.Exec(ctx, "UPDATE mailboxes SET last_sync_at = ?, last_error = ? WHERE id = ?", time.Now().UTC(), msg, id)
	return err
}
