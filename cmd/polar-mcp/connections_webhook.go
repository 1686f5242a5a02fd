package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
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
			return withStore(cmd, func(ctx context.Context, svc *tenants.Service, _ *connections.Store) error {
				c, err := svc.SetWebhookSecret(ctx, args[0], secret)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "connection %s: %s\n", c.ID, tenants.WebhookState(c))
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&remove, "remove", false, "remove the webhook secret instead")
	return cmd
}

func newConnectionsSetRateLimitCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "set-rate-limit ID REQUESTS_PER_MINUTE",
		Short: "Set the connection's own Polar budget in requests per minute (0: the server's POLAR_MCP_RATE_LIMIT)",
		Long: "Sets how many Polar requests per minute polar-mcp may spend for this connection's organization, before\n" +
			"POLAR_MCP_RATE_HEADROOM is taken off; 0 returns it to the server's setting. Connections to one\n" +
			"organization share one budget: the lowest any of them asks for. Every instance applies it on the\n" +
			"connection's next request.",
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := strconv.Atoi(args[1])
			if err != nil {
				return usageErr("REQUESTS_PER_MINUTE must be a whole number, not %q", args[1])
			}
			return withStore(cmd, func(ctx context.Context, svc *tenants.Service, _ *connections.Store) error {
				c, err := svc.SetRateLimit(ctx, args[0], n)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "connection %s: %s\n", c.ID, tenants.RateLimitState(c))
				return nil
			})
		},
	}
}
