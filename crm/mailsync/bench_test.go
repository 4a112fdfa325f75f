package mailsync

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/crm/mailsync/mailcorpus"
	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
)

// benchMessages is the size of the benchmark mailbox (COURTIER_BENCH_MESSAGES overrides it).
func benchMessages() int {
	if n, err := strconv.Atoi(os.Getenv("COURTIER_BENCH_MESSAGES")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

// BenchmarkSync syncs a mailbox of 10,000 realistic messages into an empty
// database, then re-syncs it, on each dialect; BenchmarkSync/bare-fetch is
// the same mailbox read by a bare go-imap FETCH loop, the floor a sync
// cannot beat. Run: go test -run '^$' -bench Sync -benchtime 1x ./crm/mailsync/
func BenchmarkSync(b *testing.B) {
	n := benchMessages()
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				d := dbtest.Open(b, dialect)
				w := newWorld(b, d)
				participants := []string{"marie.durand@acme-industrie.fr", "paul.martin@acme-industrie.fr",
					"contact@formaplus.fr", "crm@courtier.test", "inconnu@ailleurs.example"}
				start := time.Now()
				for i := range n {
					w.srv.Deliver(b, w.user, "INBOX", mailcorpus.Synthetic(1, i, participants))
				}
				b.Logf("delivered %d messages in %v", n, time.Since(start).Round(time.Millisecond))
				runtime.GC()
				peak := watchHeap()
				b.StartTimer()

				start = time.Now()
				r := w.sync(b)
				first := time.Since(start)
				heap := peak()
				start = time.Now()
				again := w.sync(b)
				resync := time.Since(start)

				b.StopTimer()
				if r.Fetched != n || again.Fetched != 0 {
					b.Fatalf("first %s; re-sync %s", r, again)
				}
				b.ReportMetric(float64(n)/first.Seconds(), "msgs/s")
				b.ReportMetric(float64(resync.Milliseconds()), "resync-ms")
				b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
				b.Logf("%s: first sync %v (%.0f msgs/s, %s), re-sync %v, peak heap %.1f MB", dialect, first.Round(time.Millisecond),
					float64(n)/first.Seconds(), r, resync.Round(time.Millisecond), float64(heap)/(1<<20))
			}
		})
	}
	b.Run("bare-fetch", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			d := dbtest.Open(b, db.SQLite)
			w := newWorld(b, d)
			for i := range n {
				w.srv.Deliver(b, w.user, "INBOX", mailcorpus.Synthetic(1, i, []string{"a@b.example", "crm@courtier.test"}))
			}
			b.StartTimer()
			start := time.Now()
			got, bytes := bareFetch(b, fmt.Sprintf("%s:%d", w.srv.Host, w.srv.Port), w.user)
			took := time.Since(start)
			b.StopTimer()
			if got != n {
				b.Fatalf("bare fetch read %d messages, want %d", got, n)
			}
			b.ReportMetric(float64(n)/took.Seconds(), "msgs/s")
			b.Logf("bare FETCH loop: %d messages (%.1f MB) in %v (%.0f msgs/s)", n, float64(bytes)/(1<<20),
				took.Round(time.Millisecond), float64(n)/took.Seconds())
		}
	})
}

// bareFetch reads every message of INBOX with one UID FETCH 1:* BODY.PEEK[]
// through go-imap directly, discarding the bodies.
func bareFetch(b *testing.B, addr, user string) (int, int64) {
	c, err := client.Dial(addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Logout()
	if err := c.Login(user, "secret"); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Select("INBOX", true); err != nil {
		b.Fatal(err)
	}
	set := new(imap.SeqSet)
	set.AddRange(1, 0)
	section := &imap.BodySectionName{Peek: true}
	ch := make(chan *imap.Message, 64)
	done := make(chan error, 1)
	go func() { done <- c.UidFetch(set, []imap.FetchItem{imap.FetchUid, section.FetchItem()}, ch) }()
	n, total := 0, int64(0)
	for m := range ch {
		if r := m.GetBody(section); r != nil {
			k, _ := io.Copy(io.Discard, r)
			total += k
		}
		n++
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	return n, total
}

// watchHeap samples the heap in use until the returned function is called,
// which returns the peak.
func watchHeap() func() uint64 {
	var peak atomic.Uint64
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		var ms runtime.MemStats
		for ctx.Err() == nil {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return func() uint64 {
		cancel()
		<-stopped
		return peak.Load()
	}
}
