package main

import (
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/polarmcp"
	"github.com/polar-mcp/polar-mcp/tools"
)

func newCallCmd() *cobra.Command {
	var (
		email   string
		args    []string
		asJSON  bool
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "call TOOL",
		Short: "Call one tool through a real MCP client and print its answer",
		Long: "Call one tool through mcp-go's in-process client, exactly as an MCP client would, and print the answer.\n" +
			"--email acts as that verified customer; for get_visitor_insights (or with --role agent) it names the customer to look up.",
		Example: "  polar-mcp call get_subscription_status --demo --email alice@example.com\n" +
			"  polar-mcp call get_visitor_insights --demo --email carol@example.com\n" +
			"  polar-mcp call get_order_history --demo --email alice@example.com --arg limit=2",
		Args: func(_ *cobra.Command, pos []string) error {
			if len(pos) != 1 {
				return usageErr("call takes one tool name; the tools are:%s", tools.Names(tools.Definitions(false)))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, pos []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			name := pos[0]
			if err := tools.CheckName(name, tools.Definitions(cfg.ReadOnly)); err != nil {
				return usageErr("%v", err)
			}
			arguments, err := tools.ParseArgs(args)
			if err != nil {
				return usageErr("%v", err)
			}
			if err := tools.NeedsCustomer(name, arguments, email != "" || cfg.CustomerEmail != "" || cfg.CustomerExternalID != ""); err != nil {
				return usageErr("%v", err)
			}
			if name == tools.NameVisitorInsights {
				cfg.Role = string(caller.Agent)
			}
			if email != "" {
				if caller.Role(cfg.Role) == caller.Agent {
					arguments["email"] = email
				} else {
					cfg.CustomerEmail = email
				}
			}
			// A failed call prints its error once, as the command's error:
			// the tools' own log lines show with -v only.
			level := slog.LevelError
			cfg.LogLevel = ""
			if verbose {
				level = slog.LevelDebug
			}
			logger := cliLogger(cfg, cmd.ErrOrStderr(), level)
			res, err := polarmcp.CallTool(cmd.Context(), cfg, logger, name, arguments)
			if err != nil {
				return err
			}
			return tools.WriteResult(cmd.OutOrStdout(), res, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringVar(&email, "email", "", "act as this verified customer (or, for agents, the customer to look up)")
	f.StringArrayVar(&args, "arg", nil, "tool argument as key=value (repeatable)")
	f.BoolVar(&asJSON, "json", false, "print the structured content as JSON")
	f.BoolVarP(&verbose, "verbose", "v", false, "log upstream requests to stderr")
	return cmd
}
