package main

import (
	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/demo"
	"github.com/polar-mcp/polar-mcp/internal/polarmcp"
)

func newHTTPCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "http",
		Short: "Serve MCP over legacy SSE (/sse) and streamable HTTP (/mcp) with signed caller tokens",
		Long: "Serves the hosted endpoint a chatbot connects to: legacy SSE at /sse, streamable HTTP at /mcp,\n" +
			"/healthz, /readyz and RFC 9728 protected-resource metadata. Every request needs\n" +
			"Authorization: Bearer <JWT> signed with POLAR_MCP_TOKEN_SECRET (see polar-mcp token).\n\n" +
			"With a connection store (POLAR_MCP_MASTER_KEY, see polar-mcp connections), it also serves every\n" +
			"merchant's connection at /c/{id}/mcp and /c/{id}/sse, with tokens signed by that connection's\n" +
			"secret (aud = id), and the admin API at /admin/connections when POLAR_MCP_ADMIN_KEY is set.\n" +
			"The root endpoint is then served only when POLAR_ACCESS_TOKEN or --demo is configured.\n\n" +
			"With --demo it prints the endpoint and agent panel URLs, and an agent token and a customer token;\n" +
			"without POLAR_MCP_TOKEN_SECRET (or an OpenID Connect issuer), it makes a secret for the run to sign them.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := readConfig(cmd)
			if err != nil {
				return err
			}
			made := demo.Secret(&cfg)
			if err := cfg.ValidateServer(); err != nil {
				return err
			}
			logger := cfg.NewLogger(cmd.ErrOrStderr(), config.LogJSON)
			if !cfg.Demo {
				return polarmcp.ServeHTTP(cmd.Context(), cfg, logger, nil)
			}
			ready := make(chan string, 1)
			go func() {
				select {
				case addr := <-ready:
					_ = demo.WriteBanner(cmd.OutOrStdout(), cfg, addr, made)
				case <-cmd.Context().Done():
				}
			}()
			return polarmcp.ServeHTTP(cmd.Context(), cfg, logger, ready)
		},
	}
	addHostedFlags(cmd)
	return cmd
}

// addHostedFlags declares the hosted-mode flags.
func addHostedFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.String("listen", "", "address to listen on (default 127.0.0.1:8080)")
	f.String("base-url", "", "public URL clients reach this server at (default http://LISTEN)")
	f.StringSlice("allowed-origins", nil, "browser origins allowed to call the endpoint (CORS); * for any")
}
