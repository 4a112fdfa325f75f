package crm

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
	"github.com/courtier-crm/courtier/internal/mailer"
	"github.com/courtier-crm/courtier/internal/secretbox"
)

func TestMailStore(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		box, _ := secretbox.New(bytes.Repeat([]byte{1}, 32), "mailbox")
		mb, err := NewMailboxes(d, box).Create(ctx, MailboxInput{Host: "127.0.0.1", Security: "none", Username: "crm@courtier.test", Password: "secret"})
		if err != nil {
			t.Fatal(err)
		}
		mail := NewMail(d, MailConfig{Own: []string{"crm@courtier.test"}})
		at := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
		addr := func(e string) []MailAddress { return []MailAddress{{Email: e}} }
		loc := func(folder string, uid uint32) *MailLocation {
			return &MailLocation{MailboxID: mb.ID, Folder: folder, UIDValidity: 1, UID: uid}
		}

		// A client contact writes, the provider in Cc: linked to both sides.
		first, err := mail.Store(ctx, MailInput{Key: "a1@acme-industrie.fr", MessageID: "a1@acme-industrie.fr", Subject: "Formation Excel",
			SentAt: at, From: addr("marie.durand@acme-industrie.fr"), To: addr("crm@courtier.test"), Cc: addr("contact@formaplus.fr"),
			Text: "Bonjour", Location: loc("INBOX", 1)})
		if err != nil || !first.Created || first.Triage {
			t.Fatalf("first: %+v %v", first, err)
		}
		e, _ := f.timeline.Get(ctx, first.EntryID)
		want := map[Ref]bool{{RecordContact, f.marie.ID}: true, {RecordClient, f.acme.ID}: true,
			{RecordContact, f.formaBob.ID}: true, {RecordProvider, f.forma.ID}: true}
		if len(e.Links) != len(want) {
			t.Errorf("links: got %v, want %v", e.Links, want)
		}
		// The same message in another folder: stored once, two locations.
		again, _ := mail.Store(ctx, MailInput{Key: "a1@acme-industrie.fr", Subject: "Formation Excel", Location: loc("Archive", 7)})
		if again.Created || again.ID != first.ID {
			t.Errorf("duplicate stored again: %+v", again)
		}
		msg, _ := mail.Get(ctx, first.ID)
		if len(msg.Locations) != 2 {
			t.Errorf("locations: %v", msg.Locations)
		}
		// Our reply (from our address): outgoing, in the thread, with a reply token.
		reply, _ := mail.Store(ctx, MailInput{Key: "r1@courtier.test", MessageID: "r1@courtier.test", Subject: "Re: Formation Excel",
			From: addr("crm@courtier.test"), To: addr("someone@else.example"), InReplyTo: "a1@acme-industrie.fr", ReplyToken: "k7x2m9q4"})
		re, _ := f.timeline.Get(ctx, reply.EntryID)
		rmsg, _ := mail.Get(ctx, reply.ID)
		if re.Kind != KindEmailOut || len(re.Links) != 4 || rmsg.ThreadID == nil || *rmsg.ThreadID != first.ID {
			t.Errorf("reply: kind %s links %v thread %v", re.Kind, re.Links, rmsg.ThreadID)
		}
		// An answer without threading headers, to the reply-token address, from an unknown address.
		tok, _ := mail.Store(ctx, MailInput{Key: "x9@gmail.example", Subject: "RE: formation", From: addr("marie.perso@gmail.example"),
			To: addr("crm+rk7x2m9q4@courtier.test")})
		if tok.Triage {
			t.Error("reply token did not thread the answer")
		}
		// A subject tag links to the tagged record.
		tag, _ := mail.Store(ctx, MailInput{Key: "t1@x.example", Subject: "Devis [CLI-" + itoa(f.perrin.ID) + "]", From: addr("inconnu@x.example")})
		te, _ := f.timeline.Get(ctx, tag.EntryID)
		if tag.Triage || len(te.Links) != 1 || te.Links[0] != (Ref{RecordClient, f.perrin.ID}) {
			t.Errorf("subject tag: %+v %v", tag, te.Links)
		}
		// Unknown sender, broken message: triage, then resolved or dismissed.
		spam, _ := mail.Store(ctx, MailInput{Key: "n1@inconnu.example", Subject: "Newsletter", From: addr("newsletter@inconnu.example")})
		broken, _ := mail.Store(ctx, MailInput{Key: "sha256:00ff", From: addr("marie.durand@acme-industrie.fr"), Broken: true, Problems: []string{"no header"}})
		if !spam.Triage || !broken.Triage {
			t.Errorf("triage flags: %v %v", spam.Triage, broken.Triage)
		}
		items, total, _ := mail.Triage(ctx, Page{})
		if total != 2 || len(items) != 2 {
			t.Errorf("triage list: %d %+v", total, items)
		}
		if err := mail.Dismiss(ctx, spam.ID); err != nil {
			t.Fatal(err)
		}
		if err := mail.Resolve(ctx, broken.ID, []Ref{{RecordContact, f.paul.ID}}, true); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := mail.Triage(ctx, Page{}); total != 0 {
			t.Errorf("triage after resolve/dismiss: %d", total)
		}
		byMail, _ := ByEmails(ctx, d, []string{"marie.durand@acme-industrie.fr"})
		if len(byMail["marie.durand@acme-industrie.fr"]) != 2 {
			t.Errorf("remembered address: %v", byMail)
		}
		// Full-text search finds mail by a participant's address.
		found, _, _ := f.timeline.List(ctx, TimelineFilter{Query: "formaplus"})
		if len(found) != 1 || found[0].ID != first.EntryID {
			t.Errorf("search by address: %q", titles(found))
		}
	})
}

