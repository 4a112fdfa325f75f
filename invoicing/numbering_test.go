package invoicing

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"

	"github.com/courtier-crm/courtier/internal/db"
	"github.com/courtier-crm/courtier/internal/dbtest"
	"github.com/courtier-crm/courtier/migrations"
)

// Fifty accountants issuing at once get numbers 1…50: no gap, no duplicate.
func TestConcurrentIssuesNumberWithoutGap(t *testing.T) {
	dbtest.ForEachDialect(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		client := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554", vat: "FR96552100554"})
		ids := make([]int64, 50)
		for i := range ids {
			ids[i] = f.draft(client, training(int64(1000+i))).ID
		}
		var wg sync.WaitGroup
		errs := make([]error, len(ids))
		for i, id := range ids {
			wg.Go(func() {
				_, errs[i] = f.svc.Issue(f.ctx, id, IssueOptions{})
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		var seqs []int64
		f.must(d.Select(f.ctx, &seqs, `SELECT seq FROM invoices WHERE status = 'issued' ORDER BY seq`))
		want := make([]int64, 50)
		for i := range want {
			want[i] = int64(i + 1)
		}
		if !slices.Equal(seqs, want) {
			t.Fatalf("numbers %v", seqs)
		}
		var numbers []string
		f.must(d.Select(f.ctx, &numbers, `SELECT number FROM invoices ORDER BY seq`))
		if numbers[0] != "F2026-000001" || numbers[49] != "F2026-000050" {
			t.Fatalf("numbers %s … %s", numbers[0], numbers[49])
		}
		reports, err := f.svc.Check(f.ctx, nil)
		f.must(err)
		if !reports[0].OK() || reports[0].Issued != 50 {
			t.Fatalf("check %+v", reports[0])
		}
	})
}

// The crash test's child: it issues a draft and is killed by SIGKILL inside
// the issuing transaction, just before the commit.
const crashEnv = "COURTIER_INVOICING_CRASH_CHILD"

func TestCrashChild(t *testing.T) {
	url, dir, id := os.Getenv(crashEnv), os.Getenv(crashEnv+"_BLOBS"), os.Getenv(crashEnv+"_ID")
	if url == "" {
		return // an entry point for TestKilledIssueLeavesNoHole, nothing on its own
	}
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixtureIn(t, d, dir, false)
	f.svc.BeforeCommit(func(context.Context, string) { _ = syscall.Kill(os.Getpid(), syscall.SIGKILL) })
	n, _ := strconv.ParseInt(id, 10, 64)
	_, err = f.svc.Issue(f.ctx, n, IssueOptions{})
	t.Fatalf("the process should have been killed before the commit (%v)", err)
}

// A process killed in the middle of an issue leaves the draft a draft and
// no hole: the next issue takes number 1.
func TestKilledIssueLeavesNoHole(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			url := dbtest.EmptyURL(t, dialect)
			d, err := db.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, err := migrations.Up(context.Background(), d.Writer(), string(dialect)); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			f := newFixtureIn(t, d, dir, true)
			client := f.client(clientSpec{name: "Boulangeries Françaises SAS", siren: "552100554"})
			draft := f.draft(client, training(125000))

			cmd := exec.Command(os.Args[0], "-test.run", "^TestCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), crashEnv+"="+url, crashEnv+"_BLOBS="+dir, crashEnv+"_ID="+fmt.Sprint(draft.ID))
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the child was not killed mid-issue: %v\n%s", err, out)
			}
			after, err := f.svc.Get(f.ctx, draft.ID)
			f.must(err)
			if after.Issued() {
				t.Fatal("the killed issue committed")
			}
			var docs int
			f.must(d.Get(f.ctx, &docs, `SELECT COUNT(*) FROM documents`))
			if docs != 0 {
				t.Fatalf("the killed issue left %d documents", docs)
			}
			inv := f.issue(draft.ID)
			if *inv.Number != "F2026-000001" {
				t.Fatalf("after the crash the number is %s", *inv.Number)
			}
		})
	}
}
