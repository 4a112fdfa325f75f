package imapconn

import (
	"bufio"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
)

// BenchmarkBareFetch fetches 10,000 messages of about 5 KB: first with a
// bare go-imap FETCH loop of BODY.PEEK[] (the floor this machine, Dovecot
// and go-imap allow), then through imapconn.Fetch (sizes first, batches of
// 100, ordering), so the cost of our layer shows.
func BenchmarkBareFetch(b *testing.B) {
	const n = 10000
	a := newAccount(b)
	a.srv.CreateFolder(b, a.user, "Bench")
	var total int64
	t0 := time.Now()
	for i := 1; i <= n; i++ {
		raw := message(i, 5000)
		total += int64(len(raw))
		a.srv.Deliver(b, a.user, "Bench", raw)
	}
	b.Logf("delivered %d messages (%.1f MB) in %s", n, float64(total)/(1<<20), time.Since(t0))

	c := dial(b, a.cfg)
	if _, err := c.Examine(context.Background(), "Bench"); err != nil {
		b.Fatal(err)
	}
	uids, err := c.UIDsFrom(context.Background(), 1)
	if err != nil || len(uids) != n {
		b.Fatalf("got %d UIDs, %v; want %d", len(uids), err, n)
	}
	// Untimed first pass: Dovecot indexes and caches the new files.
	t0 = time.Now()
	if err := c.Fetch(context.Background(), uids, func(f Fetched) error { return nil }); err != nil {
		b.Fatal(err)
	}
	b.Logf("first (cold) fetch through imapconn: %s", time.Since(t0))

	b.Run("go-imap", func(b *testing.B) {
		cl, err := client.Dial(a.srv.Addr())
		if err != nil {
			b.Fatal(err)
		}
		defer cl.Logout()
		if err := cl.Login(a.cfg.User, a.cfg.Password); err != nil {
			b.Fatal(err)
		}
		if _, err := cl.Select("Bench", true); err != nil {
			b.Fatal(err)
		}
		section := &imap.BodySectionName{Peek: true}
		items := []imap.FetchItem{imap.FetchUid, section.FetchItem()}
		all := new(imap.SeqSet)
		all.AddRange(1, 0)
		b.SetBytes(total)
		resetPeakRSS()
		for b.Loop() {
			ch := make(chan *imap.Message, 10)
			done := make(chan error, 1)
			go func() { done <- cl.UidFetch(all, items, ch) }()
			got := 0
			for m := range ch {
				io.Copy(io.Discard, m.GetBody(section))
				got++
			}
			if err := <-done; err != nil || got != n {
				b.Fatalf("got %d messages, %v", got, err)
			}
		}
		report(b, n)
	})

	b.Run("imapconn", func(b *testing.B) {
		b.SetBytes(total)
		resetPeakRSS()
		for b.Loop() {
			got := 0
			err := c.Fetch(context.Background(), uids, func(f Fetched) error {
				_, err := io.Copy(io.Discard, f.Body)
				got++
				return err
			})
			if err != nil || got != n {
				b.Fatalf("got %d messages, %v", got, err)
			}
		}
		report(b, n)
	})
}

// report adds messages/s and the peak RSS since resetPeakRSS.
func report(b *testing.B, perOp int) {
	b.ReportMetric(float64(perOp)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	if kb := peakRSSKB(); kb > 0 {
		b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
	}
}

// resetPeakRSS resets the kernel's high-water mark of our RSS (Linux).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSKB reads VmHWM from /proc/self/status, 0 when unavailable.
func peakRSSKB() int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return kb
		}
	}
	return 0
}
