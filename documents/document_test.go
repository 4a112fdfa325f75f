package documents

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/internal/errs"
)

type fixture struct {
	s                *Service
	d                *db.DB
	blobDir          string
	ctx              context.Context // a staff user acting
	staffID          int64
	clientA, clientB int64
	events           []Event
}

func newFixture(t *testing.T, d *db.DB, opts Options) *fixture {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	f := &fixture{d: d}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(d.ExecReturning(ctx, &f.staffID, `INSERT INTO staff_users (email, name, role, created_at, updated_at)
		VALUES ('claire@courtier.example', 'Claire Martin', 'consultant', ?, ?) RETURNING id`, now, now))
	must(d.ExecReturning(ctx, &f.clientA, "INSERT INTO clients (legal_name, created_at, updated_at) VALUES ('Transports Morel', ?, ?) RETURNING id", now, now))
	must(d.ExecReturning(ctx, &f.clientB, "INSERT INTO clients (legal_name, created_at, updated_at) VALUES ('Boulangerie Petit', ?, ?) RETURNING id", now, now))
	blobs, dir := newBlobs(t)
	f.blobDir = dir
	opts.Blobs = blobs
	if opts.Notify == nil {
		opts.Notify = func(ctx context.Context, q db.Querier, e Event) error {
			f.events = append(f.events, e)
			return nil
		}
	}
	s, err := NewService(d, opts)
	must(err)
	f.s = s
	f.ctx = audit.WithActor(ctx, audit.Actor{Kind: audit.ActorStaff, ID: f.staffID, Label: "claire@courtier.example"})
	return f
}

func (f *fixture) upload(t *testing.T, nd NewDocument) Document {
	t.Helper()
	doc, err := f.s.Upload(f.ctx, nd)
	if err != nil {
		t.Fatalf("upload %q: %v", nd.Title, err)
	}
	return doc
}

