package mailer

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestRecorder(t *testing.T) {
	var r Recorder
	if _, ok := r.Last(); ok {
		t.Errorf("got a last message from an empty recorder, want none")
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := r.Send(context.Background(), resetMessage()); err != nil {
				t.Errorf("Send: %v", err)
			}
		})
	}
	wg.Wait()
	if got := len(r.Messages()); got != 20 {
		t.Errorf("got %d messages, want 20", got)
	}

	m := resetMessage()
	m.Attachments = []Attachment{{Filename: "a.pdf", Data: []byte("abc")}}
	id, err := r.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	m.To[0].Address = "changed@client.fr"
	m.Attachments[0].Data[0] = 'X'
	last, ok := r.Last()
	if !ok || last.MessageID != id {
		t.Fatalf("got last %q (%v), want %q", last.MessageID, ok, id)
	}
	if last.To[0].Address != "alice@client.fr" || string(last.Attachments[0].Data) != "abc" {
		t.Errorf("got recorded message changed by the caller (%s, %q), want a copy", last.To[0].Address, last.Attachments[0].Data)
	}
	last.Subject = "changed"
	if again, _ := r.Last(); again.Subject != "Reset your password" {
		t.Errorf("got subject %q after changing a returned copy, want it unchanged", again.Subject)
	}

	r.Reset()
	if got := len(r.Messages()); got != 0 {
		t.Errorf("got %d messages after Reset, want 0", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Send(ctx, resetMessage()); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
