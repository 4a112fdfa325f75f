package documents

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

// Every extranet method answers ErrNotFound for a document that is not
// shared with the client asking, whoever it belongs to.
func TestSharedScope(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Options{})
		ofA := f.upload(t, NewDocument{Title: "Programme A", FileName: "a.txt", Content: strings.NewReader("pour A"), ClientID: f.clientA, Shared: true})
		ofB := f.upload(t, NewDocument{Title: "Programme B", FileName: "b.txt", Content: strings.NewReader("pour B"), ClientID: f.clientB, Shared: true})
		internal := f.upload(t, NewDocument{Title: "Note interne A", FileName: "n.txt", Content: strings.NewReader("interne"), ClientID: f.clientA})
		unowned := f.upload(t, NewDocument{Title: "Catalogue", FileName: "c.txt", Content: strings.NewReader("catalogue")})

		p, err := f.s.ListShared(f.ctx, f.clientA, Filter{Shared: new(bool), ClientID: f.clientB})
		if err != nil || p.Total != 1 || len(p.Documents) != 1 || p.Documents[0].ID != ofA.ID {
			t.Errorf("ListShared(A) with a filter trying B: %+v %v", p, err)
		}
		if p, _ := f.s.ListShared(f.ctx, 0, Filter{}); p.Total != 0 || len(p.Documents) != 0 {
			t.Errorf("ListShared(0): %+v", p)
		}
		if doc, err := f.s.GetShared(f.ctx, f.clientA, ofA.ID); err != nil || doc.ID != ofA.ID || len(doc.Links) != 0 || doc.CreatedBy != nil {
			t.Errorf("GetShared(A, own): %+v %v", doc, err)
		}
		rc, v, err := f.s.OpenShared(f.ctx, f.clientA, ofA.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != "pour A" || v.FileName != "a.txt" {
			t.Errorf("OpenShared(A, own): %q %+v", b, v)
		}
		for _, id := range []int64{ofB.ID, internal.ID, unowned.ID, 999999} {
			if _, err := f.s.GetShared(f.ctx, f.clientA, id); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("GetShared(A, %d): %v, want ErrNotFound", id, err)
			}
			for _, version := range []int{0, 1} {
				if _, _, err := f.s.OpenShared(f.ctx, f.clientA, id, version); !errors.Is(err, errs.ErrNotFound) {
					t.Errorf("OpenShared(A, %d, %d): %v, want ErrNotFound", id, version, err)
				}
			}
		}

		// Sharing needs the client's link; the owner's link stays while shared.
		var inv *errs.Invalid
		if _, err := f.s.Share(f.ctx, unowned.ID, f.clientA); !errors.As(err, &inv) || inv.Fields["client_id"] == "" {
			t.Errorf("sharing an unlinked document: %v", err)
		}
		if _, err := f.s.Unlink(f.ctx, ofA.ID, Link{RecordClient, f.clientA}); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("unlinking the client of a shared document: %v", err)
		}
		if _, err := f.s.Link(f.ctx, unowned.ID, Link{RecordClient, f.clientB}, Link{RecordProvider, 4}); err != nil {
			t.Fatal(err)
		}
		if doc, err := f.s.Share(f.ctx, unowned.ID, f.clientB); err != nil || !doc.Shared || doc.SharedBy == nil || *doc.ClientID != f.clientB {
			t.Errorf("Share: %+v %v", doc, err)
		}
		if _, err := f.s.GetShared(f.ctx, f.clientB, unowned.ID); err != nil {
			t.Errorf("GetShared after Share: %v", err)
		}
		if _, err := f.s.Unshare(f.ctx, ofA.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.GetShared(f.ctx, f.clientA, ofA.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("GetShared after Unshare: %v", err)
		}
		doc, err := f.s.Unlink(f.ctx, ofA.ID, Link{RecordClient, f.clientA})
		if err != nil || doc.ClientID != nil || len(doc.Links) != 0 {
			t.Errorf("unlinking the owner once unshared: %+v %v", doc, err)
		}
		want := []string{"document.upload", "document.download", "document.unshare", "document.unlink"}
		if got := f.auditActions(t, ofA.ID); !slices.Equal(got, want) {
			t.Errorf("audit: %v, want %v", got, want)
		}
		if got := f.auditActions(t, unowned.ID); !slices.Equal(got, []string{"document.upload", "document.link", "document.share"}) {
			t.Errorf("audit of the shared catalogue: %v", got)
		}
	})
}

// The hook runs inside the transaction: what it writes commits with the
// change, and its error undoes the change.
func TestNotify(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		fail := ""
		f := newFixture(t, d, Options{})
		f.s.notify = func(ctx context.Context, q db.Querier, e Event) error {
			if e.Kind == fail {
				return errors.New("timeline unavailable")
			}
			f.events = append(f.events, e)
			// Written through q, as the CRM timeline will be.
			_, err := q.Exec(ctx, "INSERT INTO document_tags (document_id, tag) VALUES (?, ?)", e.Document.ID, "event "+e.Kind)
			return err
		}
		doc := f.upload(t, NewDocument{Title: "Devis", FileName: "devis.txt", Content: strings.NewReader("devis"),
			Links: []Link{{RecordRequest, 5}}, ClientID: f.clientA, Shared: true})
		var kinds []string
		for _, e := range f.events {
			kinds = append(kinds, e.Kind)
			if e.Document.ID != doc.ID || e.Version != 1 || len(e.Links) != 2 || e.At.IsZero() {
				t.Errorf("event %s: %+v", e.Kind, e)
			}
		}
		if !slices.Equal(kinds, []string{EventUploaded, EventShared}) {
			t.Errorf("events: %v", kinds)
		}
		if !slices.Contains(doc.Tags, "event uploaded") {
			t.Errorf("the hook's write is missing: %v", doc.Tags)
		}

		fail = EventUnshared
		if _, err := f.s.Unshare(f.ctx, doc.ID); err == nil {
			t.Fatal("Unshare succeeded although the hook failed")
		}
		if got, _ := f.s.Get(f.ctx, doc.ID); !got.Shared {
			t.Error("a failed hook left the document unshared")
		}
		fail = EventUploaded
		if _, err := f.s.Upload(f.ctx, NewDocument{Title: "Perdu", FileName: "p.txt", Content: strings.NewReader("p")}); err == nil {
			t.Fatal("Upload succeeded although the hook failed")
		}
		if p, _ := f.s.List(f.ctx, Filter{}); p.Total != 1 {
			t.Errorf("a failed hook left %d documents, want 1", p.Total)
		}
		fail = EventVersionAdded
		if _, err := f.s.AddVersion(f.ctx, doc.ID, "v2.txt", strings.NewReader("v2")); err == nil {
			t.Fatal("AddVersion succeeded although the hook failed")
		}
		if got, _ := f.s.Get(f.ctx, doc.ID); got.CurrentVersion != 1 {
			t.Errorf("a failed hook left version %d", got.CurrentVersion)
		}
		if got := f.auditActions(t, doc.ID); !slices.Equal(got, []string{"document.upload"}) {
			t.Errorf("rolled back changes were audited: %v", got)
		}
	})
}
