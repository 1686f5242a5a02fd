package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

func newConnectionsRotateKeyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rotate-key",
		Short: "Re-encrypt every token and signing secret under the first (primary) master key",
		Long: "Master key rotation: generate a key (polar-mcp connections keygen --id k2), put it first with the old\n" +
			"one after it (POLAR_MCP_MASTER_KEY=\"k2:...,k1:...\"), restart the servers, run rotate-key, then\n" +
			"remove k1 once rotate-key reports that only k2 is in use. Until then the old key keeps decrypting.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, func(ctx context.Context, _ *tenants.Service, store *connections.Store) error {
				n, err := store.RotateKey(ctx, "")
				if err != nil {
					return err
				}
				inUse, err := store.KeyIDsInUse(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "re-encrypted %d connection(s); master keys in use: %s\n", n, strings.Join(inUse, ", "))
				if len(inUse) <= 1 {
					fmt.Fprintln(cmd.OutOrStdout(), "Keys not listed may now be removed from the configuration.")
				}
				return nil
			})
		},
	}
}

func newConnectionsKeygenCmd() *cobra.Command {
	var id string
	cmd := &cobra.Command{
		Use:     "keygen",
		Short:   "Print a new random master key (\"kid:base64\") for POLAR_MCP_MASTER_KEY",
		Example: "  export POLAR_MCP_MASTER_KEY=\"$(polar-mcp connections keygen)\"",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if id == "" {
				id = "k" + time.Now().UTC().Format("20060102")
			}
			key, err := keyring.GenerateKey()
			if err != nil {
				return err
			}
			spec := id + ":" + key
			if _, err := keyring.Parse(spec); err != nil { // checks the id
				return usageErr("--id: %v", err)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), spec)
			return err
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "key id (default k<YYYYMMDD>): letters, digits, '_', '-', '.'")
	return cmd
}
