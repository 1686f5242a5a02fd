package main

import (
	"log/slog"

	"github.com/mark3labs/mcp-go/server"
	"github.com/spf13/cobra"
)

// mcpServer is mcp-go's server type.
type mcpServer = server.MCPServer

func newStdioCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "stdio",
		Short: "Serve MCP over stdin/stdout (Claude Desktop and other local clients)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			// stdout carries the protocol: logs go to stderr only.
			logger := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), &slog.HandlerOptions{Level: slog.LevelInfo}))
			client, err := newPolarClient(cfg, logger)
			if err != nil {
				return err
			}
			s := newToolsServer(cfg, client, logger)
			id, ok := stdioIdentity(cfg)
			if !ok {
				logger.Warn("no caller identity configured: customer tools will refuse; set POLAR_MCP_CUSTOMER_EMAIL or POLAR_MCP_ROLE=agent")
			}
			stdio := server.NewStdioServer(s)
			stdio.SetContextFunc(withIdentity(id, ok))
			return stdio.Listen(cmd.Context(), cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
}
