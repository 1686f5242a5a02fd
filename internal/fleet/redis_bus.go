package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultChannel is the pub/sub channel of invalidations.
const DefaultChannel = "polar-mcp:invalidate"

// RedisBus is a Bus over Redis pub/sub. Subscribers of this process get
// what it publishes even when Redis is away; after a reconnection, a
// subscriber gets one KindAll, since it may have missed messages.
type RedisBus struct {
	rdb     redis.UniversalClient
	channel string
	origin  string
	local   *LocalBus
}

var _ Bus = (*RedisBus)(nil)

type envelope struct {
	Origin string `json:"o"`
	Invalidation
}

// NewRedisBus returns a RedisBus on rdb; channel "" means DefaultChannel.
func NewRedisBus(rdb redis.UniversalClient, channel string) *RedisBus {
	if channel == "" {
		channel = DefaultChannel
	}
	return &RedisBus{rdb: rdb, channel: channel, origin: newMember(), local: NewLocalBus()}
}

// Publish implements Bus. This process's subscribers get inv at once;
// the error says whether the other instances were told.
func (b *RedisBus) Publish(ctx context.Context, inv Invalidation) error {
	_ = b.local.Publish(ctx, inv)
	p, err := json.Marshal(envelope{Origin: b.origin, Invalidation: inv})
	if err != nil {
		return err
	}
	return b.rdb.Publish(ctx, b.channel, p).Err()
}

// Subscribe implements Bus.
func (b *RedisBus) Subscribe(ctx context.Context, fn func(Invalidation)) error {
	ps := b.rdb.Subscribe(ctx, b.channel)
	if _, err := ps.Receive(ctx); err != nil {
		_ = ps.Close()
		return err
	}
	// Deliveries from both sources go through one local queue, so fn is
	// called from one goroutine.
	own := NewLocalBus()
	_ = own.Subscribe(ctx, fn)
	_ = b.local.Subscribe(ctx, func(inv Invalidation) { _ = own.Publish(ctx, inv) })
	go func() {
		defer ps.Close()
		for {
			msg, err := ps.Receive(ctx)
			if err != nil {
				if ctx.Err() != nil || errors.Is(err, redis.ErrClosed) {
					return
				}
				// go-redis reconnects and resubscribes on the next
				// Receive; do not spin while Redis is away.
				select {
				case <-ctx.Done():
					return
				case <-time.After(100 * time.Millisecond):
				}
				continue
			}
			switch m := msg.(type) {
			case *redis.Subscription:
				_ = own.Publish(ctx, Invalidation{Kind: KindAll})
			case *redis.Message:
				var e envelope
				if json.Unmarshal([]byte(m.Payload), &e) != nil || e.Origin == b.origin {
					continue
				}
				_ = own.Publish(ctx, e.Invalidation)
			}
		}
	}()
	return nil
}