func (f *fixture) read(t *testing.T, id int64, version int) string {
	t.Helper()
	rc, _, err := f.s.Open(f.ctx, id, version)
	if err != nil {
		t.Fatalf("open %d v%d: %v", id, version, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// auditActions lists a document's audit actions, oldest first.
func (f *fixture) auditActions(t *testing.T, id int64) []string {
	t.Helper()
	entries, err := audit.NewLog(f.d).List(context.Background(), audit.Filter{Entity: "document", EntityID: id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append([]string{e.Action}, out...)
	}
	return out
}

func TestVersionsAndImmutability(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Options{MaxSize: 1000})
		doc := f.upload(t, NewDocument{FileName: `C:\Users\claire\Devis Morel.txt`, Content: strings.NewReader("Devis version 1"),
			Tags: []string{" OPCO ", "opco", "Urgent"}, Links: []Link{{RecordRequest, 7}}, ClientID: f.clientA})
		if doc.Title != "Devis Morel.txt" || doc.FileName != "Devis Morel.txt" || doc.Kind != KindUpload || doc.CurrentVersion != 1 {
			t.Errorf("uploaded: %+v", doc)
		}
		if doc.MimeType != "text/plain; charset=utf-8" || doc.TextStatus != TextExtracted || doc.Size != 15 {
			t.Errorf("file: %s %s %d", doc.MimeType, doc.TextStatus, doc.Size)
		}
		if !slices.Equal(doc.Tags, []string{"opco", "urgent"}) || len(doc.Links) != 2 || doc.ClientID == nil || *doc.ClientID != f.clientA {
			t.Errorf("tags %v, links %v, client %v", doc.Tags, doc.Links, doc.ClientID)
		}
		if doc.CreatedBy == nil || *doc.CreatedBy != f.staffID || doc.Immutable || doc.Shared {
			t.Errorf("created by %v, immutable %v, shared %v", doc.CreatedBy, doc.Immutable, doc.Shared)
		}

		v2, err := f.s.AddVersion(f.ctx, doc.ID, "devis-v2.txt", strings.NewReader("Devis version 2, remise accordée"))
		if err != nil {
			t.Fatal(err)
		}
		if v2.CurrentVersion != 2 || v2.FileName != "devis-v2.txt" || v2.Title != doc.Title {
			t.Errorf("after AddVersion: %+v", v2)
		}
		if got := f.read(t, doc.ID, 1); got != "Devis version 1" {
			t.Errorf("version 1 reads %q", got)
		}
		if got := f.read(t, doc.ID, 0); got != "Devis version 2, remise accordée" {
			t.Errorf("current version reads %q", got)
		}
		versions, err := f.s.Versions(f.ctx, doc.ID)
		if err != nil || len(versions) != 2 || versions[0].Version != 2 || versions[1].SHA256 == versions[0].SHA256 {
			t.Errorf("versions: %+v %v", versions, err)
		}
		if _, _, err := f.s.Open(f.ctx, doc.ID, 3); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("open version 3: %v", err)
		}

		// The size limit: nothing stored, a field error.
		before := len(blobFiles(t, f.blobDir))
		_, err = f.s.Upload(f.ctx, NewDocument{FileName: "big.txt", Content: strings.NewReader(strings.Repeat("x", 1001))})
		var inv *errs.Invalid
		if !errors.As(err, &inv) || inv.Fields["file"] != "error.document_too_large" {
			t.Errorf("upload past the limit: %v", err)
		}
		if _, err := f.s.AddVersion(f.ctx, doc.ID, "big.txt", strings.NewReader(strings.Repeat("x", 1001))); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("version past the limit: %v", err)
		}
		if after := len(blobFiles(t, f.blobDir)); after != before {
			t.Errorf("refused uploads stored %d blobs", after-before)
		}
		if p, _ := f.s.List(f.ctx, Filter{}); p.Total != 1 {
			t.Errorf("refused uploads left documents: %d", p.Total)
		}

		// An executable renamed .pdf is not a PDF.
		exe := f.upload(t, NewDocument{Title: "Facture", FileName: "facture.pdf", Content: strings.NewReader("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")})
		if exe.MimeType != MimeBin || exe.TextStatus != TextNone {
			t.Errorf("renamed exe: %s %s", exe.MimeType, exe.TextStatus)
		}

		// Generated documents are immutable.
		gen, err := f.s.SaveGenerated(f.ctx, GeneratedDoc{Title: "Convocation", Kind: KindConvocation, Lang: "fr",
			Links: []Link{{RecordBooking, 12}}, OwnerClientID: f.clientA, FileName: "convocation.txt",
			Content: strings.NewReader("Convocation au stage du 12 mars"), Snapshot: []byte(`{"date": "2026-03-12", "room": "A"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if !gen.Immutable || !gen.Generated || gen.Lang != "fr" || gen.CreatedBy == nil {
			t.Errorf("generated: %+v", gen)
		}
		if _, err := f.s.AddVersion(f.ctx, gen.ID, "x.txt", strings.NewReader("replaced")); !errors.Is(err, ErrImmutable) || !errors.Is(err, errs.ErrConflict) {
			t.Errorf("AddVersion on immutable: %v", err)
		}
		if err := f.s.Delete(f.ctx, gen.ID); !errors.Is(err, errs.ErrConflict) {
			t.Errorf("Delete immutable: %v", err)
		}
		if _, err := d.Exec(f.ctx, "DELETE FROM documents WHERE id = ?", gen.ID); err == nil {
			t.Error("the database deleted an immutable document")
		}

		// A regeneration by the system is the one way to a new version.
		regen, err := f.s.SaveGenerated(f.ctx, GeneratedDoc{Title: "Convocation (nouvelle date)", Kind: KindConvocation,
			Links: []Link{{RecordBooking, 12}}, OwnerClientID: f.clientA, FileName: "convocation.txt", ReplacesID: &gen.ID,
			Content: strings.NewReader("Convocation au stage du 19 mars"), Snapshot: []byte(`{"date": "2026-03-19", "room": "A", "trainer": "M. Roux"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if regen.ID != gen.ID || regen.CurrentVersion != 2 || !regen.Immutable || regen.Title != "Convocation (nouvelle date)" {
			t.Errorf("regenerated: %+v", regen)
		}
		if got := f.read(t, gen.ID, 1); got != "Convocation au stage du 12 mars" {
			t.Errorf("generated version 1 reads %q", got)
		}
		changes, err := f.s.CompareSnapshots(f.ctx, gen.ID, 1, 2)
		if err != nil || len(changes) != 2 || changes[0].Path != "date" || changes[0].Old != "2026-03-12" || changes[1].Op != ChangeAdded {
			t.Errorf("snapshot changes: %+v %v", changes, err)
		}
		if _, err := f.s.CompareSnapshots(f.ctx, doc.ID, 1, 2); !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("comparing uploads: %v", err)
		}
		refused := []struct {
			g    GeneratedDoc
			want error
		}{
			{GeneratedDoc{Kind: KindCertificate, Links: []Link{{RecordBooking, 12}}, ReplacesID: &gen.ID}, ErrImmutable},
			{GeneratedDoc{Kind: KindConvocation, Links: []Link{{RecordBooking, 13}}, ReplacesID: &gen.ID}, ErrImmutable},
			{GeneratedDoc{Kind: KindConvocation, OwnerClientID: f.clientB, ReplacesID: &gen.ID}, ErrImmutable},
			{GeneratedDoc{Kind: KindProposal, Links: []Link{{RecordRequest, 7}}, OwnerClientID: f.clientA, ReplacesID: &doc.ID}, ErrImmutable},
			{GeneratedDoc{Kind: KindUpload, Links: []Link{{RecordRequest, 7}}}, errs.ErrInvalid},
		}
		for i, c := range refused {
			c.g.FileName, c.g.Content = "x.txt", strings.NewReader("x")
			if _, err := f.s.SaveGenerated(f.ctx, c.g); !errors.Is(err, c.want) {
				t.Errorf("regeneration %d: got %v, want %v", i, err, c.want)
			}
		}
		inv1, err := f.s.SaveGenerated(f.ctx, GeneratedDoc{Title: "Facture F2026-0001", Kind: KindInvoice, Links: []Link{{RecordInvoice, 1}},
			FileName: "F2026-0001.txt", Content: strings.NewReader("Facture")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.SaveGenerated(f.ctx, GeneratedDoc{Title: "Facture", Kind: KindInvoice, Links: []Link{{RecordInvoice, 1}},
			FileName: "F2026-0001.txt", Content: strings.NewReader("Facture corrigée"), ReplacesID: &inv1.ID}); !errors.Is(err, ErrImmutable) {
			t.Errorf("regenerating an invoice: %v", err)
		}

		// Deleting an upload keeps its blobs (content-addressed, maybe shared).
		blobsBefore := len(blobFiles(t, f.blobDir))
		if err := f.s.Delete(f.ctx, doc.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Get(f.ctx, doc.ID); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("deleted document: %v", err)
		}
		if n := len(blobFiles(t, f.blobDir)); n != blobsBefore {
			t.Errorf("delete removed blobs: %d → %d", blobsBefore, n)
		}

		want := []string{"document.upload", "document.version_add", "document.download", "document.download", "document.delete"}
		if got := f.auditActions(t, doc.ID); !slices.Equal(got, want) {
			t.Errorf("audit of the upload: %v, want %v", got, want)
		}
		if got := f.auditActions(t, gen.ID); !slices.Equal(got, []string{"document.generate", "document.generate", "document.download"}) {
			t.Errorf("audit of the generated document: %v", got)
		}
	})
}

func TestUploadRefusals(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Options{})
		if f.s.MaxSize() != DefaultMaxSize {
			t.Errorf("default size limit %d", f.s.MaxSize())
		}
		cases := []struct {
			nd    NewDocument
			field string
		}{
			{NewDocument{FileName: "a.txt"}, "file"},
			{NewDocument{FileName: "a.txt", Content: bytes.NewReader(nil)}, "file"},
			{NewDocument{FileName: "a.txt", Content: strings.NewReader("x"), Kind: "secret"}, "kind"},
			{NewDocument{FileName: "a.txt", Content: strings.NewReader("x"), Links: []Link{{"Client; DROP", 1}}}, "links"},
			{NewDocument{FileName: "a.txt", Content: strings.NewReader("x"), Shared: true}, "shared"},
			{NewDocument{FileName: "a.txt", Content: strings.NewReader("x"), Tags: []string{strings.Repeat("t", 41)}}, "tags"},
		}
		for i, c := range cases {
			_, err := f.s.Upload(f.ctx, c.nd)
			var inv *errs.Invalid
			if !errors.As(err, &inv) || inv.Fields[c.field] == "" {
				t.Errorf("case %d: got %v, want an error on %s", i, err, c.field)
			}
		}
	})
}
