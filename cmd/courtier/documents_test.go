package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm"
	"github.com/courtier-crm/courtier/documents"
	"github.com/courtier-crm/courtier/internal/config"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

// testEnv is the environment of a command run on a data dir.
func testEnv(t *testing.T, dir string) *env {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		if k == "COURTIER_DATA_DIR" {
			return dir
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	return &env{cfg: cfg, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func blobPath(dir, content string) string {
	h := sha256.Sum256([]byte(content))
	sum := hex.EncodeToString(h[:])
	return filepath.Join(dir, "blobs", sum[:2], sum[2:4], sum)
}

// TestDocumentsVerify stores two documents, checks them, then removes one
// blob and damages the other: verify names both and exits non-zero.
func TestDocumentsVerify(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := testEnv(t, dir).openServices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	contents := []string{"Convention de formation, première version.", "Programme détaillé de la formation."}
	var ids []int64
	for i, c := range contents {
		doc, err := s.documents.Upload(ctx, documents.NewDocument{Title: fmt.Sprintf("Pièce %d", i+1), FileName: "piece.txt", Content: strings.NewReader(c)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, doc.ID)
	}
	s.Close()

	out, err := run(t, dir, "", "documents", "verify")
	bytes := len(contents[0]) + len(contents[1])
	if err != nil || !strings.Contains(out, fmt.Sprintf("2 versions, 2 blobs, %d bytes checked", bytes)) {
		t.Fatalf("verify of a sound store: %v\n%s", err, out)
	}

	if err := os.Remove(blobPath(dir, contents[0])); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blobPath(dir, contents[1]), []byte(strings.ToUpper(contents[1])), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = run(t, dir, "", "documents", "verify")
	h0, h1 := sha256.Sum256([]byte(contents[0])), sha256.Sum256([]byte(contents[1]))
	for _, want := range []string{
		fmt.Sprintf("missing  document %d v1  %s  ", ids[0], hex.EncodeToString(h0[:])),
		fmt.Sprintf("corrupt  document %d v1  %s  ", ids[1], hex.EncodeToString(h1[:])),
		"2 versions, 2 blobs",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("verify output lacks %q:\n%s", want, out)
		}
	}
	if err == nil || !strings.Contains(err.Error(), "1 missing and 1 corrupt") {
		t.Errorf("verify of a damaged store: err %v", err)
	}

	out, err = run(t, dir, "", "documents", "verify", "--json")
	var rep documents.Report
	if jerr := json.Unmarshal([]byte(out), &rep); jerr != nil || err == nil || len(rep.Missing) != 1 || len(rep.Corrupt) != 1 ||
		rep.Missing[0].DocumentID != ids[0] || rep.Corrupt[0].DocumentID != ids[1] {
		t.Errorf("verify --json: %v %v\n%s", err, jerr, out)
	}
}

// TestDocumentTimeline: the wiring writes uploads, sharing and new
// versions in the timeline of the records the document is linked to.
func TestDocumentTimeline(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s, err := testEnv(t, t.TempDir()).buildServices(d)
		if err != nil {
			t.Fatal(err)
		}
		acme, err := s.clients.Create(ctx, crm.ClientInput{LegalName: "Acme"})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := s.documents.Upload(ctx, documents.NewDocument{Title: "Convention Acme", FileName: "convention.txt",
			Content: strings.NewReader("Convention"), ClientID: acme.ID, Links: []documents.Link{{Type: crm.RecordRequest, ID: 42}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.documents.Share(ctx, doc.ID, acme.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.documents.AddVersion(ctx, doc.ID, "convention-v2.txt", strings.NewReader("Convention signée")); err != nil {
			t.Fatal(err)
		}
		for _, ref := range []crm.Ref{{Type: crm.RecordClient, ID: acme.ID}, {Type: crm.RecordRequest, ID: 42}} {
			entries, _, err := s.timeline.List(ctx, crm.TimelineFilter{Record: &ref, Kinds: []string{crm.KindDocument}})
			if err != nil {
				t.Fatal(err)
			}
			var events []string
			for _, e := range entries {
				data := e.DataMap()
				if e.Title != "Convention Acme" || data["document_id"] != float64(doc.ID) {
					t.Errorf("%s: entry %+v", ref, e)
				}
				events = append(events, fmt.Sprint(data["event"], data["version"]))
			}
			if got := strings.Join(events, ","); got != "version_added2,shared1,uploaded1" {
				t.Errorf("%s: events %s", ref, got)
			}
		}
	})
}

// TestDocumentsGenerate makes the certificates of the demo's done sessions
// in batch, then one session's attendance sheet; a second run changes
// nothing, and bad arguments are refused with a message.
func TestDocumentsGenerate(t *testing.T) {
	dir := t.TempDir()
	if out, err := run(t, dir, "", "seed", "--demo"); err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	// The day of a done session of the demo, to make that day's documents.
	s, err := testEnv(t, dir).openServices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	done, _, err := s.bookings.List(context.Background(), crm.BookingFilter{Status: crm.BookingDone, Page: crm.Page{Size: 1}})
	if err != nil || len(done) != 1 {
		t.Fatalf("a done session: %v", err)
	}
	b, err := s.bookings.Get(context.Background(), done[0].ID)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	day := b.Slots[0].Day.Format(time.DateOnly)
	batch := []string{"documents", "generate", "--status", "done", "--from", day, "--to", day, "--kind", "certificate", "--kind", "realisation"}
	out, err := run(t, dir, "", batch...)
	if err != nil || !strings.Contains(out, fmt.Sprintf("booking %d  certificate  ", b.ID)) || !strings.Contains(out, " 0 refused") {
		t.Fatalf("batch: %v\n%s", err, out)
	}
	if !strings.Contains(out, " v1  Attestation de fin de formation — ") && !strings.Contains(out, "not ours: a referral deal") {
		t.Errorf("batch made no certificate:\n%s", out)
	}
	again, err := run(t, dir, "", batch...)
	if err != nil || strings.Contains(again, " v2 ") || lastLine(again) != lastLine(out) {
		t.Errorf("second run: %v\n%s", err, again)
	}
	out, err = run(t, dir, "", "documents", "generate", "--booking", fmt.Sprint(b.ID), "--kind", "attendance")
	if err != nil || !strings.Contains(out, "Feuille d'émargement — ") || !strings.Contains(out, "1 session(s)") {
		t.Errorf("one booking: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"--booking", "1"}, {"--booking", "1", "--kind", "invoice"}, {"--kind", "agreement"},
		{"--status", "archived", "--from", "2020-01-01", "--kind", "agreement"}, {"--status", "done", "--kind", "agreement"},
		{"--booking", "999999", "--kind", "agreement"}} {
		if out, err := run(t, dir, "", append([]string{"documents", "generate"}, args...)...); err == nil {
			t.Errorf("%v accepted:\n%s", args, out)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
