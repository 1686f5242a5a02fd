package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
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
				return usageErr("call takes one tool name; the tools are:%s", toolNames(toolDefinitions(false)))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, pos []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			name := pos[0]
			if err := checkToolName(name, toolDefinitions(cfg.ReadOnly)); err != nil {
				return err
			}
			arguments, err := parseArgs(args)
			if err != nil {
				return err
			}
			if err := needsEmail(name, arguments, email != "" || cfg.CustomerEmail != "" || cfg.CustomerExternalID != ""); err != nil {
				return err
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
			adapters, err := polarmcp.NewAdapters(cfg, logger)
			if err != nil {
				return err
			}
			pc, err := adapters.Merchant()
			if err != nil {
				return err
			}
			ctx := tools.WithClient(cmd.Context(), pc)
			if id, ok := caller.Configured(cfg); ok {
				ctx = caller.With(ctx, id)
			}
			c, err := client.NewInProcessClient(polarmcp.NewToolsServer(cfg, logger, nil))
			if err != nil {
				return err
			}
			defer c.Close()
			if err := c.Start(ctx); err != nil {
				return err
			}
			init := mcp.InitializeRequest{}
			init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
			init.Params.ClientInfo = mcp.Implementation{Name: "polar-mcp call", Version: version}
			if _, err := c.Initialize(ctx, init); err != nil {
				return err
			}
			req := mcp.CallToolRequest{}
			req.Params.Name = name
			req.Params.Arguments = arguments
			res, err := c.CallTool(ctx, req)
			if err != nil {
				return err
			}
			return printResult(cmd.OutOrStdout(), res, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringVar(&email, "email", "", "act as this verified customer (or, for agents, the customer to look up)")
	f.StringArrayVar(&args, "arg", nil, "tool argument as key=value (repeatable)")
	f.BoolVar(&asJSON, "json", false, "print the structured content as JSON")
	f.BoolVarP(&verbose, "verbose", "v", false, "log upstream requests to stderr")
	return cmd
}

// parseArgs turns key=value pairs into tool arguments; integers and
// booleans keep their type.
func parseArgs(pairs []string) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, usageErr("--arg %q: want key=value", p)
		}
		if n, err := strconv.Atoi(v); err == nil {
			out[k] = n
		} else if b, err := strconv.ParseBool(v); err == nil {
			out[k] = b
		} else {
			out[k] = v
		}
	}
	return out, nil
}

// printResult writes a tool result; a tool error becomes a command error.
func printResult(w io.Writer, res *mcp.CallToolResult, asJSON bool) error {
	var text strings.Builder
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			text.WriteString(t.Text)
		}
	}
	if res.IsError {
		return fmt.Errorf("tool error: %s", text.String())
	}
	if asJSON && res.StructuredContent != nil {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res.StructuredContent)
	}
	_, err := fmt.Fprintln(w, text.String())
	return err
}
