package documents

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/courtier-crm/courtier/internal/errs"
)

func newBlobs(t *testing.T) (*LocalBlobs, string) {
	t.Helper()
	dir := t.TempDir()
	b, err := NewLocalBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return b, dir
}

func TestLocalBlobs(t *testing.T) {
	ctx := context.Background()
	b, dir := newBlobs(t)
	content := strings.Repeat("Convention de formation — été 2026\n", 1000)
	sum, size, err := b.Put(ctx, strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte(content))
	if sum != hex.EncodeToString(want[:]) || size != int64(len(content)) {
		t.Fatalf("Put: got %s %d, want %x %d", sum, size, want, len(content))
	}
	// Fan-out: dir/ab/cd/abcd….
	if _, err := os.Stat(filepath.Join(dir, sum[:2], sum[2:4], sum)); err != nil {
		t.Errorf("blob not at its fan-out place: %v", err)
	}
	if again, _, err := b.Put(ctx, strings.NewReader(content)); err != nil || again != sum {
		t.Fatalf("second Put: %s %v", again, err)
	}
	if files := blobFiles(t, dir); len(files) != 1 {
		t.Errorf("same content twice: %d files, want 1: %v", len(files), files)
	}
	r, err := b.Open(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	r.Close()
	if err != nil || string(got) != content {
		t.Errorf("content read back differs (err %v)", err)
	}
	if n, err := b.Stat(ctx, sum); err != nil || n != size {
		t.Errorf("Stat: %d %v, want %d", n, err, size)
	}
	left, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %d", len(left))
	}
	for _, bad := range []string{strings.Repeat("0", 64), strings.ToUpper(sum), "../../etc/passwd", ""} {
		if _, err := b.Open(ctx, bad); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Open(%q): got %v, want ErrNotFound", bad, err)
		}
		if _, err := b.Stat(ctx, bad); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Stat(%q): got %v, want ErrNotFound", bad, err)
		}
	}
}

// failingReader gives some bytes, then fails: a write cut short.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), f.n)
	for i := range p[:n] {
		p[i] = 'x'
	}
	f.n -= n
	return n, nil
}

func TestLocalBlobsAtomic(t *testing.T) {
	ctx := context.Background()
	b, dir := newBlobs(t)
	if _, _, err := b.Put(ctx, &failingReader{n: 100_000}); err == nil {
		t.Fatal("Put of a failing reader succeeded")
	}
	if files := blobFiles(t, dir); len(files) != 0 {
		t.Errorf("a failed write left files: %v", files)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(left) != 0 {
		t.Errorf("a failed write left %d temporary files", len(left))
	}
	// A crash's leftover in tmp, even one whose name is a sum, is never a blob.
	partial := "Convention, première moit"
	whole := sha256.Sum256([]byte(partial + "ié"))
	wholeSum := hex.EncodeToString(whole[:])
	if err := os.WriteFile(filepath.Join(dir, "tmp", wholeSum), []byte(partial), 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Open(ctx, wholeSum); !errors.Is(err, errs.ErrNotFound) {
		t.Errorf("Open of a leftover: %v, want ErrNotFound", err)
	}
	var seen []string
	if err := b.Walk(ctx, func(sum string, size int64) error { seen = append(seen, sum); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 0 {
		t.Errorf("Walk saw %v, want nothing", seen)
	}
	sum, _, err := b.Put(ctx, strings.NewReader("ok"))
	if err != nil {
		t.Fatal(err)
	}
	seen = nil
	if err := b.Walk(ctx, func(s string, size int64) error { seen = append(seen, s); return nil }); err != nil || len(seen) != 1 || seen[0] != sum {
		t.Errorf("Walk: %v %v, want [%s]", seen, err, sum)
	}
}

func TestLocalBlobsCorrupt(t *testing.T) {
	ctx := context.Background()
	b, dir := newBlobs(t)
	sum, _, err := b.Put(ctx, strings.NewReader(strings.Repeat("attestation de fin de formation ", 500)))
	if err != nil {
		t.Fatal(err)
	}
	flipByte(t, filepath.Join(dir, sum[:2], sum[2:4], sum), 1000)
	r, err := b.Open(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := io.ReadAll(r); !errors.Is(err, ErrCorrupt) {
		t.Errorf("reading a corrupt blob: %v, want ErrCorrupt", err)
	}
}

// flipByte damages a file on disk, as a failing disk would.
func flipByte(t *testing.T, path string, at int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	one := make([]byte, 1)
	if _, err := f.ReadAt(one, at); err != nil {
		t.Fatal(err)
	}
	one[0] ^= 0xFF
	if _, err := f.WriteAt(one, at); err != nil {
		t.Fatal(err)
	}
}

// blobFiles lists the files of the store outside tmp.
func blobFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && !strings.HasPrefix(p, filepath.Join(dir, "tmp")) {
			out = append(out, p)
		}
		return err
	})
	return out
}
