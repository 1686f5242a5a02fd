package tools_test

import (
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// match is one find_customers result as a client reads it.
type match struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	ExternalID   string `json:"external_id"`
	CustomerType string `json:"customer_type"`
	Plan         string `json:"plan"`
	Status       string `json:"status"`
	MatchedBy    string `json:"matched_by"`
	OrderID      string `json:"order_id"`
}

func findAs(t *testing.T, e *env, query string) ([]match, string) {
	t.Helper()
	res := e.call(t, agent(), tools.NameFindCustomers, map[string]any{"query": query})
	text := mustAnswer(t, res)
	var out struct {
		Customers []match `json:"customers"`
	}
	structured(t, res, &out)
	return out.Customers, text
}

// upstream lists the fake's requests since the last reset.
func upstream(e *env) []string {
	var out []string
	for _, r := range e.fake.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

const (
	frankID         = "c1000000-0001-4000-8007-000000000007"
	aliceCustomerID = "c1000000-0001-4000-8001-000000000001"
	unknownID       = "0d0d0d0d-0000-4000-8000-000000000000"
)

// firstOrderOf is the id of a demo order of the customer.
func firstOrderOf(t *testing.T, customerID string) string {
	t.Helper()
	raw, err := fs.ReadFile(fakepolar.DemoFS(), "orders.json")
	if err != nil {
		t.Fatal(err)
	}
	var orders []struct {
		ID         string `json:"id"`
		CustomerID string `json:"customer_id"`
	}
	if err := json.Unmarshal(raw, &orders); err != nil {
		t.Fatal(err)
	}
	for _, o := range orders {
		if o.CustomerID == customerID {
			return o.ID
		}
	}
	t.Fatalf("no demo order of %s", customerID)
	return ""
}

func TestAgentsHaveTheFinderAndCustomersDoNot(t *testing.T) {
	e := newEnv(t, envOptions{})
	offered := func(agentRole bool) bool {
		id := customer("alice@example.com")
		if agentRole {
			id = agent()
		}
		return slices.ContainsFunc(e.list(t, id), func(tl mcp.Tool) bool { return tl.Name == tools.NameFindCustomers })
	}
	if !offered(true) {
		t.Error("agents are not offered find_customers")
	}
	if offered(false) {
		t.Error("customers are offered find_customers")
	}
	e.fake.ResetRequests()
	for _, id := range []*caller.Identity{customer("alice@example.com"), nil} {
		res, err := e.tryCall(t, id, tools.NameFindCustomers, map[string]any{"query": "Miller"})
		if err == nil && !res.IsError {
			t.Fatalf("%v called find_customers: %s", id, testkit.Text(res))
		}
		if err == nil && strings.Contains(testkit.Text(res), "Frank") {
			t.Errorf("a refusal shows another customer: %s", testkit.Text(res))
		}
	}
	if n := e.fake.RequestCount(); n != 0 {
		t.Errorf("a customer's call reached Polar %d times: %v", n, upstream(e))
	}
}

func TestFinderFindsBySurnameWithOneSearch(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.fake.ResetRequests()
	got, text := findAs(t, e, "miller")
	if len(got) != 1 || got[0].ID != frankID || got[0].Email != "Frank.Miller@Example.com" || got[0].Name != "Frank Miller" {
		t.Fatalf("search for a surname = %+v", got)
	}
	if got[0].CustomerType != "individual" || got[0].Plan != "API Usage" || got[0].Status != "active" || got[0].MatchedBy != "name" {
		t.Errorf("Frank's match = %+v, want an individual on API Usage (active), matched by name", got[0])
	}
	if !strings.Contains(text, "Frank Miller <Frank.Miller@Example.com>") || !strings.Contains(text, "API Usage (active)") {
		t.Errorf("text = %s", text)
	}
	// One search, one subscriptions request for the matches' plans.
	want := []string{"GET /v1/customers/", "GET /v1/subscriptions/"}
	if reqs := upstream(e); !slices.Equal(reqs, want) {
		t.Errorf("upstream requests = %v, want %v", reqs, want)
	}
	if q := e.fake.Requests()[1].Query["customer_id"]; !slices.Equal(q, []string{frankID}) {
		t.Errorf("plans were asked for customers %v", q)
	}
}

func TestFinderRanksTheBetterMatchFirst(t *testing.T) {
	e := newEnv(t, envOptions{})
	// "martin" is Alice Martin's and Daniel Martin's surname; the exact
	// email of one of them ranks first.
	got, _ := findAs(t, e, "Martin")
	if len(got) < 2 {
		t.Fatalf("search for Martin = %+v", got)
	}
	for _, m := range got[:2] {
		if !strings.HasSuffix(m.Name, " Martin") {
			t.Errorf("a Martin is not among the first two: %+v", got)
		}
	}
	got, _ = findAs(t, e, "discount@example.com")
	if len(got) != 1 || got[0].Name != "Daniel Martin" || got[0].MatchedBy != "email" {
		t.Errorf("search by full email = %+v", got)
	}
	got, _ = findAs(t, e, "usr_1019")
	if len(got) != 1 || got[0].Email != "license.limit@example.com" || got[0].MatchedBy != "external_id" {
		t.Errorf("search by external id = %+v", got)
	}
	got, _ = findAs(t, e, "acme")
	if len(got) != 1 || got[0].CustomerType != "team" {
		t.Errorf("search for a team = %+v", got)
	}
}

func TestFinderReadsIdsByTheirShape(t *testing.T) {
	e := newEnv(t, envOptions{})

	e.fake.ResetRequests()
	got, _ := findAs(t, e, strings.ToUpper(aliceCustomerID))
	if len(got) != 1 || got[0].ID != aliceCustomerID || got[0].MatchedBy != "customer_id" {
		t.Fatalf("by customer id = %+v", got)
	}
	if reqs := upstream(e); !slices.Equal(reqs, []string{"GET /v1/customers/" + aliceCustomerID, "GET /v1/subscriptions/"}) {
		t.Errorf("a customer id cost %v", reqs)
	}

	order := firstOrderOf(t, aliceCustomerID)
	e.fake.ResetRequests()
	got, text := findAs(t, e, order)
	if len(got) != 1 || got[0].ID != aliceCustomerID || got[0].MatchedBy != "order_id" || got[0].OrderID != order {
		t.Fatalf("by order id = %+v", got)
	}
	if !strings.Contains(text, "(order "+order+")") {
		t.Errorf("text does not name the order: %s", text)
	}
	want := []string{"GET /v1/customers/" + order, "GET /v1/orders/" + order, "GET /v1/subscriptions/"}
	if reqs := upstream(e); !slices.Equal(reqs, want) {
		t.Errorf("an order id cost %v, want %v", reqs, want)
	}
}

func TestFinderSaysPlainlyWhenNothingMatches(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, q := range []string{"Zebedee Quux", unknownID} {
		e.fake.ResetRequests()
		got, text := findAs(t, e, q)
		if len(got) != 0 {
			t.Errorf("%q matched %+v", q, got)
		}
		if !strings.Contains(text, "No customer matches") || !strings.Contains(text, q) {
			t.Errorf("%q: text = %s", q, text)
		}
		if slices.Contains(upstream(e), "GET /v1/subscriptions/") {
			t.Errorf("%q: plans were read for no match: %v", q, upstream(e))
		}
	}
	// An unknown UUID is tried as a customer id, an order id, then text.
	want := []string{"GET /v1/customers/" + unknownID, "GET /v1/orders/" + unknownID, "GET /v1/customers/"}
	if reqs := upstream(e); !slices.Equal(reqs, want) {
		t.Errorf("an unknown UUID cost %v, want %v", reqs, want)
	}
}

func TestFinderRefusesAnEmptyQuery(t *testing.T) {
	e := newEnv(t, envOptions{})
	e.fake.ResetRequests()
	for _, q := range []string{"", "   ", "a\x00b", strings.Repeat("x", 201)} {
		mustFail(t, e.call(t, agent(), tools.NameFindCustomers, map[string]any{"query": q}))
	}
	if n := e.fake.RequestCount(); n != 0 {
		t.Errorf("refused queries reached Polar: %v", upstream(e))
	}
}
