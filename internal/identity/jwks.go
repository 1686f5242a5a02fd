package identity

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"golang.org/x/sync/singleflight"
	"golang.org/x/time/rate"
)

// DefaultKeyRefetch is how often, beyond a burst of keyFetchBurst,
// tokens naming an unknown key may make the issuer's keys be fetched.
const DefaultKeyRefetch = 10 * time.Second

// keyFetchBurst is how many fetches may follow one another at once: the
// first use and a rotation soon after need two.
const keyFetchBurst = 3

// maxJWKSBytes bounds an issuer's key set document.
const maxJWKSBytes = 1 << 20

// errSignature means no key the issuer publishes made the signature.
var errSignature = errors.New("no key of the issuer's made this signature")

// remoteKeys is an issuer's JSON Web Key Set. It is fetched on first use
// and again when a token names a key it does not hold, within the limit
// of fetches: so a rotated key is picked up and a removed one stops
// working without a restart, while tokens with made-up key ids cannot
// make this server ask the issuer once per request.
type remoteKeys struct {
	url     string
	client  *http.Client
	fetches *rate.Limiter

	flight  singleflight.Group
	mu      sync.Mutex
	keys    []jose.JSONWebKey
	failure error // the last fetch's, until one succeeds
}

func newRemoteKeys(url string, client *http.Client, refetch time.Duration) *remoteKeys {
	return &remoteKeys{url: url, client: client, fetches: rate.NewLimiter(rate.Every(refetch), keyFetchBurst)}
}

// verify checks token's signature and returns its payload. An error
// other than errSignature means the keys could not be fetched.
func (r *remoteKeys) verify(ctx context.Context, token string) ([]byte, error) {
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.EdDSA})
	if err != nil || len(jws.Signatures) != 1 {
		return nil, errSignature
	}
	kid := jws.Signatures[0].Header.KeyID
	keys, failure := r.cached()
	if p, ok := verifyWith(jws, keys, kid); ok {
		return p, nil
	}
	if !r.fetches.Allow() {
		if keys == nil && failure != nil {
			return nil, failure // never fetched: unreachable, not a refusal
		}
		return nil, errSignature
	}
	ch := r.flight.DoChan("keys", func() (any, error) { return r.fetch(ctx) })
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return nil, res.Err
		}
		if p, ok := verifyWith(jws, res.Val.([]jose.JSONWebKey), kid); ok {
			return p, nil
		}
		return nil, errSignature
	}
}

func (r *remoteKeys) cached() ([]jose.JSONWebKey, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.keys, r.failure
}

func verifyWith(jws *jose.JSONWebSignature, keys []jose.JSONWebKey, kid string) ([]byte, bool) {
	for i := range keys {
		if kid != "" && keys[i].KeyID != kid {
			continue
		}
		if p, err := jws.Verify(&keys[i]); err == nil {
			return p, true
		}
	}
	return nil, false
}

// fetch gets the key set; it keeps the keys held when the issuer cannot
// answer.
func (r *remoteKeys) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	keys, err := r.get(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err != nil {
		r.failure = fmt.Errorf("auth: the issuer's keys cannot be fetched: %w", err)
		return nil, r.failure
	}
	r.keys, r.failure = keys, nil
	return keys, nil
}

func (r *remoteKeys) get(ctx context.Context) ([]jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s answered %s", r.url, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxJWKSBytes {
		return nil, fmt.Errorf("the key set at %s is over %d bytes", r.url, maxJWKSBytes)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("the key set at %s is not a JSON Web Key Set: %w", r.url, err)
	}
	var keys []jose.JSONWebKey
	for _, k := range set.Keys {
		if k.Valid() && k.IsPublic() && (k.Use == "" || k.Use == "sig") && strongEnough(k) {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// minRSABits is the smallest RSA modulus accepted: RFC 7518 section
// 3.3 requires 2048 bits or more for RS256.
const minRSABits = 2048

// strongEnough drops RSA keys under minRSABits: a token they sign is
// refused as if no key of the issuer's had signed it.
func strongEnough(k jose.JSONWebKey) bool {
	if pub, ok := k.Key.(*rsa.PublicKey); ok {
		return pub.N.BitLen() >= minRSABits
	}
	return true
}
