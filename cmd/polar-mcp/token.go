package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/auth"
	"github.com/polar-mcp/polar-mcp/tools"
)

func newTokenCmd() *cobra.Command {
	var (
		role       string
		email      string
		ttl        time.Duration
		audience   string
		connection string
	)
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Mint a caller token (HS256 JWT) from POLAR_MCP_TOKEN_SECRET",
		Long: "Mints the bearer token a chatbot backend sends for a visitor whose email it has verified.\n" +
			"It is the reference for integrators: any JWT library producing the same claims works.",
		Example: "  polar-mcp token --role customer --email alice@example.com --ttl 15m\n" +
			"  polar-mcp token --role agent --ttl 8h\n" +
			"  polar-mcp token --connection conn_... --role customer --email alice@example.com",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if ttl <= 0 || ttl > 24*time.Hour {
				return usageErr("--ttl must be between 1s and 24h")
			}
			secret, aud, err := tokenSecret(cmd, connection, audience)
			if err != nil {
				return err
			}
			claims := auth.Claims{Role: tools.Role(role), Email: email, EmailVerified: email != "", Audience: aud}
			tok, err := auth.Mint(secret, claims, ttl, time.Now())
			if err != nil {
				return usageErr("%v", err)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), tok)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&role, "role", "customer", "customer or agent")
	f.StringVar(&email, "email", "", "the visitor's verified email (required for customers)")
	f.DurationVar(&ttl, "ttl", 15*time.Minute, "lifetime of the token")
	f.StringVar(&audience, "audience", "", "connection id, for multi-merchant endpoints (/c/{connection}/...)")
	f.StringVar(&connection, "connection", "", "connection id: sign with its secret from the connection store, aud = id")
	return cmd
}
