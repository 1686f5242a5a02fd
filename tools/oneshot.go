package tools

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
)

// ParseArgs turns key=value pairs (`polar-mcp call --arg`) into tool
// arguments; integers and booleans keep their type.
func ParseArgs(pairs []string) (map[string]any, error) {
	out := map[string]any{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--arg %q: want key=value", p)
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

// NeedsCustomer refuses a call of a customer tool that names no customer:
// no email argument and no configured customer (customerConfigured).
func NeedsCustomer(name string, arguments map[string]any, customerConfigured bool) error {
	if name == NameProducts || customerConfigured {
		return nil
	}
	if _, ok := arguments["email"]; ok {
		return nil
	}
	return fmt.Errorf("%s needs a customer: pass --email ADDRESS (the customer to act as or, for an agent, to look up)", name)
}

// WriteResult writes a tool result, its text or, with asJSON, its
// structured content; a tool error becomes an error.
func WriteResult(w io.Writer, res *mcp.CallToolResult, asJSON bool) error {
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
