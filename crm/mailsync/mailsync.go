// Package mailsync pulls e-mail from the broker's IMAP mailboxes into the
// CRM history. For each watched folder it fetches only the UIDs above the
// last one stored (UIDVALIDITY/UID), keeps each raw message as a blob,
// parses it, and hands it to crm.Mail, which stores each message once (by
// Message-ID, or a content hash), threads it, links it to contacts and puts
// what matches nothing in the triage list. A message that cannot be parsed
// is stored raw and flagged; one bad message never stops a sync.
package mailsync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/mailsync/eml"
	"github.com/courtier-crm/courtier/crm/mailsync/imapconn"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/jobs"
)

// Source is the IMAP side of a sync; *imapconn.Conn implements it. Keeping
// it this small keeps go-imap (v1 frozen, v2 in beta) replaceable.
type Source interface {
	Examine(ctx context.Context, folder string) (imapconn.Folder, error)
	UIDsFrom(ctx context.Context, from uint32) ([]uint32, error)
	Fetch(ctx context.Context, uids []uint32, fn func(imapconn.Fetched) error) error
	Close() error
}

// Dialer opens a Source.
type Dialer func(ctx context.Context, cfg imapconn.Config) (Source, error)

// DialIMAP is the real Dialer.
func DialIMAP(ctx context.Context, cfg imapconn.Config) (Source, error) {
	c, err := imapconn.Dial(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Syncer syncs mailboxes.
type Syncer struct {
	DB        *db.DB
	Mailboxes *crm.Mailboxes
	Mail      *crm.Mail
	Blobs     documents.Blobs
	Dial      Dialer
	Log       *slog.Logger
	// Holder names this process for the per-mailbox lease (jobs.Holder()).
	Holder string
	// Progress, if set, is called after each message (for the CLI's bar).
	Progress func(mailbox, folder string, done, total int)
}

// Result counts what one sync of a mailbox did.
type Result struct {
	Mailbox    string
	Folders    int
	Fetched    int // messages downloaded
	Stored     int // new messages
	Duplicates int // already stored (another folder or mailbox, or a UIDVALIDITY change)
	Broken     int // stored raw and flagged
	Triage     int // new messages that matched no record
	Skipped    bool
}

func (r Result) String() string {
	if r.Skipped {
		return r.Mailbox + ": skipped (another process is syncing it)"
	}
	return fmt.Sprintf("%s: %d folder(s), %d fetched, %d new, %d already stored, %d unparseable, %d to triage",
		r.Mailbox, r.Folders, r.Fetched, r.Stored, r.Duplicates, r.Broken, r.Triage)
}

// leaseTTL bounds how long a crashed process keeps others from syncing a mailbox.
const leaseTTL = 30 * time.Minute

// checkpoint is how many messages are stored between two saves of the
// folder state: after a crash at most that many are fetched again, and
// found already stored.
const checkpoint = 100

// SyncAll syncs every active mailbox; a failing mailbox does not stop the
// others. It returns the results and the mailbox errors joined.
func (s *Syncer) SyncAll(ctx context.Context) ([]Result, error) {
	boxes, err := s.Mailboxes.List(ctx)
	if err != nil {
		return nil, err
	}
	var results []Result
	var errs []error
	for _, b := range boxes {
		if !b.Active {
			continue
		}
		r, err := s.SyncMailbox(ctx, b.ID)
		results = append(results, r)
		if err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return results, errors.Join(errs...)
}

// SyncMailbox syncs the watched folders of one mailbox, under a lease so
// that a single process syncs it at a time.
func (s *Syncer) SyncMailbox(ctx context.Context, id int64) (res Result, err error) {
	mb, err := s.Mailboxes.Get(ctx, id)
	if err != nil {
		return res, err
	}
	res.Mailbox = mb.Name
	lease := fmt.Sprintf("mailsync:%d", id)
	holder := s.Holder
	if holder == "" {
		holder = jobs.Holder()
	}
	ok, err := jobs.Acquire(ctx, s.DB, lease, holder, leaseTTL)
	if err != nil {
		return res, err
	}
	if !ok {
		res.Skipped = true
		return res, nil
	}
	defer func() {
		_ = jobs.Release(context.WithoutCancel(ctx), s.DB, lease, holder)
		if rerr := s.Mailboxes.RecordSync(context.WithoutCancel(ctx), id, err); rerr != nil && err == nil {
			err = rerr
		}
	}()
	password, err := s.Mailboxes.Password(ctx, id)
	if err != nil {
		return res, err
	}
	src, err := s.Dial(ctx, imapconn.Config{Host: mb.Host, Port: mb.Port, Security: imapconn.Security(mb.Security),
		User: mb.Username, Password: password})
	if err != nil {
		return res, fmt.Errorf("mailsync: %s: %w", mb.Name, err)
	}
	defer src.Close()
	for _, folder := range mb.Folders {
		if err := s.syncFolder(ctx, src, mb, folder, &res); err != nil {
			return res, fmt.Errorf("mailsync: %s / %s: %w", mb.Name, folder, err)
		}
		res.Folders++
	}
	return res, nil
}

func (s *Syncer) syncFolder(ctx context.Context, src Source, mb crm.Mailbox, folder string, res *Result) error {
	st, err := s.Mailboxes.FolderState(ctx, mb.ID, folder)
	if err != nil {
		return err
	}
	f, err := src.Examine(ctx, folder)
	if err != nil {
		return err
	}
	if st.UIDValidity != f.UIDValidity {
		// The server renumbered the folder (RFC 3501 §2.3.1.1): fetch it all
		// again; messages already stored are recognised by their key.
		if st.UIDValidity != 0 {
			s.logger().Warn("UIDVALIDITY changed: refetching the folder", "mailbox", mb.Name, "folder", folder,
				"was", st.UIDValidity, "now", f.UIDValidity)
		}
		st = crm.FolderState{UIDValidity: f.UIDValidity}
	}
	if f.Messages == 0 || (f.UIDNext != 0 && f.UIDNext <= st.LastUID+1) {
		return s.Mailboxes.SaveFolderState(ctx, mb.ID, folder, st)
	}
	uids, err := src.UIDsFrom(ctx, st.LastUID+1)
	if err != nil {
		return err
	}
	// Two stages overlap: the fetch callback writes each raw message to the
	// blob store and parses it, while a second goroutine stores the parsed
	// messages in the database, in UID order. A failing store stops the fetch.
	stored := make(chan parsed, 32)
	storeCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	storeDone := make(chan error, 1)
	go func() {
		var err error
		done := 0
		for p := range stored {
			if err != nil {
				continue // drain, so the fetch never blocks on a dead stage
			}
			if err = s.store(storeCtx, mb, folder, f.UIDValidity, p, res); err != nil {
				stop(err)
				continue
			}
			st.LastUID = max(st.LastUID, p.uid)
			if done++; done%checkpoint == 0 {
				if err = s.Mailboxes.SaveFolderState(storeCtx, mb.ID, folder, st); err != nil {
					stop(err)
					continue
				}
			}
			if s.Progress != nil {
				s.Progress(mb.Name, folder, done, len(uids))
			}
		}
		storeDone <- err
	}()
	fetchErr := src.Fetch(storeCtx, uids, func(m imapconn.Fetched) error {
		p, err := s.fetchOne(storeCtx, m)
		if err != nil {
			return err
		}
		select {
		case stored <- p:
			return nil
		case <-storeCtx.Done():
			return context.Cause(storeCtx)
		}
	})
	close(stored)
	storeErr := <-storeDone
	// Save what was stored even when the sync broke off half-way.
	if err := s.Mailboxes.SaveFolderState(context.WithoutCancel(ctx), mb.ID, folder, st); err != nil {
		return errors.Join(storeErr, err)
	}
	if storeErr != nil {
		return storeErr // the fetch error is then only its consequence
	}
	return fetchErr
}

// parsed is a fetched message, its raw copy in the blob store, parsed.
type parsed struct {
	uid     uint32
	date    time.Time
	raw     string
	rawSize int64
	message *eml.Message
}

// fetchOne writes the raw message to the blob store first, so nothing is
// lost whatever the parser thinks of it, then parses it.
func (s *Syncer) fetchOne(ctx context.Context, m imapconn.Fetched) (parsed, error) {
	sum, size, err := s.Blobs.Put(ctx, m.Body)
	if err != nil {
		return parsed{}, err
	}
	msg, err := s.parse(ctx, sum)
	if err != nil {
		return parsed{}, err
	}
	return parsed{uid: m.UID, date: m.InternalDate, raw: sum, rawSize: size, message: msg}, nil
}

// store hands one parsed message to the CRM and counts what happened.
func (s *Syncer) store(ctx context.Context, mb crm.Mailbox, folder string, validity uint32, p parsed, res *Result) error {
	res.Fetched++
	in := mailInput(p.message)
	in.RawSHA256, in.RawSize = p.raw, p.rawSize
	in.Location = &crm.MailLocation{MailboxID: mb.ID, Folder: folder, UIDValidity: validity, UID: p.uid}
	if in.SentAt.IsZero() {
		in.SentAt = p.date.UTC()
	}
	for _, a := range in.From {
		in.Outgoing = in.Outgoing || (mb.Address != "" && a.Email == mb.Address)
	}
	stored, err := s.Mail.Store(ctx, in)
	if err != nil {
		return fmt.Errorf("store UID %d: %w", p.uid, err)
	}
	switch {
	case !stored.Created:
		res.Duplicates++
	default:
		res.Stored++
		if in.Broken {
			res.Broken++
		}
		if stored.Triage {
			res.Triage++
		}
	}
	return nil
}

// parse reads the raw message back from the blob store; attachments go to
// the store as they stream. A parser panic is caught and the message kept
// raw and flagged.
func (s *Syncer) parse(ctx context.Context, rawSum string) (msg *eml.Message, err error) {
	r, err := s.Blobs.Open(ctx, rawSum)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	defer func() {
		if p := recover(); p != nil {
			msg, err = &eml.Message{Broken: true, ContentKey: "sha256:" + rawSum,
				Problems: []string{fmt.Sprintf("parser failure: %v", p)}}, nil
		}
	}()
	return eml.Parse(r, func(r io.Reader) (string, int64, error) { return s.Blobs.Put(ctx, r) })
}

// mailInput maps the parser's message to what crm stores.
func mailInput(m *eml.Message) crm.MailInput {
	in := crm.MailInput{Key: m.MessageID, MessageID: m.MessageID, Subject: m.Subject, SentAt: m.Date,
		From: addrs(m.From), To: addrs(m.To), Cc: addrs(m.Cc), ReplyTo: addrs(m.ReplyTo),
		References: m.References, Text: m.Text, HTML: m.HTML, Problems: m.Problems, Broken: m.Broken}
	if in.Key == "" {
		in.Key = m.ContentKey
	}
	if len(m.InReplyTo) > 0 {
		in.InReplyTo = m.InReplyTo[0]
	}
	for _, a := range m.Attachments {
		in.Attachments = append(in.Attachments, crm.MailAttachment{Filename: a.Filename, ContentType: a.ContentType,
			Size: a.Size, SHA256: a.SHA256, Inline: a.Inline, ContentID: a.ContentID})
	}
	return in
}

func addrs(list []eml.Address) []crm.MailAddress {
	var out []crm.MailAddress
	for _, a := range list {
		out = append(out, crm.MailAddress{Name: a.Name, Email: strings.ToLower(a.Email)})
	}
	return out
}

func (s *Syncer) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}
