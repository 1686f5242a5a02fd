package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/connections"
	"github.com/polar-mcp/polar-mcp/merchants"
)

func newConnectionsSetWebhookSecretCmd() *cobra.Command {
	var remove bool
	cmd := &cobra.Command{
		Use:   "set-webhook-secret ID < secret",
		Short: "Store the secret Polar signs the connection's webhooks with (read from stdin, stored encrypted)",
		Long: "Reads the webhook secret Polar shows under Settings → Webhooks from stdin (never from the command\n" +
			"line) and stores it encrypted under POLAR_MCP_MASTER_KEY. Polar's deliveries to\n" +
			"/c/{id}/webhooks/polar are then verified with it, and the connection's cached billing answers are\n" +
			"dropped as Polar reports changes (so they may be kept up to POLAR_MCP_CACHE_BILLING_TTL, at most 1h).\n" +
			"--remove deletes it.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			secret := ""
			if !remove {
				var err error
				if secret, err = readToken(cmd.InOrStdin(), cmd.ErrOrStderr()); err != nil {
					return err
				}
			}
			return withStore(cmd, func(ctx context.Context, svc *merchants.Service, _ *connections.Store) error {
				c, err := svc.SetWebhookSecret(ctx, args[0], secret)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "connection %s: %s\n", c.ID, webhookState(c))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&remove, "remove", false, "remove the webhook secret instead")
	return cmd
}
