package imapconn

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestListFolders(t *testing.T) {
	a := newAccount(t)
	for _, f := range []string{"Archives", "Éléments envoyés", "Clients.Dupont"} {
		a.srv.CreateFolder(t, a.user, f)
	}
	c := dial(t, a.cfg)
	got, err := c.ListFolders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// "Clients" is only a hierarchy level (\NonExistent): not selectable, left out.
	want := []string{"Archives", "Clients.Dupont", "INBOX", "Éléments envoyés"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestExamine(t *testing.T) {
	a := newAccount(t)
	a.srv.CreateFolder(t, a.user, "Vide")
	a.srv.CreateFolder(t, a.user, "Éléments envoyés")
	for i := 1; i <= 3; i++ {
		a.srv.Deliver(t, a.user, "Éléments envoyés", message(i, 100))
	}
	c := dial(t, a.cfg)
	tests := []struct {
		folder       string
		wantMessages uint32
		wantNext     uint32
		wantErr      string
	}{
		{folder: "Vide", wantMessages: 0, wantNext: 1},
		{folder: "Éléments envoyés", wantMessages: 3, wantNext: 4},
		{folder: "Inexistant", wantErr: `imapconn: examine "Inexistant": Mailbox doesn't exist: Inexistant`},
	}
	for _, tt := range tests {
		t.Run(tt.folder, func(t *testing.T) {
			f, err := c.Examine(context.Background(), tt.folder)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f.Name != tt.folder || f.Messages != tt.wantMessages || f.UIDNext != tt.wantNext || f.UIDValidity == 0 {
				t.Errorf("got %+v, want %d messages, UIDNEXT %d, a UIDVALIDITY", f, tt.wantMessages, tt.wantNext)
			}
		})
	}
	// A failed EXAMINE leaves the connection usable.
	if _, err := c.Examine(context.Background(), "Vide"); err != nil {
		t.Errorf("examine after a refused one: %v", err)
	}
}

func TestUIDsFrom(t *testing.T) {
	a := newAccount(t)
	a.srv.CreateFolder(t, a.user, "Vide")
	for i := 1; i <= 5; i++ {
		a.srv.Deliver(t, a.user, "INBOX", message(i, 100))
	}
	c := dial(t, a.cfg)
	tests := []struct {
		folder string
		from   uint32
		want   []uint32
	}{
		{"INBOX", 0, []uint32{1, 2, 3, 4, 5}},
		{"INBOX", 1, []uint32{1, 2, 3, 4, 5}},
		{"INBOX", 3, []uint32{3, 4, 5}},
		{"INBOX", 5, []uint32{5}},
		{"INBOX", 6, nil},    // the server answers 5 for 6:*
		{"INBOX", 1000, nil}, // and for 1000:*
		{"Vide", 1, nil},
		{"Vide", 42, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s from %d", tt.folder, tt.from), func(t *testing.T) {
			if _, err := c.Examine(context.Background(), tt.folder); err != nil {
				t.Fatal(err)
			}
			got, err := c.UIDsFrom(context.Background(), tt.from)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUIDsFromNeedsExamine(t *testing.T) {
	c := dial(t, newAccount(t).cfg)
	if _, err := c.UIDsFrom(context.Background(), 1); err == nil || !strings.Contains(err.Error(), "imapconn: uids from 1: ") {
		t.Errorf("got %v, want an error", err)
	}
}

func TestUIDValidityChangeIsVisible(t *testing.T) {
	a := newAccount(t)
	a.srv.CreateFolder(t, a.user, "Archives")
	for i := 1; i <= 3; i++ {
		a.srv.Deliver(t, a.user, "Archives", message(i, 200))
	}
	c := dial(t, a.cfg)
	before, err := c.Examine(context.Background(), "Archives")
	if err != nil {
		t.Fatal(err)
	}
	c.Close()

	a.srv.ResetUIDValidity(t, a.user, "Archives")

	c = dial(t, a.cfg)
	after, err := c.Examine(context.Background(), "Archives")
	if err != nil {
		t.Fatal(err)
	}
	if after.UIDValidity == before.UIDValidity {
		t.Fatalf("UIDVALIDITY unchanged: %d", after.UIDValidity)
	}
	uids, err := c.UIDsFrom(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint32{4, 5, 6}; !slices.Equal(uids, want) {
		t.Errorf("got UIDs %v, want %v", uids, want)
	}
	t.Logf("before %+v, after %+v", before, after)
}

func TestAppend(t *testing.T) {
	a := newAccount(t)
	a.srv.CreateFolder(t, a.user, "Sent")
	c := dial(t, a.cfg)
	date := time.Date(2025, 3, 14, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	seen := message(1, 3000)
	unseen := message(2, 10000) // over go-imap's 4 KB non-synchronising literal limit
	if err := c.Append(context.Background(), "Sent", []string{`\Seen`}, date, seen); err != nil {
		t.Fatal(err)
	}
	if err := c.Append(context.Background(), "Sent", nil, time.Time{}, unseen); err != nil {
		t.Fatal(err)
	}
	if err := c.Append(context.Background(), "Nulle part", nil, time.Time{}, seen); err == nil || !strings.Contains(err.Error(), `imapconn: append 3`) {
		t.Errorf("append to a missing folder: got %v", err)
	}
	if _, err := c.Examine(context.Background(), "Sent"); err != nil {
		t.Fatal(err)
	}
	var got []Fetched
	var bodies [][]byte
	err := c.Fetch(context.Background(), []uint32{1, 2}, func(f Fetched) error {
		b, err := io.ReadAll(f.Body)
		got, bodies = append(got, f), append(bodies, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d messages, want 2", len(got))
	}
	if !bytes.Equal(bodies[0], seen) || !bytes.Equal(bodies[1], unseen) {
		t.Errorf("appended bodies differ")
	}
	if !slices.Contains(got[0].Flags, `\Seen`) || slices.Contains(got[1].Flags, `\Seen`) {
		t.Errorf("got flags %v and %v, want \\Seen on the first only", got[0].Flags, got[1].Flags)
	}
	if !got[0].InternalDate.Equal(date) {
		t.Errorf("got internal date %v, want %v", got[0].InternalDate, date)
	}
	if d := time.Since(got[1].InternalDate); d < -time.Minute || d > time.Minute {
		t.Errorf("got internal date %v, want about now", got[1].InternalDate)
	}
}
