package tools

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/polar-mcp/polar-mcp/config"
)

// Definitions are the tools' definitions, as tools/list gives them to an
// agent (who sees every tool): what `polar-mcp tools` prints.
func Definitions(readOnly bool) []mcp.Tool {
	var out []mcp.Tool
	for _, st := range All(Deps{}, readOnly) {
		out = append(out, st.Tool)
	}
	return out
}

// whoMayCall says who may call the tool name.
func whoMayCall(name string) string {
	switch {
	case AgentOnly(name):
		return "support agents only"
	case name == NameProducts:
		return "anyone (needs no account)"
	default:
		return "customers (their own account) and support agents (--email names the customer)"
	}
}

// WriteList writes one aligned line per tool: name, title, who may call
// it.
func WriteList(w io.Writer, list []mcp.Tool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Title, whoMayCall(t.Name))
	}
	return tw.Flush()
}

// Names lists every tool's name and title, one line each, for an error
// message.
func Names(list []mcp.Tool) string {
	var b strings.Builder
	for _, t := range list {
		fmt.Fprintf(&b, "\n  %s — %s", t.Name, t.Title)
	}
	return b.String()
}

// CheckName refuses a name no tool of list has, suggesting the nearest
// one.
func CheckName(name string, list []mcp.Tool) error {
	best, dist := "", -1
	for _, t := range list {
		if t.Name == name {
			return nil
		}
		if d := config.EditDistance(strings.ToLower(name), t.Name); dist < 0 || d < dist {
			best, dist = t.Name, d
		}
	}
	if best != "" && (dist <= max(2, len(name)/3) || strings.Contains(best, strings.ToLower(name))) {
		return fmt.Errorf("no tool is named %q: did you mean %s? (polar-mcp tools lists them)", name, best)
	}
	return fmt.Errorf("no tool is named %q; the tools are:%s", name, Names(list))
}
