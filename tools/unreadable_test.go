package tools_test

import (
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// TestUndecodableItemsAreNotedNotFatal: Polar sends one product and one of
// the caller's subscriptions with a field of a type polar-mcp does not
// know. The answers stand, say that one item could not be shown, and
// never blame the network.
func TestUndecodableItemsAreNotedNotFatal(t *testing.T) {
	fixtures := withEdited(t, fakepolar.DemoFS(), map[string]func(map[string]any){
		"products.json": func(p map[string]any) {
			if p["name"] == "Team" {
				p["name"] = 42 // a string in Polar's schema
			}
		},
		"subscriptions.json": func(s map[string]any) {
			if s["customer_id"] == demoAlice {
				s["amount"] = "24.00" // an integer in Polar's schema
			}
		},
	})
	e := newEnv(t, envOptions{fixtures: fixtures})
	const note = "could not be shown: Polar sent a shape polar-mcp does not know yet"

	products := mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NameProducts, nil),
		"Pro", "1 product "+note)
	if strings.Contains(products, "network") {
		t.Errorf("products answer blames the network: %s", products)
	}

	status := mustAnswer(t, e.call(t, customer("alice@example.com"), tools.NameSubscriptionStatus, nil),
		"1 subscription "+note)
	if strings.Contains(status, "network") || strings.Contains(status, "€24") {
		t.Errorf("status answer: %s", status)
	}
	// The caller's unreadable subscription was still checked as theirs:
	// another customer's answer has no note about it.
	other := mustAnswer(t, e.call(t, customer("bob@example.com"), tools.NameSubscriptionStatus, nil))
	if strings.Contains(other, note) {
		t.Errorf("bob is told about alice's unreadable subscription: %s", other)
	}
}
