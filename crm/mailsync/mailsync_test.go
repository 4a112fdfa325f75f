package mailsync

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/crm/mailsync/eml"
	"github.com/courtier-crm/courtier/crm/mailsync/mailcorpus"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/imaptest"
	"github.com/courtier-crm/courtier/internal/jobs"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/secretbox"
)

func TestMain(m *testing.M) { imaptest.Main(m) }

// world is a CRM with the corpus's known contacts, a mailbox on a real
// Dovecot user of its own, and a syncer.
type world struct {
	srv      *imaptest.Server
	user     string
	d        *db.DB
	syncer   *Syncer
	mail     *crm.Mail
	timeline *crm.Timeline
	mailbox  crm.Mailbox
	acme     crm.Client
	forma    crm.Provider
	sent     *mailer.Recorder
}

func newWorld(t testing.TB, d *db.DB, folders ...string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{srv: imaptest.Shared(t), d: d, timeline: crm.NewTimeline(d), sent: &mailer.Recorder{}}
	w.user = fmt.Sprintf("crm-%s@courtier.test", strings.NewReplacer("/", "-", " ", "-").Replace(strings.ToLower(t.Name())))
	w.srv.AddUser(t, w.user, "secret")
	for _, f := range folders {
		if f != "INBOX" {
			w.srv.CreateFolder(t, w.user, f)
		}
	}
	clients, contacts, providers := crm.NewClients(d), crm.NewContacts(d), crm.NewProviders(d)
	var err error
	if w.acme, err = clients.Create(ctx, crm.ClientInput{LegalName: "Acme Industrie"}); err != nil {
		t.Fatal(err)
	}
	if w.forma, err = providers.Create(ctx, crm.ProviderInput{Name: "Forma Plus"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []crm.ContactInput{
		{ClientID: &w.acme.ID, FirstName: "Marie", LastName: "Durand", Emails: []string{"marie.durand@acme-industrie.fr"}},
		{ClientID: &w.acme.ID, FirstName: "Paul", LastName: "Martin", Emails: []string{"paul.martin@acme-industrie.fr"}},
		{ProviderID: &w.forma.ID, LastName: "Forma Plus", Emails: []string{"contact@formaplus.fr"}},
	} {
		if _, err := contacts.Create(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	box, _ := secretbox.New(bytes.Repeat([]byte{9}, 32), "mailbox")
	mailboxes := crm.NewMailboxes(d, box)
	if len(folders) == 0 {
		folders = []string{"INBOX"}
	}
	w.mailbox, err = mailboxes.Create(ctx, crm.MailboxInput{Host: w.srv.Host, Port: w.srv.Port, Security: "none",
		Username: w.user, Password: "secret", Folders: folders, Address: "crm@courtier.test"})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := documents.NewLocalBlobs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w.mail = crm.NewMail(d, crm.MailConfig{Sender: w.sent, From: mailer.Address{Name: "Courtier", Address: "crm@courtier.test"}})
	w.syncer = &Syncer{DB: d, Mailboxes: mailboxes, Mail: w.mail, Blobs: blobs, Dial: DialIMAP}
	return w
}

func (w *world) sync(t testing.TB) Result {
	t.Helper()
	r, err := w.syncer.SyncMailbox(context.Background(), w.mailbox.ID)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return r
}

// stored finds the message stored under a Message-ID.
func (w *world) stored(t *testing.T, messageID string) (crm.MailMessage, crm.Entry) {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := w.d.Get(ctx, &id, "SELECT id FROM mail_messages WHERE message_id = ?", eml.NormalizeID(messageID)); err != nil {
		t.Fatalf("message %s not stored: %v", messageID, err)
	}
	m, err := w.mail.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	e, err := w.timeline.Get(ctx, m.EntryID)
	if err != nil {
		t.Fatal(err)
	}
	return m, e
}

// TestSyncCorpus delivers every fixture to a real Dovecot, syncs, and checks
// what the timeline and triage hold; then re-syncs (nothing new), syncs a
// message appended in between, and survives a UIDVALIDITY change.
func TestSyncCorpus(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d, "INBOX", "Archive")
		fixtures := mailcorpus.Fixtures()
		keys := map[string]bool{}
		for _, f := range fixtures {
			folder := "INBOX"
			if strings.Contains(f.Name, "archive") {
				folder = "Archive"
			}
			w.srv.Deliver(t, w.user, folder, f.Raw)
		}
		// Count the distinct messages with the parser itself: the key is the
		// Message-ID or the content hash.
		for _, f := range fixtures {
			m, err := eml.Parse(bytes.NewReader(f.Raw), discard)
			if err != nil {
				t.Fatal(err)
			}
			k := m.MessageID
			if k == "" {
				k = m.ContentKey
			}
			keys[k] = true
		}

		r := w.sync(t)
		if r.Fetched != len(fixtures) || r.Stored != len(keys) || r.Duplicates != len(fixtures)-len(keys) || r.Folders != 2 {
			t.Fatalf("first sync: %s; want %d fetched, %d new", r, len(fixtures), len(keys))
		}
		var n int
		_ = d.Get(ctx, &n, "SELECT COUNT(*) FROM mail_messages")
		if n != len(keys) {
			t.Errorf("%d messages stored, want %d", n, len(keys))
		}

		for _, f := range fixtures {
			if f.Want.MessageID == "" {
				continue
			}
			t.Run(f.Name, func(t *testing.T) {
				m, e := w.stored(t, f.Want.MessageID)
				if f.Want.Subject != "" && m.Subject != f.Want.Subject {
					t.Errorf("subject: got %q, want %q", m.Subject, f.Want.Subject)
				}
				for _, s := range f.Want.TextContains {
					if !strings.Contains(m.Text, s) {
						t.Errorf("text lacks %q: %q", s, trunc(m.Text))
					}
				}
				for _, s := range f.Want.HTMLNotContains {
					if strings.Contains(m.HTML, s) {
						t.Errorf("sanitised HTML still holds %q", s)
					}
				}
				var names []string
				for _, a := range m.Attachments {
					names = append(names, a.Filename)
				}
				if !slices.Equal(names, f.Want.Attachments) && !(len(names) == 0 && len(f.Want.Attachments) == 0) {
					t.Errorf("attachments: got %q, want %q", names, f.Want.Attachments)
				}
				known := slices.ContainsFunc(f.Want.Participants, func(a string) bool {
					return strings.HasSuffix(a, "@acme-industrie.fr") || a == "contact@formaplus.fr"
				})
				if known && m.Triage != crm.TriageNone {
					t.Errorf("a message with a known contact is in triage (links %v)", e.Links)
				}
				if known && !slices.Contains(e.Links, crm.Ref{Type: crm.RecordClient, ID: w.acme.ID}) &&
					!slices.Contains(e.Links, crm.Ref{Type: crm.RecordProvider, ID: w.forma.ID}) {
					t.Errorf("not linked to the company of its contacts: %v", e.Links)
				}
				if f.Want.Broken != m.Broken {
					t.Errorf("broken: got %v, want %v (problems %q)", m.Broken, f.Want.Broken, m.Problems)
				}
			})
		}
		// Unknown senders and broken messages wait in triage; nothing is lost.
		items, total, err := w.mail.Triage(ctx, crm.Page{Size: 500})
		if err != nil || total == 0 {
			t.Fatalf("triage: %d %v", total, err)
		}
		for _, it := range items {
			if it.From != "" && (strings.HasSuffix(it.From, "@acme-industrie.fr") || it.From == "contact@formaplus.fr") && !it.Broken {
				t.Errorf("known sender in triage: %+v", it)
			}
		}
		// Every broken fixture is stored, flagged, in triage.
		var broken int
		_ = d.Get(ctx, &broken, "SELECT COUNT(*) FROM mail_messages WHERE broken = TRUE AND triage = 'pending'")
		wantBroken := 0
		for _, f := range fixtures {
			if f.Want.Broken {
				wantBroken++
			}
		}
		if broken != wantBroken {
			t.Errorf("%d broken messages in triage, want %d", broken, wantBroken)
		}
		// A reply chain is one thread.
		threads := map[int64]int{}
		for _, f := range fixtures {
			if f.Want.InReplyTo != "" {
				m, _ := w.stored(t, f.Want.MessageID)
				parent, _ := w.stored(t, f.Want.InReplyTo)
				if m.ThreadID == nil || parent.ThreadID == nil || *m.ThreadID != *parent.ThreadID {
					t.Errorf("%s not in the thread of %s", f.Want.MessageID, f.Want.InReplyTo)
				} else {
					threads[*m.ThreadID]++
				}
			}
		}
		if len(threads) == 0 {
			t.Error("the corpus has no reply chain")
		}

		// Second sync: nothing new, nothing downloaded.
		if r := w.sync(t); r.Fetched != 0 || r.Stored != 0 {
			t.Errorf("re-sync: %s", r)
		}

		// A message appended between two syncs is picked up, alone.
		w.srv.Deliver(t, w.user, "INBOX", []byte("Message-ID: <late@acme-industrie.fr>\r\nFrom: paul.martin@acme-industrie.fr\r\n"+
			"To: crm@courtier.test\r\nSubject: Oubli\r\nDate: Tue, 5 May 2026 10:00:00 +0200\r\n\r\nJ'ai oublié un stagiaire.\r\n"))
		if r := w.sync(t); r.Fetched != 1 || r.Stored != 1 {
			t.Errorf("sync after append: %s", r)
		}

		// Our mail's reply-token address threads an answer without headers.
		sent, err := w.mail.Send(ctx, crm.Outgoing{To: []crm.MailAddress{{Email: "marie.durand@acme-industrie.fr"}}, Subject: "Proposition"})
		if err != nil {
			t.Fatal(err)
		}
		last, _ := w.sent.Last()
		w.srv.Deliver(t, w.user, "INBOX", mailcorpus.ReplyWithToken(last.ReplyTo.Address, "Re: Proposition"))
		if r := w.sync(t); r.Stored != 1 || r.Triage != 0 {
			t.Errorf("reply by token: %s", r)
		}
		var thread int64
		_ = d.Get(ctx, &thread, "SELECT thread_id FROM mail_messages ORDER BY id DESC LIMIT 1")
		if thread != sent.ID {
			t.Errorf("reply by token in thread %d, want %d", thread, sent.ID)
		}

		// UIDVALIDITY changes: everything is fetched again, nothing duplicated.
		before := 0
		_ = d.Get(ctx, &before, "SELECT COUNT(*) FROM mail_messages")
		w.srv.ResetUIDValidity(t, w.user, "INBOX")
		r = w.sync(t)
		after := 0
		_ = d.Get(ctx, &after, "SELECT COUNT(*) FROM mail_messages")
		if r.Fetched == 0 || r.Stored != 0 || after != before {
			t.Errorf("after UIDVALIDITY change: %s; %d messages, was %d", r, after, before)
		}
	})
}

// TestSyncFailures: a wrong password fails with a clear error kept on the
// mailbox; a mailbox another process is syncing is skipped.
func TestSyncFailures(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		boxes := w.syncer.Mailboxes
		if _, err := boxes.Update(ctx, w.mailbox.ID, crm.MailboxInput{Host: w.srv.Host, Port: w.srv.Port, Security: "none",
			Username: w.user, Password: "wrong", Address: "crm@courtier.test", Active: true}); err != nil {
			t.Fatal(err)
		}
		_, err := w.syncer.SyncMailbox(ctx, w.mailbox.ID)
		if err == nil || !strings.Contains(err.Error(), "login") {
			t.Fatalf("wrong password: %v", err)
		}
		mb, _ := boxes.Get(ctx, w.mailbox.ID)
		if mb.LastError == "" || mb.LastSyncAt == nil {
			t.Errorf("error not recorded: %+v", mb)
		}
		w.syncer.Holder = "this-process"
		if ok, err := jobs.Acquire(ctx, d, fmt.Sprintf("mailsync:%d", w.mailbox.ID), "another-process", time.Minute); !ok || err != nil {
			t.Fatal(ok, err)
		}
		if r, err := w.syncer.SyncMailbox(ctx, w.mailbox.ID); err != nil || !r.Skipped {
			t.Errorf("mailbox leased by another process: %s %v", r, err)
		}
	})
}

