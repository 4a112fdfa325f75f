package imapconn

import (
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/emersion/go-imap"
)

// Batch limits of Fetch. go-imap v1 reads every literal whole into memory,
// so the memory of a fetch is about one batch; a message bigger than
// maxBatchBytes goes alone in its batch.
const (
	maxBatchMessages = 100
	maxBatchBytes    = 16 << 20
	// sizeChunk is how many UIDs get their sizes asked in one command.
	sizeChunk = 1000
)

// Fetched is one message as Fetch hands it over.
type Fetched struct {
	UID          uint32
	Size         uint32 // RFC822.SIZE
	InternalDate time.Time
	Flags        []string
	Body         io.Reader // the raw message (BODY[]); valid only during the callback
}

// bodySection is BODY.PEEK[]: the whole message, without setting \Seen.
var bodySection = &imap.BodySectionName{Peek: true}

// Fetch fetches the messages of the examined folder with the given UIDs and
// calls fn for each, in ascending UID order. UIDs that no longer exist are
// skipped. It works in batches of at most 100 messages and 16 MB (by
// RFC822.SIZE, asked first), so memory stays bounded whatever the folder.
// An error from fn stops the fetch and is returned as is. fn must not call
// methods of c: the connection is busy until Fetch returns.
func (c *Conn) Fetch(ctx context.Context, uids []uint32, fn func(Fetched) error) error {
	todo := slices.Clone(uids)
	slices.Sort(todo)
	todo = slices.Compact(todo)
	if len(todo) > 0 && todo[0] == 0 {
		todo = todo[1:] // UIDs start at 1; 0 would be a syntax error
	}
	for len(todo) > 0 {
		chunk := todo[:min(sizeChunk, len(todo))]
		todo = todo[len(chunk):]
		sizes, err := c.sizes(ctx, chunk)
		if err != nil {
			return err
		}
		for _, batch := range batches(chunk, sizes) {
			if err := c.fetchBatch(ctx, batch, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// sizes returns RFC822.SIZE of the UIDs that still exist.
func (c *Conn) sizes(ctx context.Context, uids []uint32) (map[uint32]uint32, error) {
	sizes := make(map[uint32]uint32, len(uids))
	err := c.do(ctx, func() error {
		set := new(imap.SeqSet)
		set.AddNum(uids...)
		ch := make(chan *imap.Message, 64)
		done := make(chan error, 1)
		go func() { done <- c.cl.UidFetch(set, []imap.FetchItem{imap.FetchUid, imap.FetchRFC822Size}, ch) }()
		for m := range ch {
			// Skip unsolicited FETCH responses (flag changes) that carry
			// no size.
			if _, ok := m.Items[imap.FetchRFC822Size]; ok {
				sizes[m.Uid] = m.Size
			}
		}
		return <-done
	})
	if err != nil {
		return nil, fmt.Errorf("imapconn: fetch sizes of %d messages: %w", len(uids), err)
	}
	return sizes, nil
}

// batches splits sorted UIDs into fetch batches, leaving out those without
// a size (expunged).
func batches(uids []uint32, sizes map[uint32]uint32) [][]uint32 {
	var out [][]uint32
	var cur []uint32
	var bytes uint64
	for _, uid := range uids {
		size, ok := sizes[uid]
		if !ok {
			continue
		}
		if len(cur) == maxBatchMessages || (len(cur) > 0 && bytes+uint64(size) > maxBatchBytes) {
			out = append(out, cur)
			cur, bytes = nil, 0
		}
		cur = append(cur, uid)
		bytes += uint64(size)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// fetchBatch fetches one batch and hands its messages to fn in UID order.
//
// go-imap delivers messages on a channel from its reader goroutine, which
// blocks until each is taken: the channel is always drained to the end,
// also after fn failed, or the connection would hang for good.
func (c *Conn) fetchBatch(ctx context.Context, batch []uint32, fn func(Fetched) error) error {
	var fnErr error
	err := c.do(ctx, func() error {
		set := new(imap.SeqSet)
		set.AddNum(batch...)
		items := []imap.FetchItem{imap.FetchUid, imap.FetchRFC822Size, imap.FetchInternalDate, imap.FetchFlags, bodySection.FetchItem()}
		ch := make(chan *imap.Message, 1)
		done := make(chan error, 1)
		go func() { done <- c.cl.UidFetch(set, items, ch) }()
		defer func() {
			if p := recover(); p != nil {
				c.setBroken(fmt.Errorf("fetch callback panicked: %v", p))
				c.raw.Close()
				for range ch {
				}
				<-done
				panic(p)
			}
		}()

		// Servers answer in sequence order, which is UID order, but RFC
		// 3501 does not promise it: a message that comes early waits in
		// pending (bounded by the batch) until those before it are done.
		next := 0
		pending := map[uint32]*imap.Message{}
		deliver := func(m *imap.Message) {
			if fnErr != nil || ctx.Err() != nil {
				return
			}
			fnErr = fn(Fetched{UID: m.Uid, Size: m.Size, InternalDate: m.InternalDate, Flags: m.Flags, Body: m.GetBody(bodySection)})
			c.extend() // fn's own time does not count against the server
		}
		for m := range ch {
			c.extend()
			// Unsolicited FETCH responses (a flag changed by another
			// client) carry no body; UIDs below next were handed over.
			if m.GetBody(bodySection) == nil || next == len(batch) || m.Uid < batch[next] {
				continue
			}
			pending[m.Uid] = m
			for next < len(batch) {
				p, ok := pending[batch[next]]
				if !ok {
					break
				}
				delete(pending, batch[next])
				next++
				deliver(p)
			}
		}
		if err := <-done; err != nil {
			return err
		}
		// UIDs expunged since the sizes were asked never come; hand over
		// what waited behind them.
		for ; next < len(batch); next++ {
			if p, ok := pending[batch[next]]; ok {
				deliver(p)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("imapconn: fetch UIDs %d-%d: %w", batch[0], batch[len(batch)-1], err)
	}
	return fnErr
}
