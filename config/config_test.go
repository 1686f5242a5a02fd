package config

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	const tok = "polar_oat_secretsecretsecret"
	cases := []struct {
		name    string
		cfg     Config
		wantErr string // substring; "" = valid
	}{
		{"token and defaults", Config{AccessToken: tok}, ""},
		{"missing token", Config{}, "POLAR_ACCESS_TOKEN is required"},
		{"demo needs no token", Config{Demo: true}, ""},
		{"token without polar_ prefix", Config{AccessToken: "sk_live_123"}, "must start with polar_"},
		{"unknown environment", Config{AccessToken: tok, Environment: "staging"}, `POLAR_ENVIRONMENT must be "production" or "sandbox", not "staging"`},
		{"sandbox any case", Config{AccessToken: tok, Environment: " Sandbox "}, ""},
		{"bad role", Config{AccessToken: tok, Role: "admin"}, "POLAR_MCP_ROLE"},
		{"bad email", Config{AccessToken: tok, CustomerEmail: "not-an-email"}, "POLAR_MCP_CUSTOMER_EMAIL"},
		{"customer role without email", Config{AccessToken: tok, Role: "customer"}, "needs POLAR_MCP_CUSTOMER_EMAIL"},
		{"bad server url", Config{AccessToken: tok, ServerURL: "ftp://x"}, "POLAR_SERVER_URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate() = %v, want ErrInvalid containing %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), tok) {
				t.Fatal("error message leaks the token")
			}
		})
	}
}

func TestDefaultsAndBaseURL(t *testing.T) {
	c := Config{AccessToken: "polar_x"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Environment != Production || c.APIVersion != DefaultAPIVersion {
		t.Fatalf("defaults = %q %q", c.Environment, c.APIVersion)
	}
}

func TestValidateHosted(t *testing.T) {
	secret := strings.Repeat("s", 32)
	c := Config{TokenSecret: secret}
	if err := c.ValidateHosted(); err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:8080" || c.BaseURL != "http://127.0.0.1:8080" {
		t.Errorf("defaults = %q %q", c.Listen, c.BaseURL)
	}
	for _, bad := range []Config{
		{},
		{TokenSecret: "short-secret"},
		{TokenSecret: secret, BaseURL: "https://mcp.example.com/some/path"},
		{TokenSecret: secret, BaseURL: "mcp.example.com"},
		{TokenSecret: secret, Listen: "nonsense"},
		{TokenSecret: secret, Listen: "127.0.0.1:99999"},
	} {
		err := bad.ValidateHosted()
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("ValidateHosted(%+v) = %v, want ErrInvalid", bad, err)
		}
		if bad.TokenSecret != "" && strings.Contains(err.Error(), bad.TokenSecret) {
			t.Error("error leaks the secret")
		}
	}
}
