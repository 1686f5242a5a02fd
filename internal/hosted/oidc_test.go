package hosted

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

const oidcClientID = "polar-mcp-hosted-test"

// withIssuer serves the echo server accepting ti's tokens beside HS256
// ones signed with secretA.
func withIssuer(t *testing.T, ti *testkit.Issuer) *testServer {
	t.Helper()
	iss, err := identity.NewIssuer(identity.IssuerConfig{URL: ti.URL, Audience: oidcClientID})
	if err != nil {
		t.Fatal(err)
	}
	return serve(t, newEcho().srv, func(c *Config) { c.Issuer = iss })
}

func TestIssuerTokensOfEachAlgorithmThroughStreamableHTTP(t *testing.T) {
	ti := testkit.NewIssuer(t)
	s := withIssuer(t, ti)
	for _, alg := range identity.IssuerAlgorithms() {
		email := strings.ToLower(alg) + "@example.com"
		c := connect(t, s.url, "http", "2025-11-25", ti.Sign(t, alg, ti.Claims(oidcClientID, email)))
		if w := callWhoami(t, c); w.Role != "customer" || w.Email != email {
			t.Errorf("%s: whoami = %+v", alg, w)
		}
	}
	// HS256 tokens still go to the secret.
	if w := callWhoami(t, connect(t, s.url, "http", "2025-11-25", agentToken(t))); w.Role != "agent" {
		t.Errorf("HS256 beside the issuer: whoami = %+v", w)
	}
}

func TestIssuerKeyRotationWithoutRestart(t *testing.T) {
	ti := testkit.NewIssuer(t)
	s := withIssuer(t, ti)
	old := ti.Sign(t, "RS256", ti.Claims(oidcClientID, "ada@example.com"))
	if w := callWhoami(t, connect(t, s.url, "http", "2025-11-25", old)); w.Email != "ada@example.com" {
		t.Fatalf("before rotation: whoami = %+v", w)
	}
	ti.Rotate(t, "RS256")
	fresh := ti.Sign(t, "RS256", ti.Claims(oidcClientID, "ada@example.com"))
	if w := callWhoami(t, connect(t, s.url, "http", "2025-11-25", fresh)); w.Email != "ada@example.com" {
		t.Errorf("new kid: whoami = %+v", w)
	}
	resp, body := post(t, s.url+"/mcp", old, initializeBody, nil)
	checkUnauthorized(t, resp, body, s.url+"/.well-known/oauth-protected-resource", false)
}

func TestIssuerTokenRefusals(t *testing.T) {
	ti := testkit.NewIssuer(t)
	s := withIssuer(t, ti)
	claims := func(edit func(map[string]any)) map[string]any {
		c := ti.Claims(oidcClientID, "ada@example.com")
		edit(c)
		return c
	}
	key := ti.Key("EdDSA")
	foreign := ti.NewKey(t, "EdDSA")
	foreign.Kid = key.Kid
	header := fmt.Sprintf(`{"alg":"EdDSA","kid":%q}`, key.Kid)
	payload := fmt.Sprintf(`{"iss":%q,"aud":%q,"exp":%d,"email":"ada@example.com","email_verified":true,"email":"eve@example.com"}`,
		ti.URL, oidcClientID, time.Now().Add(time.Hour).Unix())
	for name, tok := range map[string]string{
		"wrong key":         testkit.SignJWT(t, "EdDSA", foreign, header, `{"iss":"`+ti.URL+`","aud":"`+oidcClientID+`"}`),
		"wrong audience":    ti.Sign(t, "EdDSA", claims(func(c map[string]any) { c["aud"] = "another-client" })),
		"wrong issuer":      ti.Sign(t, "EdDSA", claims(func(c map[string]any) { c["iss"] = "https://evil.example" })),
		"missing exp":       ti.Sign(t, "EdDSA", claims(func(c map[string]any) { delete(c, "exp") })),
		"over-long life":    ti.Sign(t, "EdDSA", claims(func(c map[string]any) { c["exp"] = time.Now().Add(30 * 24 * time.Hour).Unix() })),
		"ambiguous claims":  testkit.SignJWT(t, "EdDSA", key, header, payload),
		"alg none":          "eyJhbGciOiJub25lIn0." + strings.Split(ti.Sign(t, "EdDSA", ti.Claims(oidcClientID, "a@b.co")), ".")[1] + ".",
		"unverified e-mail": ti.Sign(t, "EdDSA", claims(func(c map[string]any) { c["email_verified"] = false })),
	} {
		resp, body := post(t, s.url+"/mcp", tok, initializeBody, nil)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %d %s, want 401", name, resp.StatusCode, body)
			continue
		}
		checkUnauthorized(t, resp, body, s.url+"/.well-known/oauth-protected-resource", false)
	}
}

