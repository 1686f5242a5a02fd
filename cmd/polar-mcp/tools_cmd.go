package main

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/tools"
)

func newToolsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "tools",
		Short: "List the tools: name, title and who may call each (--json: their full definitions)",
		Long: "List the tools this server offers, from their live definitions: one line per tool with its name, title\n" +
			"and who may call it. --json prints the full definitions (description, input and output schemas,\n" +
			"annotations) as tools/list sends them. POLAR_MCP_READ_ONLY drops the two portal-session tools.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := readConfig(cmd)
			if err != nil {
				return err
			}
			list := tools.Definitions(cfg.ReadOnly)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			}
			return tools.WriteList(cmd.OutOrStdout(), list)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the full tool definitions as JSON")
	return cmd
}
