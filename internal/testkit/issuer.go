package testkit

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Issuer is an OpenID Connect issuer on a loopback httptest server: a
// discovery document and a JWKS holding one RSA (RS256), one ECDSA P-256
// (ES256) and one Ed25519 (EdDSA) key, generated for the test. Rotate
// replaces a key; the JWKS then publishes only the new one.
type Issuer struct {
	// URL is the issuer identifier (http://127.0.0.1:port).
	URL string

	mu      sync.Mutex
	keys    map[string]IssuerKey // alg → current key
	n       int                  // keys made, for fresh kids
	fetches int                  // GET /keys served
}

// IssuerKey is a signing key and the kid it is published under.
type IssuerKey struct {
	Kid    string
	Signer crypto.Signer
}

// NewIssuer starts an issuer that stops with t.
func NewIssuer(t testing.TB) *Issuer {
	t.Helper()
	i := &Issuer{keys: map[string]IssuerKey{}}
	for _, alg := range []string{"RS256", "ES256", "EdDSA"} {
		i.keys[alg] = i.newKey(t, alg)
	}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	i.URL = srv.URL
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, map[string]any{"issuer": i.URL, "jwks_uri": i.URL + "/keys",
			"id_token_signing_alg_values_supported": []string{"RS256", "ES256", "EdDSA"}})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, _ *http.Request) {
		i.mu.Lock()
		defer i.mu.Unlock()
		i.fetches++
		var keys []map[string]string
		for alg, k := range i.keys {
			keys = append(keys, jwk(alg, k))
		}
		writeJSON(w, map[string]any{"keys": keys})
	})
	return i
}

// KeyFetches is how many times the key set was fetched.
func (i *Issuer) KeyFetches() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.fetches
}

// NewKey makes a key for alg that the issuer does not publish.
func (i *Issuer) NewKey(t testing.TB, alg string) IssuerKey {
	t.Helper()
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.newKey(t, alg)
}

// Key is the published key for alg.
func (i *Issuer) Key(alg string) IssuerKey {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.keys[alg]
}

// Rotate publishes a new key for alg in place of the current one, which
// it returns.
func (i *Issuer) Rotate(t testing.TB, alg string) IssuerKey {
	t.Helper()
	i.mu.Lock()
	defer i.mu.Unlock()
	old := i.keys[alg]
	i.keys[alg] = i.newKey(t, alg)
	return old
}

// PublishRSA publishes a new RS256 key of bits bits in place of the
// current one and returns it (a 1024-bit key tests the floor of RFC 7518).
func (i *Issuer) PublishRSA(t testing.TB, bits int) IssuerKey {
	t.Helper()
	s, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	i.n++
	k := IssuerKey{Kid: fmt.Sprintf("RS256-%d-bits-%d", bits, i.n), Signer: s}
	i.keys["RS256"] = k
	return k
}

// Claims are valid claims for a verified customer: this issuer, aud,
// issued now, valid for an hour.
func (i *Issuer) Claims(aud, email string) map[string]any {
	now := time.Now()
	return map[string]any{"iss": i.URL, "aud": aud, "sub": "user-" + email, "email": email, "email_verified": true,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

// Sign signs claims with the published key for alg.
func (i *Issuer) Sign(t testing.TB, alg string, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return SignJWT(t, alg, i.Key(alg), `{"alg":"`+alg+`","typ":"JWT","kid":"`+i.Key(alg).Kid+`"}`, string(payload))
}

// SignJWT signs a header and payload, given as raw JSON text (so that a
// test may repeat a name), with key.
func SignJWT(t testing.TB, alg string, key IssuerKey, header, payload string) string {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	unsigned := enc([]byte(header)) + "." + enc([]byte(payload))
	sig, err := jwt.GetSigningMethod(alg).Sign(unsigned, key.Signer)
	if err != nil {
		t.Fatalf("sign %s: %v", alg, err)
	}
	return unsigned + "." + enc(sig)
}

func (i *Issuer) newKey(t testing.TB, alg string) IssuerKey {
	t.Helper()
	var s crypto.Signer
	var err error
	switch alg {
	case "RS256":
		s, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ES256":
		s, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "EdDSA":
		_, s, err = ed25519.GenerateKey(rand.Reader)
	default:
		err = fmt.Errorf("unknown algorithm %q", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	i.n++
	return IssuerKey{Kid: fmt.Sprintf("%s-%d", alg, i.n), Signer: s}
}

// jwk is the public JWK of k (RFC 7517, 7518, 8037).
func jwk(alg string, k IssuerKey) map[string]string {
	enc := base64.RawURLEncoding.EncodeToString
	m := map[string]string{"kid": k.Kid, "alg": alg, "use": "sig"}
	switch pub := k.Signer.Public().(type) {
	case *rsa.PublicKey:
		m["kty"], m["n"], m["e"] = "RSA", enc(pub.N.Bytes()), enc(big.NewInt(int64(pub.E)).Bytes())
	case *ecdsa.PublicKey:
		b, _ := pub.Bytes() // uncompressed: 0x04 || X || Y
		m["kty"], m["crv"], m["x"], m["y"] = "EC", "P-256", enc(b[1:33]), enc(b[33:])
	case ed25519.PublicKey:
		m["kty"], m["crv"], m["x"] = "OKP", "Ed25519", enc(pub)
	}
	return m
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
