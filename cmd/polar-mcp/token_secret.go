package main

import (
	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// tokenSecret returns the key the token command signs with, and the
// audience: POLAR_MCP_TOKEN_SECRET and --audience, or, with --connection,
// the connection's signing secret from the store and its id.
func tokenSecret(cmd *cobra.Command, connection, audience string) ([]byte, string, error) {
	cfg, err := readConfig(cmd) // minting needs no Polar settings
	if err != nil {
		return nil, "", err
	}
	if connection == "" {
		if err := cfg.ValidateHosted(); err != nil {
			return nil, "", err
		}
		return []byte(cfg.TokenSecret), audience, nil
	}
	if audience != "" && audience != connection {
		return nil, "", usageErr("--audience and --connection name different connections")
	}
	if err := cfg.ValidateStore(); err != nil {
		return nil, "", err
	}
	key, err := connections.ConfiguredSigningKey(cmd.Context(), cfg, connection)
	return key, connection, err
}
