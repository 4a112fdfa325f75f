package imapconn

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"testing"
	"time"
)

func TestFetchBodiesExactInOrderAndUnseen(t *testing.T) {
	a := newAccount(t)
	const n = 250 // three batches
	var sent [][]byte
	for i := 1; i <= n; i++ {
		raw := message(i, 500+(i*7919)%20000)
		sent = append(sent, raw)
		a.srv.Deliver(t, a.user, "INBOX", raw)
	}
	c := dial(t, a.cfg)
	if _, err := c.Examine(context.Background(), "INBOX"); err != nil {
		t.Fatal(err)
	}
	// Unsorted, duplicated, and with UIDs that do not exist.
	uids := []uint32{9999, 0}
	for uid := uint32(n); uid >= 1; uid-- {
		uids = append(uids, uid)
	}
	uids = append(uids, 3, 3, n+1)

	for round := 1; round <= 2; round++ {
		var got []uint32
		err := c.Fetch(context.Background(), uids, func(f Fetched) error {
			body, err := io.ReadAll(f.Body)
			if err != nil {
				return err
			}
			got = append(got, f.UID)
			want := sent[f.UID-1]
			if !bytes.Equal(body, want) {
				t.Errorf("UID %d: body of %d bytes differs from the %d delivered", f.UID, len(body), len(want))
			}
			if f.Size != uint32(len(want)) {
				t.Errorf("UID %d: got size %d, want %d", f.UID, f.Size, len(want))
			}
			if f.InternalDate.IsZero() {
				t.Errorf("UID %d: no internal date", f.UID)
			}
			// The second round shows whether the first set \Seen.
			if slices.Contains(f.Flags, `\Seen`) {
				t.Errorf("round %d, UID %d: got flags %v, want no \\Seen", round, f.UID, f.Flags)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n || !slices.IsSorted(got) || got[0] != 1 || got[n-1] != n {
			t.Fatalf("round %d: got %d UIDs (%v...), want 1..%d in order", round, len(got), got[:min(5, len(got))], n)
		}
	}
}

func TestBatches(t *testing.T) {
	const mb = 1 << 20
	small := map[uint32]uint32{}
	var uids []uint32
	for uid := uint32(1); uid <= 250; uid++ {
		small[uid] = 5000
		uids = append(uids, uid)
	}
	tests := []struct {
		name  string
		uids  []uint32
		sizes map[uint32]uint32
		want  string
	}{
		{"by count", uids, small, "[100 100 50]"},
		{"by size, big ones alone", []uint32{1, 2, 3, 4, 5}, map[uint32]uint32{1: 10 * mb, 2: 10 * mb, 3: 25 * mb, 4: mb, 5: mb}, "[1 1 1 2]"},
		{"exactly 16 MB fits", []uint32{1, 2}, map[uint32]uint32{1: 8 * mb, 2: 8 * mb}, "[2]"},
		{"expunged left out", []uint32{1, 2, 3}, map[uint32]uint32{1: 1, 3: 1}, "[2]"},
		{"none", nil, nil, "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lens []int
			for _, b := range batches(tt.uids, tt.sizes) {
				lens = append(lens, len(b))
			}
			if got := fmt.Sprint(lens); got != tt.want {
				t.Errorf("got batch sizes %s, want %s", got, tt.want)
			}
		})
	}
}

// settledGoroutines waits a little for goroutines to end and returns their number.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 50 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

func TestFetchCallbackErrorStopsAndLeavesConnUsable(t *testing.T) {
	a := newAccount(t)
	for i := 1; i <= 150; i++ {
		a.srv.Deliver(t, a.user, "INBOX", message(i, 2000))
	}
	c := dial(t, a.cfg)
	if _, err := c.Examine(context.Background(), "INBOX"); err != nil {
		t.Fatal(err)
	}
	uids, err := c.UIDsFrom(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	errStop := errors.New("stockage plein")
	calls := 0
	err = c.Fetch(context.Background(), uids, func(f Fetched) error {
		calls++
		if calls == 5 {
			return fmt.Errorf("store UID %d: %w", f.UID, errStop)
		}
		return nil
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("got %v, want errStop", err)
	}
	if calls != 5 {
		t.Errorf("fn called %d times, want 5", calls)
	}
	if n := settledGoroutines(before); n > before {
		t.Errorf("goroutines: %d after, %d before", n, before)
	}
	// The rest of the batch was drained: the connection still works.
	calls = 0
	if err := c.Fetch(context.Background(), uids[140:], func(Fetched) error { calls++; return nil }); err != nil || calls != 10 {
		t.Errorf("fetch after a stopped one: %d messages, %v", calls, err)
	}
}

func TestFetchCancel(t *testing.T) {
	a := newAccount(t)
	for i := 1; i <= 50; i++ {
		a.srv.Deliver(t, a.user, "INBOX", message(i, 2000))
	}
	c := dial(t, a.cfg)
	if _, err := c.Examine(context.Background(), "INBOX"); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	err := c.Fetch(ctx, []uint32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, func(Fetched) error {
		calls++
		if calls == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if calls != 3 {
		t.Errorf("fn called %d times after cancel, want 3", calls)
	}
	if n := settledGoroutines(before); n > before {
		t.Errorf("goroutines: %d after, %d before", n, before)
	}
}

func TestFetchCallbackPanicDoesNotHang(t *testing.T) {
	a := newAccount(t)
	for i := 1; i <= 20; i++ {
		a.srv.Deliver(t, a.user, "INBOX", message(i, 2000))
	}
	c := dial(t, a.cfg)
	if _, err := c.Examine(context.Background(), "INBOX"); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	func() {
		defer func() {
			if p := recover(); p != "boom" {
				t.Errorf("got panic %v, want boom", p)
			}
		}()
		c.Fetch(context.Background(), []uint32{1, 2, 3, 4, 5}, func(Fetched) error { panic("boom") })
	}()
	if n := settledGoroutines(before); n > before {
		t.Errorf("goroutines: %d after, %d before", n, before)
	}
	if _, err := c.UIDsFrom(context.Background(), 1); err == nil {
		t.Errorf("connection still used after a panic in fn")
	}
}

// A 25 MB message (an attachment-heavy mail) goes through alone; go-imap
// holds it whole in memory, so the heap grows by about its size.
func TestFetchLargeMessage(t *testing.T) {
	if testing.Short() {
		t.Skip("25 MB message: skipped with -short")
	}
	a := newAccount(t)
	big := message(2, 25<<20)
	a.srv.Deliver(t, a.user, "INBOX", message(1, 1000))
	a.srv.Deliver(t, a.user, "INBOX", big)
	a.srv.Deliver(t, a.user, "INBOX", message(3, 1000))
	wantSum, wantLen := sha256.Sum256(big), int64(len(big))
	big = nil

	c := dial(t, a.cfg)
	if _, err := c.Examine(context.Background(), "INBOX"); err != nil {
		t.Fatal(err)
	}
	var base, peak, end runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&base)
	var uids []uint32
	t0 := time.Now()
	err := c.Fetch(context.Background(), []uint32{1, 2, 3}, func(f Fetched) error {
		uids = append(uids, f.UID)
		if f.UID != 2 {
			return nil
		}
		runtime.ReadMemStats(&peak)
		h := sha256.New()
		n, err := io.Copy(h, f.Body)
		if err != nil {
			return err
		}
		if n != wantLen || !bytes.Equal(h.Sum(nil), wantSum[:]) {
			t.Errorf("got %d bytes with another hash, want the %d delivered", n, wantLen)
		}
		return nil
	})
	d := time.Since(t0)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&end)
	if !slices.Equal(uids, []uint32{1, 2, 3}) {
		t.Errorf("got UIDs %v", uids)
	}
	growth := int64(peak.HeapAlloc) - int64(base.HeapAlloc)
	t.Logf("25 MB message fetched in %s; heap while in fn: +%.1f MB (live %.1f MB), allocated during fetch %.1f MB",
		d, float64(growth)/(1<<20), float64(peak.HeapAlloc)/(1<<20), float64(end.TotalAlloc-base.TotalAlloc)/(1<<20))
	if growth > 2*25<<20 {
		t.Errorf("heap grew by %d MB for a 25 MB message", growth>>20)
	}
}