func TestMailboxPassword(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		box, _ := secretbox.New(bytes.Repeat([]byte{2}, 32), "mailbox")
		boxes := NewMailboxes(d, box)
		mb, err := boxes.Create(ctx, MailboxInput{Host: "imap.example.fr", Security: "tls", Username: "Crm@Courtier.test",
			Password: "s3cret!", Folders: []string{"INBOX\nSent", "INBOX"}})
		if err != nil {
			t.Fatal(err)
		}
		if mb.Port != 993 || len(mb.Folders) != 2 || mb.Address != "crm@courtier.test" {
			t.Errorf("defaults: %+v", mb)
		}
		var sealed string
		_ = d.Get(ctx, &sealed, "SELECT password_sealed FROM mailboxes WHERE id = ?", mb.ID)
		if sealed == "s3cret!" || sealed == "" {
			t.Errorf("password stored in clear: %q", sealed)
		}
		if p, err := boxes.Password(ctx, mb.ID); err != nil || p != "s3cret!" {
			t.Errorf("password: %q %v", p, err)
		}
		if _, err := boxes.Update(ctx, mb.ID, MailboxInput{Host: "imap.example.fr", Security: "tls", Username: "crm@courtier.test"}); err != nil {
			t.Fatal(err)
		}
		if p, _ := boxes.Password(ctx, mb.ID); p != "s3cret!" {
			t.Error("an update without password lost the password")
		}
		if err := boxes.SaveFolderState(ctx, mb.ID, "INBOX", FolderState{UIDValidity: 4000000000, LastUID: 12}); err != nil {
			t.Fatal(err)
		}
		if st, _ := boxes.FolderState(ctx, mb.ID, "INBOX"); st.UIDValidity != 4000000000 || st.LastUID != 12 {
			t.Errorf("folder state: %+v", st)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestMailSend(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newFixture(t, d)
		rec := &mailer.Recorder{}
		mail := NewMail(d, MailConfig{Sender: rec, From: mailer.Address{Name: "Courtier", Address: "CRM@Courtier.test"}})
		sent, err := mail.Send(ctx, Outgoing{To: []MailAddress{{Name: "Marie Durand", Email: "marie.durand@acme-industrie.fr"}},
			Subject: "Votre demande de formation", Text: "Bonjour Marie", Links: []Ref{{RecordClient, f.acme.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		m, ok := rec.Last()
		if !ok || m.MessageID == "" || m.ReplyTo == nil || !strings.HasPrefix(m.ReplyTo.Address, "CRM+r") {
			t.Fatalf("sent message: %+v", m)
		}
		e, _ := f.timeline.Get(ctx, sent.EntryID)
		if e.Kind != KindEmailOut || len(e.Links) != 2 { // the client given, and Marie found by address
			t.Errorf("entry: %s %v", e.Kind, e.Links)
		}
		// Her answer, with no threading header, to the Reply-To address, threads back.
		ans, _ := mail.Store(ctx, MailInput{Key: "ans@perso.example", Subject: "Re: votre demande",
			From: []MailAddress{{Email: "marie@perso.example"}}, To: []MailAddress{{Email: strings.ToLower(m.ReplyTo.Address)}}})
		got, _ := mail.Get(ctx, ans.ID)
		if ans.Triage || got.ThreadID == nil || *got.ThreadID != sent.ID {
			t.Errorf("answer not threaded: %+v thread %v", ans, got.ThreadID)
		}
		if _, err := mail.Send(ctx, Outgoing{Subject: "x"}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("no recipient: %v", err)
		}
		if n := len(rec.Messages()); n != 1 {
			t.Errorf("%d messages sent, want 1", n)
		}
	})
}
