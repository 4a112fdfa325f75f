package mailer

import (
	"context"
	"fmt"
	"sync"
)

// Recorder is an in-memory Sender for tests; it is safe for concurrent use.
type Recorder struct {
	mu   sync.Mutex
	msgs []Message
}

// Send records a copy of m, with its Message-ID filled in, and returns that id.
func (r *Recorder) Send(ctx context.Context, m *Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("mailer: %w", err)
	}
	msg, err := prepare(m, Address{})
	if err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, msg.clone())
	return msg.MessageID, nil
}

// Messages returns a copy of the recorded messages, oldest first.
func (r *Recorder) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Message, len(r.msgs))
	for i, m := range r.msgs {
		out[i] = m.clone()
	}
	return out
}

// Last returns a copy of the most recently recorded message, if any.
func (r *Recorder) Last() (Message, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.msgs) == 0 {
		return Message{}, false
	}
	return r.msgs[len(r.msgs)-1].clone(), true
}

// Reset forgets the recorded messages.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = nil
}
