package hosted

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// A relayed POST never carries the caller's token: Redis, and whoever
// can subscribe to it, would see a bearer credential to replay. It
// carries the identity the forwarding replica verified instead, sealed
// with a MAC keyed by relayKey, which only replicas knowing the
// connection's token secret can make. The holder checks the MAC, the
// connection, the token's expiry and the seal's age, then serves the POST
// as that caller, with every other check a direct POST gets.

// relaySealMaxAge bounds how old a sealed POST may be when the holder
// takes it (the forwarder waits 10 s for the answer; clocks may differ a
// little): an old one seen on Redis cannot be replayed later.
const relaySealMaxAge = 30 * time.Second

// relayedCaller is the verified caller a relayed POST is served as.
type relayedCaller struct {
	Role       string `json:"role"`
	Email      string `json:"email,omitempty"`
	ExternalID string `json:"external_customer_id,omitempty"`
	Connection string `json:"connection,omitempty"`
	Subject    string `json:"sub,omitempty"`
	Locale     string `json:"locale,omitempty"`
	Expiry     int64  `json:"exp,omitempty"` // the token's, Unix seconds
}

// sealedPost is what goes through the relay: the post's JSON and its MAC.
type sealedPost struct {
	Post json.RawMessage `json:"post"`
	MAC  []byte          `json:"mac"`
}

// relayKeyOf derives the relay's MAC key from a connection's token
// secret: never the secret itself, so a relay MAC is no token signature.
func relayKeyOf(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("polar-mcp relay seal v1"))
	return m.Sum(nil)
}

func relayMAC(key, post []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(post)
	return m.Sum(nil)
}

type relayKeyKey struct{}

// withRelayKey keeps the verified connection's relay key for forward.
func withRelayKey(ctx context.Context, secret []byte) context.Context {
	return context.WithValue(ctx, relayKeyKey{}, relayKeyOf(secret))
}

// seal returns p with the caller of ctx, sealed for the relay; false
// when ctx has no verified caller.
func seal(ctx context.Context, p relayedPost, now time.Time) ([]byte, bool) {
	id, ok := caller.From(ctx)
	key, kok := ctx.Value(relayKeyKey{}).([]byte)
	if !ok || !kok {
		return nil, false
	}
	p.Caller = relayedCaller{Role: string(id.Role), Email: id.Email, ExternalID: id.ExternalID,
		Connection: id.Connection, Subject: id.Subject, Locale: id.Locale}
	if exp, ok := expiryFrom(ctx); ok {
		p.Caller.Expiry = exp.Unix()
	}
	p.Sent = now.UnixMilli()
	post, err := json.Marshal(p)
	if err != nil {
		return nil, false
	}
	out, err := json.Marshal(sealedPost{Post: post, MAC: relayMAC(key, post)})
	return out, err == nil
}

// unseal checks a sealed POST with the relay key of its connection's
// secret (resolved by secretOf) and returns it.
func unseal(payload []byte, now time.Time, secretOf func(connection string) ([]byte, error)) (relayedPost, error) {
	var s sealedPost
	var p relayedPost
	if err := json.Unmarshal(payload, &s); err != nil || len(s.Post) == 0 {
		return p, errors.New("not a sealed relay message")
	}
	if err := json.Unmarshal(s.Post, &p); err != nil {
		return p, errors.New("not a relayed POST")
	}
	secret, err := secretOf(p.Caller.Connection)
	if err != nil {
		return p, err
	}
	if !hmac.Equal(s.MAC, relayMAC(relayKeyOf(secret), s.Post)) {
		return p, errors.New("the relay seal does not match")
	}
	if sent := time.UnixMilli(p.Sent); now.Sub(sent) > relaySealMaxAge || sent.Sub(now) > relaySealMaxAge {
		return p, errors.New("the relay seal is too old")
	}
	if p.Caller.Expiry != 0 && !now.Before(time.Unix(p.Caller.Expiry, 0)) {
		return p, errors.New("the caller's token has expired")
	}
	return p, nil
}

type relayedKey struct{}

// withRelayed marks a request's context as a relayed POST's, unsealed:
// authenticate takes its caller instead of a bearer token. Only
// serveRelayed sets it, in process.
func withRelayed(ctx context.Context, c relayedCaller) context.Context {
	return context.WithValue(ctx, relayedKey{}, c)
}

func relayedFrom(ctx context.Context) (relayedCaller, bool) {
	c, ok := ctx.Value(relayedKey{}).(relayedCaller)
	return c, ok
}

// identity is the caller a relayed POST is served as, and its expiry.
func (c relayedCaller) identity() (caller.Identity, time.Time, error) {
	role, err := caller.ParseRole(c.Role)
	if err != nil {
		return caller.Identity{}, time.Time{}, err
	}
	id := caller.Identity{Role: role, Email: c.Email, ExternalID: c.ExternalID, Connection: c.Connection,
		Subject: c.Subject, Locale: c.Locale}
	var exp time.Time
	if c.Expiry != 0 {
		exp = time.Unix(c.Expiry, 0)
	}
	return id, exp, nil
}
