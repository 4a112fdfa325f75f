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

func TestLocalBlobs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := NewLocalBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	content := strings.Repeat("Convention de formation — été 2026\n", 1000)
	sum, size, err := b.Put(ctx, strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte(content))
	if sum != hex.EncodeToString(want[:]) || size != int64(len(content)) {
		t.Fatalf("Put: got %s %d, want %x %d", sum, size, want, len(content))
	}
	if again, _, err := b.Put(ctx, strings.NewReader(content)); err != nil || again != sum {
		t.Fatalf("second Put: %s %v", again, err)
	}
	r, err := b.Open(ctx, sum)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if string(got) != content {
		t.Error("content read back differs")
	}
	left, _ := os.ReadDir(filepath.Join(dir, "tmp"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %d", len(left))
	}
	for _, bad := range []string{strings.Repeat("0", 64), "../../etc/passwd", ""} {
		if _, err := b.Open(ctx, bad); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("Open(%q): got %v, want ErrNotFound", bad, err)
		}
	}
}
