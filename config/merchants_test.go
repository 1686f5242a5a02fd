package config

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateServerModes(t *testing.T) {
	secret := strings.Repeat("s", 40)
	admin := strings.Repeat("a", 40)
	tests := []struct {
		name         string
		cfg          Config
		want         string // "" for valid
		single, many bool
	}{
		{"nothing", Config{}, "POLAR_ACCESS_TOKEN is required", false, false},
		{"single merchant", Config{AccessToken: "polar_oat_x", TokenSecret: secret}, "", true, false},
		{"single merchant without token secret", Config{AccessToken: "polar_oat_x"}, "POLAR_MCP_TOKEN_SECRET", true, false},
		{"many merchants only: no token secret needed", Config{MasterKey: "k1:key"}, "", false, true},
		{"both", Config{Demo: true, TokenSecret: secret, MasterKey: "k1:key", AdminKey: admin}, "", true, true},
		{"database without master key", Config{DatabaseURL: "postgres://db/x"}, "POLAR_MCP_MASTER_KEY (or POLAR_MCP_MASTER_KEY_FILE) is required", false, true},
		{"two master keys", Config{MasterKey: "k1:key", MasterKeyFile: "/keys"}, "not both", false, true},
		{"short admin key", Config{MasterKey: "k1:key", AdminKey: "short-admin"}, "POLAR_MCP_ADMIN_KEY is too short", false, true},
		{"admin key without a store", Config{Demo: true, TokenSecret: secret, AdminKey: admin}, "needs POLAR_MCP_MASTER_KEY", true, false},
		{"bad server URL still checked", Config{MasterKey: "k1:key", ServerURL: "ftp://x"}, "POLAR_SERVER_URL", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			if cfg.SingleMerchant() != tt.single || cfg.MultiMerchant() != tt.many {
				t.Errorf("single %v many %v", cfg.SingleMerchant(), cfg.MultiMerchant())
			}
			err := cfg.ValidateServer()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.want != "" && (err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if strings.Contains(errString(err), "short-admin") {
				t.Error("the admin key was echoed")
			}
			if tt.want == "" && tt.many && cfg.DatabaseURL != DefaultDatabaseURL {
				t.Errorf("database URL %q", cfg.DatabaseURL)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestSecretsTrimmed(t *testing.T) {
	admin := strings.Repeat("a", 40)
	c := Config{AccessToken: " polar_oat_x\n", TokenSecret: admin, MasterKey: "k1:key", AdminKey: admin + "\n"}
	if err := c.ValidateServer(); err != nil {
		t.Fatal(err)
	}
	if c.AccessToken != "polar_oat_x" || c.AdminKey != admin {
		t.Errorf("not trimmed: %q %q", c.AccessToken, c.AdminKey)
	}
}
