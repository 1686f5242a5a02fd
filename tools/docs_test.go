package tools

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Markdown documents tools for README.md, generated from their
// definitions so the docs cannot drift from the schemas.
func Markdown(list []server.ServerTool) string {
	var b strings.Builder
	for _, st := range list {
		t := st.Tool
		kind := "read-only"
		if t.Annotations.ReadOnlyHint != nil && !*t.Annotations.ReadOnlyHint {
			kind = "creates a customer portal session (not read-only, not destructive)"
		}
		if agentOnly(t.Name) {
			kind += ", support agents only"
		}
		fmt.Fprintf(&b, "### `%s` — %s\n\n%s\n\n*%s.*\n\n", t.Name, t.Title, t.Description, kind)
		b.WriteString(arguments(t))
		b.WriteString(outputDocs(t.Name))
	}
	return b.String()
}

func arguments(t mcp.Tool) string {
	props, req := inputProperties(t)
	if len(props) == 0 {
		return "No arguments.\n\n"
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	required := map[string]bool{}
	for _, r := range req {
		required[r] = true
	}
	var b strings.Builder
	b.WriteString("| argument | type | required | description |\n| --- | --- | --- | --- |\n")
	for _, n := range names {
		p, _ := props[n].(map[string]any)
		desc, _ := p["description"].(string)
		if desc == "" {
			desc = argDocs[n]
		}
		if enum, ok := p["enum"].([]any); ok {
			desc += fmt.Sprintf(" One of: %v.", enum)
		}
		if lo, ok := p["minimum"]; ok {
			desc += fmt.Sprintf(" From %v to %v.", lo, p["maximum"])
		}
		need := "no"
		switch {
		case n == "email" && !agentOnly(t.Name):
			need = "agents: yes; customers have no `email` argument (they always get their own account)"
		case required[n]:
			need = "yes"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", n, typeName(p["type"]), need, desc)
	}
	return b.String() + "\n"
}

// argDocs describe, for the docs, the arguments the schemas leave
// undescribed to keep tools/list within its budget (see EmailArg).
var argDocs = map[string]string{
	"email": "The customer's email.",
	"query": "A name, part of an email or an external id (searched); a customer id (a bare UUID or `customer <id>`); `order <id>`; `external:<id>`; or a customer's or order's link in Polar's dashboard. Each search is one Polar request; a bare UUID that is no customer's id is answered with the queries that read it as an order id or an external id.",
}

// typeName writes a JSON Schema type for people: ["null", "integer"] is
// an integer that may be left out.
func typeName(t any) string {
	list, ok := t.([]any)
	if !ok {
		return fmt.Sprint(t)
	}
	var names []string
	for _, x := range list {
		if x != "null" {
			names = append(names, fmt.Sprint(x))
		}
	}
	return strings.Join(names, " or ")
}

// PromptsMarkdown documents the prompts for README.md: who may use them,
// what they do and their arguments, from their definitions.
func PromptsMarkdown(list []server.ServerPrompt) string {
	var b strings.Builder
	for _, sp := range list {
		p := sp.Prompt
		fmt.Fprintf(&b, "### `%s`\n\n%s\n\n*Support agents only: hidden from, and refused to, customers.*\n\n", p.Name, p.Description)
		b.WriteString("| argument | required | description |\n| --- | --- | --- |\n")
		for _, a := range p.Arguments {
			need := "no"
			if a.Required {
				need = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", a.Name, need, a.Description)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// inputProperties decodes a tool's input schema for the docs.
func inputProperties(t mcp.Tool) (props map[string]any, required []string) {
	if t.RawInputSchema == nil {
		return t.InputSchema.Properties, t.InputSchema.Required
	}
	var s struct {
		Properties map[string]any `json:"properties"`
		Required   []string       `json:"required"`
	}
	_ = json.Unmarshal(t.RawInputSchema, &s)
	return s.Properties, s.Required
}
