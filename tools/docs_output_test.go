package tools

import (
	"sort"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
)

// outputDocs writes, for the README, the fields of a tool's structured
// answer two levels deep: the tool's advertised output schema is kept
// lean (nested objects are just "object"), the docs are not.
func outputDocs(name string) string {
	s, err := outputSchema(name)
	if err != nil || s == nil || len(s.Properties) == 0 {
		return ""
	}
	return "Structured answer (`structuredContent`): " + fields(s, 0) + ".\n\n"
}

// outputSchema is the full JSON schema of a tool's output type.
func outputSchema(name string) (*jsonschema.Schema, error) {
	switch name {
	case NameSubscriptionStatus:
		return jsonschema.For[SubscriptionStatusOutput](nil)
	case NameOrderHistory:
		return jsonschema.For[OrderHistoryOutput](nil)
	case NameBenefits:
		return jsonschema.For[BenefitsOutput](nil)
	case NameProducts:
		return jsonschema.For[ProductsOutput](nil)
	case NameVisitorInsights:
		return jsonschema.For[InsightsOutput](nil)
	case NamePortalLink, NameManageSubscription:
		return jsonschema.For[PortalOutput](nil)
	}
	return nil, nil
}

// fields lists an object's properties, with the fields of nested objects
// (and of arrays of objects) in braces, up to two levels down.
func fields(s *jsonschema.Schema, depth int) string {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, n := range names {
		p := s.Properties[n]
		part := "`" + n + "`"
		if p.Items != nil {
			part = "`" + n + "[]`"
			p = p.Items
		}
		if len(p.Properties) > 0 && depth < 2 {
			part += " {" + fields(p, depth+1) + "}"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}
