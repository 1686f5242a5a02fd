package identity_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

const clientID = "polar-mcp-test"

func newIssuer(t *testing.T, ti *testkit.Issuer, roleClaim string) *identity.Issuer {
	t.Helper()
	iss, err := identity.NewIssuer(identity.IssuerConfig{URL: ti.URL, Audience: clientID, RoleClaim: roleClaim})
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

func TestIssuerAcceptsEachAlgorithm(t *testing.T) {
	ti := testkit.NewIssuer(t)
	iss := newIssuer(t, ti, "")
	for _, alg := range identity.IssuerAlgorithms() {
		tok := ti.Sign(t, alg, ti.Claims(clientID, "Ada@Example.com"))
		if !identity.IssuerSigned(tok) {
			t.Errorf("%s: IssuerSigned = false", alg)
		}
		id, err := iss.Verify(context.Background(), tok, identity.Policy{})
		if err != nil {
			t.Fatalf("%s: %v", alg, err)
		}
		if id.Role != caller.Customer || id.Email != "ada@example.com" || id.Subject != "user-Ada@Example.com" {
			t.Errorf("%s: identity %+v", alg, id)
		}
	}
}

func TestIssuerRoleClaim(t *testing.T) {
	ti := testkit.NewIssuer(t)
	iss := newIssuer(t, ti, "polar_role")
	agent := ti.Claims(clientID, "support@shop.test")
	agent["polar_role"] = "agent"
	agent["role"] = "customer" // not the configured claim: ignored
	if id, err := iss.Verify(context.Background(), ti.Sign(t, "ES256", agent), identity.Policy{}); err != nil || id.Role != caller.Agent {
		t.Errorf("agent by polar_role: %+v %v", id, err)
	}
	odd := ti.Claims(clientID, "ada@example.com")
	odd["polar_role"] = "admin"
	if _, err := iss.Verify(context.Background(), ti.Sign(t, "ES256", odd), identity.Policy{}); identity.KindOf(err) != identity.KindUnknownRole {
		t.Errorf("polar_role admin: %v, want unknown role", err)
	}
}

func TestIssuerFollowsKeyRotation(t *testing.T) {
	ti := testkit.NewIssuer(t)
	iss := newIssuer(t, ti, "")
	ctx := context.Background()
	before := ti.Sign(t, "RS256", ti.Claims(clientID, "ada@example.com"))
	if _, err := iss.Verify(ctx, before, identity.Policy{}); err != nil {
		t.Fatalf("before rotation: %v", err)
	}
	ti.Rotate(t, "RS256")
	after := ti.Sign(t, "RS256", ti.Claims(clientID, "ada@example.com"))
	if _, err := iss.Verify(ctx, after, identity.Policy{}); err != nil {
		t.Errorf("new kid after rotation: %v", err)
	}
	if _, err := iss.Verify(ctx, before, identity.Policy{}); identity.KindOf(err) != identity.KindSignature {
		t.Errorf("old kid after rotation: %v, want a signature refusal", err)
	}
}

// Tokens naming keys the issuer never published are refused without
// asking the issuer once per token: beyond a burst of three fetches (the
// first use, a rotation), an unknown kid fetches the key set at most once
// per KeyRefetch, and known keys never need a fetch.
func TestUnknownKeyIDsDoNotFloodTheIssuer(t *testing.T) {
	ti := testkit.NewIssuer(t)
	iss, err := identity.NewIssuer(identity.IssuerConfig{URL: ti.URL, Audience: clientID, KeyRefetch: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	good := ti.Sign(t, "ES256", ti.Claims(clientID, "ada@example.com"))
	if _, err := iss.Verify(ctx, good, identity.Policy{}); err != nil {
		t.Fatal(err)
	}
	foreign := ti.NewKey(t, "ES256")
	payload, _ := json.Marshal(ti.Claims(clientID, "ada@example.com"))
	for n := range 30 {
		junk := testkit.SignJWT(t, "ES256", foreign, fmt.Sprintf(`{"alg":"ES256","kid":"made-up-%d"}`, n), string(payload))
		if _, err := iss.Verify(ctx, junk, identity.Policy{}); identity.KindOf(err) != identity.KindSignature {
			t.Fatalf("made-up kid: %v, want a signature refusal", err)
		}
		if _, err := iss.Verify(ctx, good, identity.Policy{}); err != nil {
			t.Fatalf("a good token among made-up ones: %v", err)
		}
	}
	if n := ti.KeyFetches(); n != 3 {
		t.Errorf("the first use and 30 made-up kids fetched the key set %d times, want 3 (the burst)", n)
	}
}

func TestIssuerRefusals(t *testing.T) {
	ti := testkit.NewIssuer(t)
	iss := newIssuer(t, ti, "")
	claims := func(edit func(map[string]any)) map[string]any {
		c := ti.Claims(clientID, "ada@example.com")
		edit(c)
		return c
	}
	key := ti.Key("ES256")
	header := fmt.Sprintf(`{"alg":"ES256","kid":%q}`, key.Kid)
	exp := time.Now().Add(time.Hour).Unix()
	payload := func(extra string) string {
		return fmt.Sprintf(`{"iss":%q,"aud":%q,"exp":%d,"email":"ada@example.com","email_verified":true%s}`, ti.URL, clientID, exp, extra)
	}
	foreign := ti.NewKey(t, "ES256")
	foreign.Kid = key.Kid // the kid of a published key, signed with another
	tests := []struct {
		name  string
		token string
		want  identity.Kind
	}{
		{"wrong key", testkit.SignJWT(t, "ES256", foreign, header, payload("")), identity.KindSignature},
		{"unknown kid", testkit.SignJWT(t, "ES256", ti.NewKey(t, "ES256"), `{"alg":"ES256","kid":"nope"}`, payload("")), identity.KindSignature},
		{"wrong audience", ti.Sign(t, "ES256", claims(func(c map[string]any) { c["aud"] = "someone-else" })), identity.KindAudience},
		{"no audience", ti.Sign(t, "ES256", claims(func(c map[string]any) { delete(c, "aud") })), identity.KindAudience},
		{"wrong issuer", ti.Sign(t, "ES256", claims(func(c map[string]any) { c["iss"] = "https://evil.example" })), identity.KindIssuer},
		{"no issuer", ti.Sign(t, "ES256", claims(func(c map[string]any) { delete(c, "iss") })), identity.KindIssuer},
		{"no exp", ti.Sign(t, "ES256", claims(func(c map[string]any) { delete(c, "exp") })), identity.KindExpired},
		{"expired", ti.Sign(t, "ES256", claims(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() })), identity.KindExpired},
		{"lifetime over the maximum", ti.Sign(t, "ES256", claims(func(c map[string]any) { c["exp"] = time.Now().Add(48 * time.Hour).Unix() })), identity.KindLifetime},
		{"unverified email", ti.Sign(t, "ES256", claims(func(c map[string]any) { c["email_verified"] = false })), identity.KindUnverifiedEmail},
		{"display-name email", ti.Sign(t, "ES256", claims(func(c map[string]any) { c["email"] = "Ada <ada@example.com>" })), identity.KindInvalidEmail},
		{"no email nor external id", ti.Sign(t, "ES256", claims(func(c map[string]any) { delete(c, "email") })), identity.KindMissingEmail},
		{"duplicate email", testkit.SignJWT(t, "ES256", key, header, payload(`,"email":"eve@example.com"`)), identity.KindAmbiguousClaims},
		{"case-variant role", testkit.SignJWT(t, "ES256", key, header, payload(`,"Role":"agent"`)), identity.KindAmbiguousClaims},
		{"crit header", testkit.SignJWT(t, "ES256", key, fmt.Sprintf(`{"alg":"ES256","kid":%q,"crit":["x"],"x":1}`, key.Kid), payload("")), identity.KindCritical},
		{"HS256 token", mustMint(t), identity.KindAlgorithm},
		{"role with a trailing space", ti.Sign(t, "ES256", claims(func(c map[string]any) { c["role"] = "agent " })), identity.KindUnknownRole},
		{"role with a leading space", ti.Sign(t, "RS256", claims(func(c map[string]any) { c["role"] = " customer" })), identity.KindUnknownRole},
		{"external id wrapped in whitespace", ti.Sign(t, "EdDSA", claims(func(c map[string]any) {
			delete(c, "email")
			c["external_customer_id"] = " usr_4242\t"
		})), identity.KindInvalidClaim},
	}
	for _, tt := range tests {
		_, err := iss.Verify(context.Background(), tt.token, identity.Policy{})
		if identity.KindOf(err) != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
}

func mustMint(t *testing.T) string {
	t.Helper()
	tok, err := identity.Mint([]byte("0123456789abcdef0123456789abcdef"), identity.Claims{Role: caller.Agent}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestIssuerUnreachableIsNotARefusal(t *testing.T) {
	down := httptest.NewServer(nil)
	down.Close()
	iss, err := identity.NewIssuer(identity.IssuerConfig{URL: down.URL, Audience: clientID})
	if err != nil {
		t.Fatal(err)
	}
	ti := testkit.NewIssuer(t)
	_, err = iss.Verify(context.Background(), ti.Sign(t, "EdDSA", ti.Claims(clientID, "ada@example.com")), identity.Policy{})
	if err == nil || identity.KindOf(err) != 0 {
		t.Errorf("unreachable issuer: %v, want an error that is not a refusal", err)
	}
}

// An issuer whose discovery answers but whose key set cannot be fetched
// is unreachable, every time, however many tokens arrive: never a
// signature refusal, which would tell the chatbot its token is bad.
func TestIssuerKeysUnreachableIsNotARefusal(t *testing.T) {
	keys := httptest.NewServer(nil)
	keys.Close()
	mux := http.NewServeMux()
	idp := httptest.NewServer(mux)
	defer idp.Close()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": idp.URL, "jwks_uri": keys.URL + "/keys"})
	})
	iss, err := identity.NewIssuer(identity.IssuerConfig{URL: idp.URL, Audience: clientID, KeyRefetch: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ti := testkit.NewIssuer(t)
	for n := range 6 {
		_, err := iss.Verify(context.Background(), ti.Sign(t, "EdDSA", ti.Claims(clientID, "ada@example.com")), identity.Policy{})
		if err == nil || identity.KindOf(err) != 0 {
			t.Fatalf("token %d, keys unreachable: %v, want an error that is not a refusal", n, err)
		}
	}
}

func TestNewIssuerNeedsURLAndAudience(t *testing.T) {
	for _, cfg := range []identity.IssuerConfig{{URL: "https://id.example.com"}, {Audience: clientID}} {
		if _, err := identity.NewIssuer(cfg); err == nil {
			t.Errorf("NewIssuer(%+v) accepted", cfg)
		}
	}
}

// RFC 7518 section 3.3: an RS256 key must have 2048 bits or more. A token
// signed with a published 1024-bit key is refused as unsigned; 2048 and
// 3072 bits are accepted.
func TestIssuerRefusesRSAKeysUnder2048Bits(t *testing.T) {
	ti := testkit.NewIssuer(t)
	for _, c := range []struct {
		bits int
		want identity.Kind
	}{{1024, identity.KindSignature}, {2047, identity.KindSignature}, {2048, 0}, {3072, 0}} {
		ti.PublishRSA(t, c.bits)
		iss := newIssuer(t, ti, "") // a fresh key cache
		_, err := iss.Verify(context.Background(), ti.Sign(t, "RS256", ti.Claims(clientID, "ada@example.com")), identity.Policy{})
		if identity.KindOf(err) != c.want {
			t.Errorf("%d-bit RSA key: %v, want kind %v", c.bits, err, c.want)
		}
	}
}
