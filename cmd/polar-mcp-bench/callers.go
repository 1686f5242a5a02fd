package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// demoEmails are the demo organization's customers (polar/fakepolar/fixtures/demo/README.md).
func demoEmails() []string {
	return []string{
		"alice@example.com", "bob@example.com", "carol@example.com", "team@acme.example",
		"dave@example.com", "erin@example.com", "frank.miller@example.com", "grace@example.com",
	}
}

// loadCaller is who one load client acts as.
type loadCaller struct {
	id    caller.Identity
	token string
}

// callers mints a token for each of n clients: every fifth is a support
// agent, the others are the demo customers in turn.
func callers(secret []byte, n int) ([]loadCaller, error) {
	emails := demoEmails()
	out := make([]loadCaller, n)
	for i := range out {
		id := caller.Identity{Role: caller.Customer, Email: emails[i%len(emails)]}
		if i%5 == 4 {
			id = caller.Identity{Role: caller.Agent, Email: "agent@northwind.example"}
		}
		tok, err := identity.Mint(secret, identity.Claims{Role: id.Role, Email: id.Email, EmailVerified: true}, 6*time.Hour, time.Now())
		if err != nil {
			return nil, err
		}
		out[i] = loadCaller{id: id, token: tok}
	}
	return out, nil
}

// toolAliases are the short names --mix accepts.
func toolAliases() map[string]string {
	return map[string]string{
		"subscription": tools.NameSubscriptionStatus,
		"orders":       tools.NameOrderHistory,
		"benefits":     tools.NameBenefits,
		"products":     tools.NameProducts,
		"insights":     tools.NameVisitorInsights,
		"portal":       tools.NamePortalLink,
		"manage":       tools.NameManageSubscription,
	}
}

// defaultMix is the tool mix of a billing chatbot, by weight.
const defaultMix = "subscription=30,orders=20,benefits=20,products=15,insights=10,portal=5"

// mix picks tools by weight.
type mix struct {
	names   []string
	weights []int
	total   int
}

// parseMix reads "alias=weight,...", e.g. defaultMix. Full tool names are
// accepted too.
func parseMix(s string) (mix, error) {
	var m mix
	aliases := toolAliases()
	for part := range strings.SplitSeq(s, ",") {
		name, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		weight, err := strconv.Atoi(w)
		if !ok || err != nil || weight < 0 {
			return mix{}, fmt.Errorf("--mix: %q is not name=weight", part)
		}
		if full, ok := aliases[name]; ok {
			name = full
		}
		if !isTool(name) {
			return mix{}, fmt.Errorf("--mix: unknown tool %q", name)
		}
		if weight > 0 {
			m.names, m.weights, m.total = append(m.names, name), append(m.weights, weight), m.total+weight
		}
	}
	if m.total == 0 {
		return mix{}, fmt.Errorf("--mix: no tool has a weight")
	}
	return m, nil
}

func isTool(name string) bool {
	for _, full := range toolAliases() {
		if name == full {
			return true
		}
	}
	return false
}

// forRole is the mix without the tools role may not call.
func (m mix) forRole(role caller.Role) mix {
	if role == caller.Agent {
		return m
	}
	var out mix
	for i, name := range m.names {
		if name != tools.NameVisitorInsights {
			out.names, out.weights, out.total = append(out.names, name), append(out.weights, m.weights[i]), out.total+m.weights[i]
		}
	}
	return out
}

// pick draws a tool; it returns "" for an empty mix.
func (m mix) pick(r *rand.Rand) string {
	if m.total == 0 {
		return ""
	}
	n := r.IntN(m.total)
	for i, w := range m.weights {
		if n < w {
			return m.names[i]
		}
		n -= w
	}
	return m.names[len(m.names)-1]
}

// arguments are a call's arguments: agents name a random demo customer.
func arguments(tool string, role caller.Role, r *rand.Rand) map[string]any {
	args := map[string]any{}
	if role == caller.Agent && tool != tools.NameProducts {
		emails := demoEmails()
		args["email"] = emails[r.IntN(len(emails))]
	}
	switch tool {
	case tools.NameOrderHistory:
		args["limit"] = 5
	case tools.NameManageSubscription:
		args["action"] = "cancel"
	}
	return args
}
