package imapconn

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/emersion/go-imap"
)

// Folder is the state of an examined folder.
type Folder struct {
	Name        string
	UIDValidity uint32 // when it changes, every UID known for the folder is void
	UIDNext     uint32 // the UID the next message will get at least
	Messages    uint32
}

// ListFolders returns the names of all selectable folders, sorted, decoded
// from modified UTF-7 ("Éléments envoyés", not "&AMk-l&AOk-ments envoy&AOk-s").
func (c *Conn) ListFolders(ctx context.Context) ([]string, error) {
	var names []string
	err := c.do(ctx, func() error {
		ch := make(chan *imap.MailboxInfo, 16)
		done := make(chan error, 1)
		go func() { done <- c.cl.List("", "*", ch) }()
		for info := range ch {
			if slices.Contains(info.Attributes, imap.NoSelectAttr) || slices.Contains(info.Attributes, "\\NonExistent") {
				continue
			}
			names = append(names, info.Name)
		}
		return <-done
	})
	if err != nil {
		return nil, fmt.Errorf("imapconn: list folders: %w", err)
	}
	slices.Sort(names)
	return names, nil
}

// Examine opens a folder read-only, so that nothing the sync does can change
// flags, and returns its state. Later UIDsFrom and Fetch work on it.
func (c *Conn) Examine(ctx context.Context, name string) (Folder, error) {
	var f Folder
	err := c.do(ctx, func() error {
		st, err := c.cl.Select(name, true)
		if err != nil {
			return err
		}
		f = Folder{Name: name, UIDValidity: st.UidValidity, UIDNext: st.UidNext, Messages: st.Messages}
		if f.UIDNext == 0 {
			// Some servers omit UIDNEXT from the SELECT answer; STATUS has it.
			st, err := c.cl.Status(name, []imap.StatusItem{imap.StatusUidNext})
			if err != nil {
				return fmt.Errorf("status: %w", err)
			}
			f.UIDNext = st.UidNext
		}
		return nil
	})
	if err != nil {
		return Folder{}, fmt.Errorf("imapconn: examine %q: %w", name, err)
	}
	return f, nil
}

// UIDsFrom returns, in ascending order, the UIDs ≥ from in the examined
// folder (UID SEARCH UID from:*).
func (c *Conn) UIDsFrom(ctx context.Context, from uint32) ([]uint32, error) {
	from = max(from, 1)
	var uids []uint32
	err := c.do(ctx, func() error {
		set := new(imap.SeqSet)
		set.AddRange(from, 0)
		found, err := c.cl.UidSearch(&imap.SearchCriteria{Uid: set})
		if err != nil {
			return err
		}
		// "from:*" means "from:highest" and "highest:from" is the same
		// range, so when from is past the highest UID the server still
		// answers the highest UID (RFC 3501 §6.4.8): drop it.
		for _, uid := range found {
			if uid >= from {
				uids = append(uids, uid)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("imapconn: uids from %d: %w", from, err)
	}
	slices.Sort(uids)
	return slices.Compact(uids), nil
}

// Append adds a message to a folder with the given flags (nil for none, so
// it arrives unseen) and internal date (zero for the server's clock).
func (c *Conn) Append(ctx context.Context, folder string, flags []string, date time.Time, raw []byte) error {
	err := c.do(ctx, func() error {
		return c.cl.Append(folder, flags, date, bytes.NewReader(raw))
	})
	if err != nil {
		return fmt.Errorf("imapconn: append %d bytes to %q: %w", len(raw), folder, err)
	}
	return nil
}
