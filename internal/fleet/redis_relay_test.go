package fleet

import (
	"context"
	"testing"
	"time"
)

// A message for a held session reaches its holder, wherever it is sent
// from, and its answer comes back; once released, no one holds it.
func TestRedisRelayForwardsToTheHolder(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	holder, sender := NewRedisRelay(client(t, nil), nil), NewRedisRelay(client(t, nil), nil)
	holder.prefix = prefix(t)
	sender.prefix = holder.prefix
	go func() { _ = holder.Serve(ctx, func(p []byte) []byte { return append([]byte("answered: "), p...) }) }()
	release := holder.Hold(ctx, "s1")
	var answer []byte
	var held bool
	var err error
	deadline := time.Now().Add(5 * time.Second)
	for { // Serve's subscription may not be in place yet
		answer, held, err = sender.Forward(ctx, "s1", []byte("ping"))
		if (held && err == nil) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || !held || string(answer) != "answered: ping" {
		t.Fatalf("forward = %q, %v, %v", answer, held, err)
	}
	if _, held, _ := holder.Forward(ctx, "s1", []byte("x")); held {
		t.Error("the holder forwarded to itself")
	}
	if _, held, _ := sender.Forward(ctx, "nobody", []byte("x")); held {
		t.Error("a session no one holds was held")
	}
	release()
	if _, held, _ := sender.Forward(ctx, "s1", []byte("x")); held {
		t.Error("a released session is still held")
	}
}
