package jobs

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
)

func TestLease(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if ok, err := Acquire(ctx, d, "mail", "a", time.Minute); !ok || err != nil {
			t.Fatalf("first acquire: %v %v", ok, err)
		}
		if ok, _ := Acquire(ctx, d, "mail", "b", time.Minute); ok {
			t.Fatal("b got a lease held by a")
		}
		if ok, _ := Acquire(ctx, d, "mail", "a", time.Minute); !ok {
			t.Fatal("a could not renew its lease")
		}
		if ok, _ := Acquire(ctx, d, "other", "b", time.Minute); !ok {
			t.Fatal("leases of different jobs collide")
		}
		if err := Release(ctx, d, "mail", "a"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := Acquire(ctx, d, "mail", "b", -time.Second); !ok {
			t.Fatal("b could not take a released lease")
		}
		// b's lease is already expired (negative ttl): a takes it over.
		if ok, _ := Acquire(ctx, d, "mail", "a", time.Minute); !ok {
			t.Fatal("a could not take an expired lease")
		}
	})
}

// TestOneRunner starts several concurrent contenders: exactly one wins each round.
func TestOneRunner(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := Acquire(ctx, d, "sync", Holder()+string(rune('a'+i)), time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("%d contenders got the lease, want 1", wins.Load())
		}
	})
}