type metadataDoc struct {
	Resource string   `json:"resource"`
	Servers  []string `json:"authorization_servers"`
	Scopes   []string `json:"scopes_supported"`
}

func getMetadata(t *testing.T, url string) metadataDoc {
	t.Helper()
	resp, err := http.Get(url + "/.well-known/oauth-protected-resource")
	if err != nil {
		t.Fatal(err)
	}
	var md metadataDoc
	if err := json.Unmarshal([]byte(readAll(resp)), &md); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("metadata: %d %v", resp.StatusCode, err)
	}
	return md
}

func TestMetadataWithAndWithoutIssuer(t *testing.T) {
	ti := testkit.NewIssuer(t)
	with := withIssuer(t, ti)
	md := getMetadata(t, with.url)
	if md.Resource != with.url || !slices.Equal(md.Servers, []string{ti.URL}) || !slices.Contains(md.Scopes, "openid") {
		t.Errorf("metadata with an issuer = %+v", md)
	}
	resp, body := post(t, with.url+"/mcp", "", initializeBody, nil)
	checkUnauthorized(t, resp, body, with.url+"/.well-known/oauth-protected-resource", true)

	without := serve(t, newEcho().srv, nil)
	if md := getMetadata(t, without.url); !slices.Equal(md.Servers, []string{without.url}) {
		t.Errorf("metadata without an issuer = %+v, want polar-mcp itself as the authorization server", md)
	}
	resp, body = post(t, without.url+"/mcp", "", initializeBody, nil)
	checkUnauthorized(t, resp, body, without.url+"/.well-known/oauth-protected-resource", true)
}

// TestSharedSecretModeExplainsEveryOAuthStep: without an issuer, an OAuth
// client following the metadata finds an authorization server whose every
// step answers, in OAuth's error shape, that polar-mcp issues no tokens
// and how to send one; with an issuer, there is no such server.
func TestSharedSecretModeExplainsEveryOAuthStep(t *testing.T) {
	s := serve(t, newEcho().srv, nil)
	resp, err := http.Get(s.url + "/.well-known/oauth-authorization-server")
	if err != nil {
		t.Fatal(err)
	}
	var as map[string]any
	if err := json.Unmarshal([]byte(readAll(resp)), &as); err != nil || resp.StatusCode != http.StatusOK || as["issuer"] != s.url {
		t.Fatalf("authorization server metadata: %d %v %v", resp.StatusCode, as, err)
	}
	for _, key := range []string{"authorization_endpoint", "token_endpoint", "registration_endpoint"} {
		endpoint, _ := as[key].(string)
		if !strings.HasPrefix(endpoint, s.url+"/") {
			t.Errorf("%s = %q", key, endpoint)
			continue
		}
		resp, body := post(t, endpoint, "", `{"redirect_uris":["http://localhost/cb"]}`, nil)
		var e errorBody
		if resp.StatusCode != http.StatusBadRequest || json.Unmarshal([]byte(body), &e) != nil ||
			e.Error == "" || !strings.Contains(e.Description, "does not issue tokens") || !strings.Contains(e.Description, "Authorization: Bearer") {
			t.Errorf("%s: %d %s, want 400 with the reason", key, resp.StatusCode, body)
		}
	}
	with := withIssuer(t, testkit.NewIssuer(t))
	if resp, err := http.Get(with.url + "/.well-known/oauth-authorization-server"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("with an issuer, polar-mcp serves authorization server metadata: %v", resp)
	}
}

func TestIssuerRefusedWithPerConnection(t *testing.T) {
	iss, err := identity.NewIssuer(identity.IssuerConfig{URL: "https://id.example.com", Audience: oidcClientID})
	if err != nil {
		t.Fatal(err)
	}
	secrets, _ := Static([]byte(secretA), nil)
	if _, err := New(Config{BaseURL: "https://mcp.example.com", Resolve: secrets, PerConnection: true, Issuer: iss}, newEcho().srv); err == nil {
		t.Error("New accepted an issuer with per-connection endpoints")
	}
}
