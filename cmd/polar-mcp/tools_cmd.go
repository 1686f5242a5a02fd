package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/mark3labs/mcp-go/mcp"
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
			list := toolDefinitions(cfg.ReadOnly)
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			}
			return printTools(cmd.OutOrStdout(), list)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the full tool definitions as JSON")
	return cmd
}

// toolDefinitions are the tools' definitions, as tools/list gives them
// to an agent (who sees every tool).
func toolDefinitions(readOnly bool) []mcp.Tool {
	var out []mcp.Tool
	for _, st := range tools.All(tools.Deps{}, readOnly) {
		out = append(out, st.Tool)
	}
	return out
}

// whoMayCall says who may call the tool name.
func whoMayCall(name string) string {
	switch {
	case tools.AgentOnly(name):
		return "support agents only"
	case name == tools.NameProducts:
		return "anyone (needs no account)"
	default:
		return "customers (their own account) and support agents (--email names the customer)"
	}
}

// printTools writes one aligned line per tool: name, title, who.
func printTools(w io.Writer, list []mcp.Tool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Title, whoMayCall(t.Name))
	}
	return tw.Flush()
}

// toolNames lists every tool's name, one line each, for an error message.
func toolNames(list []mcp.Tool) string {
	var b strings.Builder
	for _, t := range list {
		fmt.Fprintf(&b, "\n  %s — %s", t.Name, t.Title)
	}
	return b.String()
}

// checkToolName refuses a name no tool has, suggesting the nearest one.
func checkToolName(name string, list []mcp.Tool) error {
	best, dist := "", -1
	for _, t := range list {
		if t.Name == name {
			return nil
		}
		if d := nameDistance(strings.ToLower(name), t.Name); dist < 0 || d < dist {
			best, dist = t.Name, d
		}
	}
	if best != "" && (dist <= max(2, len(name)/3) || strings.Contains(best, strings.ToLower(name))) {
		return usageErr("no tool is named %q: did you mean %s? (polar-mcp tools lists them)", name, best)
	}
	return usageErr("no tool is named %q; the tools are:%s", name, toolNames(list))
}

// nameDistance is the Levenshtein distance between two tool names.
func nameDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// needsEmail refuses a call of a customer tool that names no customer:
// no --email, no email argument, no configured customer.
func needsEmail(name string, arguments map[string]any, customerConfigured bool) error {
	if name == tools.NameProducts || customerConfigured {
		return nil
	}
	if _, ok := arguments["email"]; ok {
		return nil
	}
	return usageErr("%s needs a customer: pass --email ADDRESS (the customer to act as or, for an agent, to look up)", name)
}
