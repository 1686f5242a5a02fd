package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

func newTokenCmd() *cobra.Command {
	var (
		role       string
		email      string
		external   string
		subject    string
		locale     string
		member     string
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
			"  polar-mcp token --role customer --external-id usr_123 --ttl 15m\n" +
			"  polar-mcp token --role customer --external-id org_acme --external-member-id usr_acme_ken\n" +
			"  polar-mcp token --role agent --subject agent-jane --ttl 8h\n" +
			"  polar-mcp token --connection conn_... --role customer --email alice@example.com",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := readConfig(cmd)
			if err != nil {
				return err
			}
			maxTTL := cfg.TokenMaxTTL
			if maxTTL <= 0 {
				maxTTL = config.DefaultTokenMaxTTL
			}
			if ttl <= 0 || ttl > maxTTL {
				return usageErr("--ttl must be between 1s and %s (POLAR_MCP_TOKEN_MAX_TTL, the longest lifetime the server accepts)", maxTTL)
			}
			secret, aud, err := tokenSecret(cmd, connection, audience)
			if err != nil {
				return err
			}
			claims := identity.Claims{Role: caller.Role(role), Email: email, EmailVerified: email != "",
				ExternalCustomerID: external, ExternalMemberID: member, Subject: subject, Locale: locale, Audience: aud}
			tok, err := identity.Mint(secret, claims, ttl, time.Now())
			if err != nil {
				return usageErr("%v", err)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), tok)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&role, "role", "customer", "customer or agent")
	f.StringVar(&email, "email", "", "the visitor's verified email (customers need it or --external-id)")
	f.StringVar(&external, "external-id", "", "the customer's id in the merchant's own system (Polar's external_id)")
	f.StringVar(&member, "external-member-id", "", "the team member's id in the merchant's own system (Polar's member external_id; needs --external-id)")
	f.StringVar(&subject, "subject", "", "sub: who the caller is in your system (default: a random jti)")
	f.StringVar(&locale, "locale", "", "BCP 47 language tag for answers, e.g. de-DE")
	f.DurationVar(&ttl, "ttl", 15*time.Minute, "lifetime of the token")
	f.StringVar(&audience, "audience", "", "connection id, for multi-merchant endpoints (/c/{connection}/...)")
	f.StringVar(&connection, "connection", "", "connection id: sign with its secret from the connection store, aud = id")
	return cmd
}
