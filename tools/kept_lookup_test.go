package tools_test

import (
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/tools"
)

// An empty answer names no customer to check it against, so when it was
// reached through a kept email lookup the lookup is asked again: one more
// request while the address stays, the new record's answer once it moved.
func TestEmptyAnswerFromAKeptLookupAsksAgain(t *testing.T) {
	e := newEnv(t, envOptions{cached: true})
	nina, err := e.fake.AddCustomer(map[string]any{"email": "nina@example.com", "name": "Nina"})
	if err != nil {
		t.Fatal(err)
	}
	lookups := func() (n int) {
		for _, r := range e.fake.Requests() {
			if r.Method == "GET" && r.Path == "/v1/customers/" {
				n++
			}
		}
		return n
	}
	id := customer("nina@example.com")
	e.fake.ResetRequests()
	mustAnswer(t, e.call(t, id, tools.NameSubscriptionStatus, nil), "no subscriptions")
	if n := lookups(); n != 1 {
		t.Errorf("cold: %d email lookups, want 1 (the one this call made is not asked again)", n)
	}
	e.fake.ResetRequests()
	mustAnswer(t, e.call(t, id, tools.NameSubscriptionStatus, nil), "no subscriptions")
	if n := lookups(); n != 1 {
		t.Errorf("warm: %d email lookups, want 1 (the kept one asked again)", n)
	}

	if _, err := e.fake.UpdateCustomer(nina["id"].(string), map[string]any{"email": "nina.old@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.fake.UpdateCustomer("c1000000-0001-4000-8001-000000000001", map[string]any{"email": "nina@example.com"}); err != nil {
		t.Fatal(err)
	}
	text := mustAnswer(t, e.call(t, id, tools.NameOrderHistory, nil), "€28.80")
	if strings.Contains(text, "no orders") {
		t.Errorf("after the move: %q", text)
	}
	mustAnswer(t, e.call(t, id, tools.NameSubscriptionStatus, nil), "€24.00")

	// A customer with subscriptions is checked against the records
	// themselves: no lookup is asked again.
	alice := customer("alice@example.com")
	if _, err := e.fake.UpdateCustomer("c1000000-0001-4000-8001-000000000001", map[string]any{"email": "alice@example.com"}); err != nil {
		t.Fatal(err)
	}
	e.call(t, alice, tools.NameSubscriptionStatus, nil)
	e.fake.ResetRequests()
	mustAnswer(t, e.call(t, alice, tools.NameSubscriptionStatus, nil), "€24.00")
	if n := lookups(); n != 0 {
		t.Errorf("warm, with subscriptions: %d email lookups, want 0", n)
	}
}