// discard is a Sink that keeps nothing, for parsing fixtures to count them.
func discard(r io.Reader) (string, int64, error) {
	n, err := io.Copy(io.Discard, r)
	return "", n, err
}

func trunc(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// TestSyncLargeAttachment syncs a message with a 25 MB attachment: it is
// stored whole, and the heap grows by about one copy of the message (go-imap
// v1 reads a literal into memory), not by several.
func TestSyncLargeAttachment(t *testing.T) {
	d := dbtest.Open(t, db.SQLite)
	w := newWorld(t, d)
	raw := mailcorpus.Large(25)
	w.srv.Deliver(t, w.user, "INBOX", raw)
	raw = nil
	runtime.GC()
	peak := watchHeap()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	r := w.sync(t)
	top := peak()
	if r.Stored != 1 || r.Broken != 0 {
		t.Fatalf("sync: %s", r)
	}
	var size int64
	if err := d.Get(context.Background(), &size, "SELECT MAX(size) FROM mail_attachments"); err != nil || size < 25<<20 {
		t.Errorf("attachment size %d (%v), want ≥ 25 MiB", size, err)
	}
	growth := float64(top-before.HeapInuse) / (1 << 20)
	t.Logf("25 MB attachment: peak heap growth %.1f MB", growth)
	if growth > 80 {
		t.Errorf("peak heap grew by %.0f MB for a 25 MB message", growth)
	}
}
