package main

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// TestFleetChooser: customers never ask for visitor insights; agents do,
// about one of the customers; a Zipf draw puts most questions on a few
// customers.
func TestFleetChooser(t *testing.T) {
	m, err := parseMix(fleetMix)
	if err != nil {
		t.Fatal(err)
	}
	emails := fleetEmails()
	r := rand.New(rand.NewPCG(3, 4))
	ch := &chooser{mix: m, rand: r, emails: emails}
	for _, e := range emails {
		ch.customers = append(ch.customers, asker{who: loadCaller{id: caller.Identity{Role: caller.Customer, Email: e}}})
	}
	ch.agents = []asker{{who: loadCaller{id: caller.Identity{Role: caller.Agent, Email: "agent@northwind.example"}}}}
	z := rand.NewZipf(r, 1.2, 1, uint64(len(emails)-1))
	ch.customer = func() int { return int(z.Uint64()) }
	perCustomer := map[string]int{}
	insights := 0
	const n = 4000
	for range n {
		a, tool, args := ch.next()
		if tool == tools.NameVisitorInsights {
			insights++
			if a.who.id.Role != caller.Agent {
				t.Fatalf("%s asked for visitor insights", a.who.id.Role)
			}
			email, _ := args["email"].(string)
			if !strings.Contains(strings.Join(emails, " "), email) || email == "" {
				t.Fatalf("an agent asked about %q, not a customer of the run", email)
			}
			continue
		}
		if a.who.id.Role != caller.Customer || args["email"] != nil {
			t.Fatalf("%s asked %s with %v", a.who.id.Role, tool, args)
		}
		perCustomer[a.who.id.Email]++
	}
	if insights == 0 || insights > n/5 {
		t.Errorf("%d of %d questions were visitor insights, want a few", insights, n)
	}
	top := perCustomer[emails[0]] + perCustomer[emails[1]] + perCustomer[emails[2]]
	if top*2 < n-insights {
		t.Errorf("the three busiest customers asked %d of %d questions, want most", top, n-insights)
	}
	if len(emails) != 20 {
		t.Errorf("%d customers, want 20", len(emails))
	}
}

func TestFleetFlags(t *testing.T) {
	if _, err := parseFleetFlags([]string{"--redis", ""}); err == nil {
		t.Error("replicas mode without a Redis was accepted")
	}
	for _, bad := range [][]string{
		{"--mode", "zipf", "--duration", "1h"},
		{"--mode", "zipf", "--zipf-s", "1"},
		{"--mode", "zipf", "--rate", "0.0001", "--duration", "1s"},
		{"--mode", "other"},
		{"--mode", "zipf", "--customers", "19"},
		{"--mode", "zipf", "--customers", "5001"},
	} {
		if _, err := parseFleetFlags(bad); err == nil {
			t.Errorf("parseFleetFlags(%q) accepted", bad)
		}
	}
	o, err := parseFleetFlags([]string{"--mode", "zipf", "--cache", "webhooks"})
	if err != nil {
		t.Fatal(err)
	}
	ph, err := fleetPhases(o)
	if err != nil || len(ph) != 1 || !ph[0].webhooks {
		t.Errorf("--cache webhooks gave %+v, %v", ph, err)
	}
	if o, err := parseFleetFlags([]string{"--mode", "zipf", "--customers", "2000"}); err != nil || o.customers != 2000 {
		t.Errorf("--customers 2000 gave %d, %v", o.customers, err)
	}
	o.cache = "bogus"
	if _, err := fleetPhases(o); err == nil {
		t.Error("--cache bogus accepted")
	}
}

// TestVisibleSummary: each change's delay, one never seen, and which
// were made while the budget was spent (95% of the ceiling or more in the
// 60 s before).
func TestVisibleSummary(t *testing.T) {
	got := visibleSummary([]visibility{
		{at: 0, delay: 58 * time.Millisecond, seen: true, recent: 1},
		{at: 20 * time.Second, delay: 1200 * time.Millisecond, seen: true, recent: 440},
		{at: 40 * time.Second, recent: 450},
		{at: 60 * time.Second, recent: 300, cut: true},
	}, 450)
	want := "0 s: 0.1 s; 20 s: 1.2 s (spent); 40 s: not within 15s (spent); 60 s: run ended first"
	if got != want {
		t.Errorf("visibleSummary = %q, want %q", got, want)
	}
}
