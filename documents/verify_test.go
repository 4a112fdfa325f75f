package documents

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/internal/audit"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

func TestVerify(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, Options{})
		intact := f.upload(t, NewDocument{Title: "Intact", FileName: "ok.txt", Content: strings.NewReader("contenu intact")})
		damaged := f.upload(t, NewDocument{Title: "Abîmé", FileName: "abime.txt", Content: strings.NewReader(strings.Repeat("feuille d'émargement ", 100))})
		// The same content in a second document: one blob, two versions to report.
		twin := f.upload(t, NewDocument{Title: "Copie", FileName: "copie.txt", Content: strings.NewReader(strings.Repeat("feuille d'émargement ", 100))})
		lost := f.upload(t, NewDocument{Title: "Perdu", FileName: "perdu.txt", Content: strings.NewReader("contenu perdu")})
		if _, err := f.s.AddVersion(f.ctx, intact.ID, "ok2.txt", strings.NewReader("contenu intact, version 2")); err != nil {
			t.Fatal(err)
		}
		path := func(sum string) string { return filepath.Join(f.blobDir, sum[:2], sum[2:4], sum) }
		flipByte(t, path(damaged.SHA256), 10)
		if err := os.Remove(path(lost.SHA256)); err != nil {
			t.Fatal(err)
		}

		var calls [][2]int
		rep, err := f.s.Verify(f.ctx, func(done, total int) { calls = append(calls, [2]int{done, total}) })
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK() || rep.Versions != 5 || rep.Blobs != 4 {
			t.Errorf("report: %+v", rep)
		}
		if len(calls) != 4 || calls[3] != [2]int{4, 4} {
			t.Errorf("progress calls: %v", calls)
		}
		if len(rep.Missing) != 1 || rep.Missing[0].DocumentID != lost.ID || rep.Missing[0].Version != 1 || rep.Missing[0].SHA256 != lost.SHA256 {
			t.Errorf("missing: %+v", rep.Missing)
		}
		if len(rep.Corrupt) != 2 || rep.Corrupt[0].DocumentID != damaged.ID || rep.Corrupt[1].DocumentID != twin.ID || rep.Corrupt[0].SHA256 != damaged.SHA256 {
			t.Errorf("corrupt: %+v", rep.Corrupt)
		}
		rc, _, err := f.s.Open(f.ctx, damaged.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(rc); !errors.Is(err, ErrCorrupt) {
			t.Errorf("download of a damaged document: %v, want ErrCorrupt", err)
		}
		rc.Close()
		entries, _ := audit.NewLog(d).List(f.ctx, audit.Filter{Action: "document.verify"})
		if len(entries) != 1 || !strings.Contains(entries[0].Details, `"corrupt":2`) {
			t.Errorf("verify audit: %+v", entries)
		}
	})
}

func TestDiffJSON(t *testing.T) {
	old := `{"client": {"name": "Morel", "siret": "123"}, "trainees": [{"name": "Hélène"}, {"name": "Paul"}],
		"price": 1200, "dates": ["2026-03-12"], "odd key": 1, "room": null}`
	cur := `{"client": {"name": "Morel SAS", "siret": "123"}, "trainees": [{"name": "Hélène"}],
		"price": 1200.0, "dates": ["2026-03-12", "2026-03-13"], "odd key": 1, "room": "A", "trainer": "Roux"}`
	got, err := DiffJSON(json.RawMessage(old), json.RawMessage(cur))
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Path: "client.name", Op: ChangeChanged, Old: "Morel", New: "Morel SAS"},
		{Path: "dates[1]", Op: ChangeAdded, New: "2026-03-13"},
		{Path: "price", Op: ChangeChanged, Old: json.Number("1200"), New: json.Number("1200.0")},
		{Path: "room", Op: ChangeChanged, Old: nil, New: "A"},
		{Path: "trainees[1]", Op: ChangeRemoved, Old: map[string]any{"name": "Paul"}},
		{Path: "trainer", Op: ChangeAdded, New: "Roux"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	for i := 0; i < 5; i++ {
		again, _ := DiffJSON(json.RawMessage(old), json.RawMessage(cur))
		if !reflect.DeepEqual(again, got) {
			t.Fatal("the diff is not deterministic")
		}
	}
	if same, _ := DiffJSON(json.RawMessage(old), json.RawMessage(old)); len(same) != 0 {
		t.Errorf("identical snapshots differ: %+v", same)
	}
	if _, err := DiffJSON(json.RawMessage(`{`), json.RawMessage(`{}`)); err == nil {
		t.Error("invalid JSON accepted")
	}
	if odd := joinKey("a", "odd key"); odd != `a["odd key"]` {
		t.Errorf("odd key path: %s", odd)
	}
}
