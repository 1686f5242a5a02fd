package main

import (
	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/polarmcp"
)

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
			logger := cfg.NewLogger(cmd.ErrOrStderr(), config.LogText)
			return polarmcp.RunStdio(cmd.Context(), cfg, cmd.InOrStdin(), cmd.OutOrStdout(), logger)
		},
	}
}
