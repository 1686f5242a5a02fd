package config

import (
	"fmt"
	"strings"
)

// DefaultDatabaseURL is the connection store when POLAR_MCP_DATABASE_URL is
// not set: a SQLite file in the working directory.
const DefaultDatabaseURL = "polar-mcp.db"

// MinAdminKey is the shortest accepted admin API key, in bytes.
const MinAdminKey = 32

// SingleMerchant reports whether one organization is served at the root
// of the hosted endpoint: POLAR_ACCESS_TOKEN is set, or --demo.
func (c Config) SingleMerchant() bool {
	return c.Demo || strings.TrimSpace(c.AccessToken) != ""
}

// MultiMerchant reports whether merchants' connections are served from a
// store: a master key or a database URL is configured.
func (c Config) MultiMerchant() bool {
	return strings.TrimSpace(c.MasterKey) != "" || c.MasterKeyFile != "" || c.DatabaseURL != ""
}

// ValidateStore checks the connection store's settings and defaults the
// database URL. Messages never include a key.
func (c *Config) ValidateStore() error {
	c.DatabaseURL = strings.TrimSpace(c.DatabaseURL)
	if c.DatabaseURL == "" {
		c.DatabaseURL = DefaultDatabaseURL
	}
	var errs []string
	switch {
	case strings.TrimSpace(c.MasterKey) == "" && c.MasterKeyFile == "":
		errs = append(errs, "POLAR_MCP_MASTER_KEY (or POLAR_MCP_MASTER_KEY_FILE) is required: it encrypts the merchants' "+
			"Polar tokens and signing secrets in the connection store (generate one with: polar-mcp connections keygen)")
	case strings.TrimSpace(c.MasterKey) != "" && c.MasterKeyFile != "":
		errs = append(errs, "set POLAR_MCP_MASTER_KEY or POLAR_MCP_MASTER_KEY_FILE, not both")
	}
	errs = append(errs, c.adminKeyErrs()...)
	if len(errs) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return nil
}

func (c *Config) adminKeyErrs() []string {
	c.AdminKey = strings.TrimSpace(c.AdminKey)
	if n := len(c.AdminKey); n > 0 && n < MinAdminKey {
		return []string{fmt.Sprintf("POLAR_MCP_ADMIN_KEY is too short: %d bytes, need at least %d (e.g. openssl rand -base64 48)", n, MinAdminKey)}
	}
	return nil
}

// ValidateServer checks what polar-mcp http needs: the single merchant at
// the root (Validate and ValidateHosted) when a token or --demo is
// configured or no store is; the store (ValidateStore) when one is; and
// the shared Polar and listener settings in every case.
func (c *Config) ValidateServer() error {
	if c.SingleMerchant() || !c.MultiMerchant() {
		if err := c.Validate(); err != nil {
			return err
		}
		if err := c.ValidateHosted(); err != nil {
			return err
		}
	} else {
		if err := c.validate(false); err != nil {
			return err
		}
		if err := c.validateListener(nil); err != nil {
			return err
		}
	}
	if c.MultiMerchant() {
		return c.ValidateStore()
	}
	if strings.TrimSpace(c.AdminKey) != "" {
		return fmt.Errorf("%w: POLAR_MCP_ADMIN_KEY serves the admin API of the connection store, which needs POLAR_MCP_MASTER_KEY", ErrInvalid)
	}
	return nil
}

// ValidateConnections checks what the connections commands need: the
// store, and the shared Polar settings (server URL, API version) their
// probes use. No single-merchant token is needed.
func (c *Config) ValidateConnections() error {
	if err := c.validate(false); err != nil {
		return err
	}
	return c.ValidateStore()
}
