package identity

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

const (
	secretA = "0123456789abcdef0123456789abcdef"
	secretB = "fedcba9876543210fedcba9876543210"
)

// testNow is the fixed clock of these tests.
func testNow() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }

func mint(t *testing.T, c Claims) string {
	t.Helper()
	tok, err := Mint([]byte(secretA), c, time.Hour, testNow())
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}
	return tok
}

// raw signs arbitrary claims, to build tokens Mint refuses to make.
func raw(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return tok
}

func TestVerifyAcceptsMintedTokens(t *testing.T) {
	tests := []struct {
		name   string
		claims Claims
		aud    string
		want   caller.Identity
	}{
		{"customer", Claims{Role: caller.Customer, Email: " Ada@Example.COM ", EmailVerified: true},
			"", caller.Identity{Role: caller.Customer, Email: "ada@example.com"}},
		{"agent with email", Claims{Role: caller.Agent, Email: "support@shop.test"},
			"", caller.Identity{Role: caller.Agent, Email: "support@shop.test"}},
		{"agent without email", Claims{Role: caller.Agent},
			"", caller.Identity{Role: caller.Agent}},
		{"audience matches", Claims{Role: caller.Agent, Audience: "conn-a"},
			"conn-a", caller.Identity{Role: caller.Agent}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Verify([]byte(secretA), mint(t, tt.claims), Policy{Audience: tt.aud, Now: testNow().Add(time.Minute)})
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			// Minted without a sub, an agent token is known by its jti.
			if (got.Subject != "") != (got.Role == caller.Agent) {
				t.Errorf("subject = %q for a %s token minted without sub", got.Subject, got.Role)
			}
			got.Subject = ""
			if got != tt.want {
				t.Errorf("identity = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestVerifyRefusals(t *testing.T) {
	customer := Claims{Role: caller.Customer, Email: "ada@example.com", EmailVerified: true}
	iat, exp := testNow().Unix(), testNow().Add(time.Hour).Unix()
	tests := []struct {
		name  string
		token string
		aud   string
		at    time.Time
		want  Kind
	}{
		{"missing", "", "", testNow(), KindMissingToken},
		{"not a jwt", "hello", "", testNow(), KindMalformed},
		{"other secret", func() string {
			tok, err := Mint([]byte(secretB), customer, time.Hour, testNow())
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}(), "", testNow(), KindSignature},
		{"tampered payload", func() string {
			parts := strings.Split(mint(t, customer), ".")
			agent := raw(t, jwt.SigningMethodHS256, []byte(secretB), jwt.MapClaims{"role": "agent", "iat": iat, "exp": exp})
			return parts[0] + "." + strings.Split(agent, ".")[1] + "." + parts[2]
		}(), "", testNow(), KindSignature},
		{"alg none", raw(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType,
			jwt.MapClaims{"role": "agent", "iat": iat, "exp": exp}), "", testNow(), KindAlgorithm},
		{"alg HS512", raw(t, jwt.SigningMethodHS512, []byte(secretA),
			jwt.MapClaims{"role": "agent", "iat": iat, "exp": exp}), "", testNow(), KindAlgorithm},
		{"expired", mint(t, customer), "", testNow().Add(time.Hour + Leeway + time.Second), KindExpired},
		{"no exp", raw(t, jwt.SigningMethodHS256, []byte(secretA),
			jwt.MapClaims{"role": "agent", "iat": iat}), "", testNow(), KindExpired},
		{"issued in the future", mint(t, customer), "", testNow().Add(-Leeway - time.Minute), KindNotYetValid},
		{"unknown role", raw(t, jwt.SigningMethodHS256, []byte(secretA),
			jwt.MapClaims{"role": "admin", "email": "a@b.c", "email_verified": true, "iat": iat, "exp": exp}), "", testNow(), KindUnknownRole},
		{"no role", raw(t, jwt.SigningMethodHS256, []byte(secretA),
			jwt.MapClaims{"iat": iat, "exp": exp}), "", testNow(), KindUnknownRole},
		{"customer without email", raw(t, jwt.SigningMethodHS256, []byte(secretA),
			jwt.MapClaims{"role": "customer", "email_verified": true, "iat": iat, "exp": exp}), "", testNow(), KindMissingEmail},
		{"customer with blank email", raw(t, jwt.SigningMethodHS256, []byte(secretA),
			jwt.MapClaims{"role": "customer", "email": "  ", "email_verified": true, "iat": iat, "exp": exp}), "", testNow(), KindMissingEmail},
		{"unverified email", raw(t, jwt.SigningMethodHS256, []byte(secretA),
			jwt.MapClaims{"role": "customer", "email": "a@b.c", "iat": iat, "exp": exp}), "", testNow(), KindUnverifiedEmail},
		{"email_verified as string", raw(t, jwt.SigningMethodHS256, []byte(secretA),
			jwt.MapClaims{"role": "customer", "email": "a@b.c", "email_verified": "true", "iat": iat, "exp": exp}), "", testNow(), KindMalformed},
		{"token for another connection", mint(t, Claims{Role: caller.Agent, Audience: "conn-a"}), "conn-b", testNow(), KindAudience},
		{"token without audience at a connection", mint(t, Claims{Role: caller.Agent}), "conn-b", testNow(), KindAudience},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := Verify([]byte(secretA), tt.token, Policy{Audience: tt.aud, Now: tt.at})
			if err == nil {
				t.Fatalf("Verify accepted the token as %+v", id)
			}
			if got := KindOf(err); got != tt.want {
				t.Errorf("kind = %v (%v), want %v", got, err, tt.want)
			}
			if !errors.Is(err, &Error{Kind: tt.want}) {
				t.Errorf("errors.Is(%v, kind %v) = false", err, tt.want)
			}
			if id != (caller.Identity{}) {
				t.Errorf("a refusal returned identity %+v", id)
			}
		})
	}
}

func TestVerifyToleratesSmallClockSkew(t *testing.T) {
	tok := mint(t, Claims{Role: caller.Agent})
	for _, at := range []time.Time{testNow().Add(-Leeway / 2), testNow().Add(time.Hour + Leeway/2)} {
		if _, err := Verify([]byte(secretA), tok, Policy{Audience: "", Now: at}); err != nil {
			t.Errorf("Verify at %v: %v", at, err)
		}
	}
}

func TestMintRefusesClaimsVerifyWouldRefuse(t *testing.T) {
	tests := []struct {
		name   string
		secret []byte
		claims Claims
		ttl    time.Duration
	}{
		{"short secret", []byte("short"), Claims{Role: caller.Agent}, time.Hour},
		{"no lifetime", []byte(secretA), Claims{Role: caller.Agent}, 0},
		{"unknown role", []byte(secretA), Claims{Role: "admin"}, time.Hour},
		{"customer without email", []byte(secretA), Claims{Role: caller.Customer, EmailVerified: true}, time.Hour},
		{"customer unverified", []byte(secretA), Claims{Role: caller.Customer, Email: "a@b.c"}, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tok, err := Mint(tt.secret, tt.claims, tt.ttl, testNow()); err == nil {
				t.Fatalf("Mint made %q", tok)
			}
		})
	}
}

func TestMintedClaimsOnTheWire(t *testing.T) {
	tok := mint(t, Claims{Role: caller.Customer, Email: "ada@example.com", EmailVerified: true, Audience: "conn-a"})
	var got jwt.MapClaims
	if _, _, err := jwt.NewParser().ParseUnverified(tok, &got); err != nil {
		t.Fatal(err)
	}
	if got["role"] != "customer" || got["email"] != "ada@example.com" || got["email_verified"] != true {
		t.Errorf("claims = %v", got)
	}
	if got["iat"] != float64(testNow().Unix()) || got["exp"] != float64(testNow().Add(time.Hour).Unix()) {
		t.Errorf("iat/exp = %v/%v", got["iat"], got["exp"])
	}
	if aud, _ := got.GetAudience(); len(aud) != 1 || aud[0] != "conn-a" {
		t.Errorf("aud = %v", aud)
	}
}

func TestVerifyRefusesShortSecret(t *testing.T) {
	_, err := Verify([]byte("short"), "a.b.c", Policy{Audience: "", Now: testNow()})
	if err == nil || KindOf(err) != 0 {
		t.Fatalf("err = %v, want a configuration error", err)
	}
	if strings.Contains(err.Error(), "short") {
		t.Errorf("error %q echoes the secret", err)
	}
}

func TestStaticSecret(t *testing.T) {
	if _, err := StaticSecret(make([]byte, config.MinTokenSecret-1)); err == nil {
		t.Fatal("StaticSecret accepted a short secret")
	}
	key := []byte(secretA)
	fn, err := StaticSecret(key)
	if err != nil {
		t.Fatal(err)
	}
	key[0] = 'X' // the caller's buffer may be reused
	got, err := fn(context.Background(), "any-connection")
	if err != nil || string(got) != secretA {
		t.Errorf("secret = %q, %v", got, err)
	}
}
