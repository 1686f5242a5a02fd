package caller

import "github.com/polar-mcp/polar-mcp/config"

// Configured is who a stdio (or call) session acts as: an agent when
// POLAR_MCP_ROLE=agent, otherwise the configured verified customer (by
// email, by the merchant's external id, or both, which must then name one
// Polar customer). The demo acts as an agent when nothing is configured,
// so every tool can be tried. ok is false when no identity is configured.
func Configured(cfg config.Config) (id Identity, ok bool) {
	switch {
	case Role(cfg.Role) == Agent:
		return Identity{Role: Agent, Email: cfg.CustomerEmail, Locale: cfg.Locale, Operator: true}, true
	case cfg.CustomerEmail != "" || cfg.CustomerExternalID != "":
		return Identity{Role: Customer, Email: cfg.CustomerEmail, ExternalID: cfg.CustomerExternalID,
			MemberExternalID: cfg.MemberExternalID, Locale: cfg.Locale, Operator: true}, true
	case cfg.Demo:
		return Identity{Role: Agent, Locale: cfg.Locale, Operator: true}, true
	default:
		return Identity{}, false
	}
}
