package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/polar-mcp/polar-mcp/config"
)

// setting maps a configuration key to its environment variable and, where
// it is safe to pass on a command line, its flag.
type setting struct {
	key, env, flag, usage string
	boolean               bool
}

// settings lists every configuration key. Secrets (the access token, the
// token secret, master and admin keys) have no flag: argv is visible to
// every user of the machine.
func settings() []setting {
	return []setting{
		{"access_token", "POLAR_ACCESS_TOKEN", "", "", false},
		{"environment", "POLAR_ENVIRONMENT", "environment", "Polar environment: production or sandbox", false},
		{"server_url", "POLAR_SERVER_URL", "server-url", "override the Polar API URL (tests, proxies)", false},
		{"api_version", "POLAR_API_VERSION", "api-version", "Polar-Version header (default " + config.DefaultAPIVersion + ")", false},
		{"customer_email", "POLAR_MCP_CUSTOMER_EMAIL", "customer-email", "on stdio, act as this verified customer", false},
		{"role", "POLAR_MCP_ROLE", "role", "on stdio: customer or agent", false},
		{"read_only", "POLAR_MCP_READ_ONLY", "read-only", "remove the tools that create portal sessions", true},
		{"rate_limit", "POLAR_MCP_RATE_LIMIT", "", "", false},
		{"rate_headroom", "POLAR_MCP_RATE_HEADROOM", "", "", false},
		{"cache_customer_ttl", "POLAR_MCP_CACHE_CUSTOMER_TTL", "", "", false},
		{"cache_catalog_ttl", "POLAR_MCP_CACHE_CATALOG_TTL", "", "", false},
		{"cache_billing_ttl", "POLAR_MCP_CACHE_BILLING_TTL", "", "", false},
		{"token_secret", "POLAR_MCP_TOKEN_SECRET", "", "", false},
		{"listen", "POLAR_MCP_LISTEN", "", "", false},
		{"base_url", "POLAR_MCP_BASE_URL", "", "", false},
		{"allowed_origins", "POLAR_MCP_ALLOWED_ORIGINS", "", "", false},
		{"database_url", "POLAR_MCP_DATABASE_URL", "", "", false},
		{"master_key", "POLAR_MCP_MASTER_KEY", "", "", false},
		{"master_key_file", "POLAR_MCP_MASTER_KEY_FILE", "", "", false},
		{"admin_key", "POLAR_MCP_ADMIN_KEY", "", "", false},
	}
}

// addConfigFlags declares the persistent flags every command shares.
func addConfigFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String("config", "", "config file (default: ./polar-mcp.yaml, then $HOME/.config/polar-mcp/polar-mcp.yaml)")
	f.Bool("demo", false, "serve the embedded demo organization: no token, no network")
	for _, s := range settings() {
		switch {
		case s.flag == "":
		case s.boolean:
			f.Bool(s.flag, false, s.usage)
		default:
			f.String(s.flag, "", s.usage)
		}
	}
}

// loadConfig reads the configuration (see readConfig) and validates it.
func loadConfig(cmd *cobra.Command) (config.Config, error) {
	cfg, err := readConfig(cmd)
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// readConfig reads flags, then environment, then the config file, in that
// order of precedence, into a config.Config, without validating it.
func readConfig(cmd *cobra.Command) (config.Config, error) {
	v := viper.New()
	for _, s := range settings() {
		if err := v.BindEnv(s.key, s.env); err != nil {
			return config.Config{}, err
		}
		if f := cmd.Flags().Lookup(flagName(s.key, s.flag)); f != nil {
			if err := v.BindPFlag(s.key, f); err != nil {
				return config.Config{}, err
			}
		}
	}
	file, _ := cmd.Flags().GetString("config")
	explicit := file != ""
	if !explicit {
		file = findConfigFile()
	}
	if file != "" {
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return config.Config{}, fmt.Errorf("%w: reading config file %s: %v", config.ErrInvalid, file, err)
		}
	}
	demo, _ := cmd.Flags().GetBool("demo")
	cfg := config.Config{
		AccessToken:   strings.TrimSpace(v.GetString("access_token")),
		Environment:   v.GetString("environment"),
		ServerURL:     v.GetString("server_url"),
		APIVersion:    v.GetString("api_version"),
		CustomerEmail: v.GetString("customer_email"),
		Role:          v.GetString("role"),
		ReadOnly:      v.GetBool("read_only"),
		Demo:          demo,

		RateLimit:        v.GetInt("rate_limit"),
		RateHeadroom:     v.GetFloat64("rate_headroom"),
		CustomerCacheTTL: v.GetDuration("cache_customer_ttl"),
		CatalogCacheTTL:  v.GetDuration("cache_catalog_ttl"),
		BillingCacheTTL:  v.GetDuration("cache_billing_ttl"),

		Listen:         v.GetString("listen"),
		BaseURL:        v.GetString("base_url"),
		AllowedOrigins: origins(v.GetStringSlice("allowed_origins")),
		TokenSecret:    v.GetString("token_secret"),

		DatabaseURL:   v.GetString("database_url"),
		MasterKey:     v.GetString("master_key"),
		MasterKeyFile: v.GetString("master_key_file"),
		AdminKey:      strings.TrimSpace(v.GetString("admin_key")),
	}
	return cfg, nil
}

// flagName is the flag bound to a key: its persistent flag, or a
// command's own flag named after the key (listen → --listen).
func flagName(key, flag string) string {
	if flag != "" {
		return flag
	}
	switch key {
	case "access_token", "token_secret", "master_key", "admin_key", "database_url":
		return "" // secrets (a database URL may hold a password) never come from argv
	}
	return strings.ReplaceAll(key, "_", "-")
}

// origins splits comma-separated origins from the environment.
func origins(in []string) []string {
	var out []string
	for _, s := range in {
		for _, o := range strings.Split(s, ",") {
			if o = strings.TrimSpace(o); o != "" {
				out = append(out, o)
			}
		}
	}
	return out
}

// findConfigFile returns the first polar-mcp.yaml (or .yml) in the working
// directory or $HOME/.config/polar-mcp, or "". Only these exact names are
// read: a file merely named polar-mcp (the binary itself) never is.
func findConfigFile() string {
	dirs := []string{"."}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".config", "polar-mcp"))
	}
	for _, dir := range dirs {
		for _, name := range []string{"polar-mcp.yaml", "polar-mcp.yml"} {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p
			}
		}
	}
	return ""
}
