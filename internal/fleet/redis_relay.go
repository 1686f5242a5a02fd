package fleet

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultRelayPrefix starts the Redis keys and channels of a RedisRelay.
const DefaultRelayPrefix = "polar-mcp:relay:"

// Relay timings: a held session's key lives relayHoldTTL and is renewed
// every relayRenew while its holder lives; a forwarded message waits at
// most relayAnswerWait for its answer.
const (
	relayHoldTTL    = 90 * time.Second
	relayRenew      = 30 * time.Second
	relayAnswerWait = 10 * time.Second
)

// errNoHolder means no instance holds the session a message was for.
var errNoHolder = errors.New("fleet: no instance holds that session")

// RedisRelay carries opaque messages to the instance holding a session
// (a legacy SSE stream, whose message POSTs must be handled where the
// stream is): a key per held session names its holder, and each holder
// takes its messages from a channel of its own, answering on a channel
// the sender listens to. Each RedisRelay is one holder.
type RedisRelay struct {
	rdb    redis.UniversalClient
	prefix string
	member string
	log    *slog.Logger

	mu   sync.Mutex
	held map[string]struct{} // sessions announced, renewed together while Serve runs
}

type relayEnvelope struct {
	Reply   string `json:"r"`
	Payload []byte `json:"p"`
}

// NewRedisRelay returns a holder on rdb.
func NewRedisRelay(rdb redis.UniversalClient, log *slog.Logger) *RedisRelay {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RedisRelay{rdb: rdb, prefix: DefaultRelayPrefix, member: newMember(), log: log, held: map[string]struct{}{}}
}

func (r *RedisRelay) key(session string) string  { return r.prefix + "session:" + session }
func (r *RedisRelay) inbox(member string) string { return r.prefix + "to:" + member }

// Hold announces that this holder serves session, until release is
// called. Serve renews every held session's announcement, together, so
// that thousands of idle streams cost no goroutine each.
func (r *RedisRelay) Hold(ctx context.Context, session string) (release func()) {
	r.mu.Lock()
	r.held[session] = struct{}{}
	r.mu.Unlock()
	r.announce(context.WithoutCancel(ctx), []string{session})
	return func() {
		r.mu.Lock()
		delete(r.held, session)
		r.mu.Unlock()
		dctx, done := context.WithTimeout(context.Background(), time.Second)
		defer done()
		// Only this holder's own key: a session id is never reused.
		_ = r.rdb.Del(dctx, r.key(session)).Err()
	}
}

// announce names this holder as the holder of sessions, in one round trip.
func (r *RedisRelay) announce(ctx context.Context, sessions []string) {
	if len(sessions) == 0 {
		return
	}
	ctx, done := context.WithTimeout(ctx, time.Second)
	defer done()
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, s := range sessions {
			p.Set(ctx, r.key(s), r.member, relayHoldTTL)
		}
		return nil
	})
	if err != nil {
		r.log.Warn("relay: cannot announce SSE streams; their messages posted to other instances will fail", "err", err)
	}
}

// renewLoop renews every held session's announcement until ctx ends.
func (r *RedisRelay) renewLoop(ctx context.Context) {
	t := time.NewTicker(relayRenew)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		r.mu.Lock()
		sessions := make([]string, 0, len(r.held))
		for s := range r.held {
			sessions = append(sessions, s)
		}
		r.mu.Unlock()
		r.announce(ctx, sessions)
	}
}

// Forward sends payload to the holder of session and returns its answer;
// held is false when no other holder announced the session.
func (r *RedisRelay) Forward(ctx context.Context, session string, payload []byte) (answer []byte, held bool, err error) {
	answer, err = r.forward(ctx, session, payload)
	if errors.Is(err, errNoHolder) {
		return nil, false, nil
	}
	return answer, true, err
}

func (r *RedisRelay) forward(ctx context.Context, session string, payload []byte) ([]byte, error) {
	owner, err := r.rdb.Get(ctx, r.key(session)).Result()
	switch {
	case errors.Is(err, redis.Nil), err == nil && owner == r.member:
		return nil, errNoHolder
	case err != nil:
		return nil, err
	}
	reply := r.prefix + "reply:" + rand.Text()
	sub := r.rdb.Subscribe(ctx, reply)
	defer sub.Close()
	if _, err := sub.Receive(ctx); err != nil { // the subscription is in place
		return nil, err
	}
	msg, err := json.Marshal(relayEnvelope{Reply: reply, Payload: payload})
	if err != nil {
		return nil, err
	}
	n, err := r.rdb.Publish(ctx, r.inbox(owner), msg).Result()
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errNoHolder // announced, but its holder is gone
	}
	wctx, cancel := context.WithTimeout(ctx, relayAnswerWait)
	defer cancel()
	select {
	case m, ok := <-sub.Channel():
		if !ok {
			return nil, errors.New("fleet: the relay's answer channel closed")
		}
		return []byte(m.Payload), nil
	case <-wctx.Done():
		return nil, errors.New("fleet: the instance holding the session did not answer in time")
	}
}

// Serve answers, with handle, the messages sent to this holder until ctx
// ends, reconnecting to Redis on its own, and meanwhile renews the
// announcements of the sessions held.
func (r *RedisRelay) Serve(ctx context.Context, handle func(payload []byte) []byte) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	go r.renewLoop(ctx)
	sub := r.rdb.Subscribe(ctx, r.inbox(r.member))
	defer sub.Close()
	ch := sub.Channel()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case m, ok := <-ch:
			if !ok {
				return errors.New("fleet: the relay's subscription closed")
			}
			var env relayEnvelope
			if json.Unmarshal([]byte(m.Payload), &env) != nil || env.Reply == "" {
				continue
			}
			go func() {
				answer := handle(env.Payload)
				pctx, done := context.WithTimeout(ctx, time.Second)
				defer done()
				_ = r.rdb.Publish(pctx, env.Reply, answer).Err()
			}()
		}
	}
}
