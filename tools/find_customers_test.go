package tools_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

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
	Price        string `json:"price"`
	PlanSource   string `json:"plan_source"`
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
	if got[0].CustomerType != "individual" || got[0].MatchedBy != "name" {
		t.Errorf("Frank's match = %+v, want an individual matched by name", got[0])
	}
	// Nothing kept: the plan is not read, and the answer says so.
	if got[0].Plan != "" || got[0].Status != "" || got[0].PlanSource != "" {
		t.Errorf("a plan was named without being read: %+v", got[0])
	}
	if !strings.Contains(text, "Frank Miller <Frank.Miller@Example.com>, individual, plan not read") ||
		!strings.Contains(text, "look the customer up (get_visitor_insights)") {
		t.Errorf("text = %s", text)
	}
	if reqs := upstream(e); !slices.Equal(reqs, []string{"GET /v1/customers/"}) {
		t.Errorf("upstream requests = %v, want the one search", reqs)
	}
}

// Every kind of query the finder accepts costs exactly one request to
// Polar, and the match says what it was found by.
func TestFinderCostsOneRequestPerSearch(t *testing.T) {
	e := newEnv(t, envOptions{})
	order := testkit.DemoOrderOf(t, aliceCustomerID)
	for _, tc := range []struct {
		name, query, request, id, by string
	}{
		{"name", "Miller", "GET /v1/customers/", frankID, "name"},
		{"part of an email", "license.limit", "GET /v1/customers/", "c1000000-0001-4000-8013-000000000019", "email"},
		{"external id as text", "usr_1007", "GET /v1/customers/", frankID, "external_id"},
		{"customer id", strings.ToUpper(aliceCustomerID), "GET /v1/customers/" + aliceCustomerID + "/state", aliceCustomerID, "customer_id"},
		{"customer id, named", "customer id: " + aliceCustomerID, "GET /v1/customers/" + aliceCustomerID + "/state", aliceCustomerID, "customer_id"},
		{"customer's dashboard link", "https://polar.sh/dashboard/northwind-cloud/customers/" + aliceCustomerID,
			"GET /v1/customers/" + aliceCustomerID + "/state", aliceCustomerID, "customer_id"},
		{"order id", "order " + order, "GET /v1/orders/" + order, aliceCustomerID, "order_id"},
		{"order id, named", "Order_ID:" + strings.ToUpper(order), "GET /v1/orders/" + order, aliceCustomerID, "order_id"},
		{"customer's dashboard tab", "https://polar.sh/dashboard/northwind-cloud/customers/" + aliceCustomerID + "/usage",
			"GET /v1/customers/" + aliceCustomerID + "/state", aliceCustomerID, "customer_id"},
		{"order's dashboard link", "https://sandbox.polar.sh/dashboard/northwind-cloud/sales/" + order,
			"GET /v1/orders/" + order, aliceCustomerID, "order_id"},
		{"external id", "external:usr_1007", "GET /v1/customers/external/usr_1007/state", frankID, "external_id"},
		{"external id, named", "external id usr_1001", "GET /v1/customers/external/usr_1001/state", aliceCustomerID, "external_id"},
	} {
		e.fake.ResetRequests()
		got, text := findAs(t, e, tc.query)
		if len(got) == 0 || got[0].ID != tc.id || got[0].MatchedBy != tc.by {
			t.Errorf("%s %q = %+v, want %s matched by %s", tc.name, tc.query, got, tc.id, tc.by)
			continue
		}
		if reqs := upstream(e); !slices.Equal(reqs, []string{tc.request}) {
			t.Errorf("%s %q cost %v, want [%s]", tc.name, tc.query, reqs, tc.request)
		}
		if tc.by == "order_id" && (got[0].OrderID != order || !strings.Contains(text, "(order "+order+")")) {
			t.Errorf("%s: the order is not named: %+v %s", tc.name, got[0], text)
		}
	}
}

// A read by id carries the live plan in its one answer: the customer
// state's active subscriptions, the order's own subscription.
func TestFinderNamesThePlanFromItsOneRead(t *testing.T) {
	e := newEnv(t, envOptions{})
	got, text := findAs(t, e, "order "+testkit.DemoOrderOf(t, aliceCustomerID))
	if len(got) != 1 || got[0].Plan != "Pro" || got[0].Status != "active" || got[0].PlanSource != "polar" || got[0].Price == "" {
		t.Errorf("plan from the order = %+v", got)
	}
	if !strings.Contains(text, "Alice Martin <alice@example.com>, individual, Pro (active)") {
		t.Errorf("text = %s", text)
	}
	// The state names the product by id; without the catalog kept, the
	// plan is its price and status.
	got, text = findAs(t, e, frankID)
	if len(got) != 1 || got[0].Plan != "" || got[0].Status != "active" || got[0].PlanSource != "polar" || got[0].Price == "" {
		t.Errorf("plan from the state = %+v", got)
	}
	if len(got) == 1 && !strings.Contains(text, "a live plan at "+got[0].Price+" (active)") {
		t.Errorf("text = %s", text)
	}
	// A customer with no active plan is said to have none; the state
	// lists active and trialing plans only, and the answer says so.
	got, text = findAs(t, e, "c1000000-0001-4000-8006-000000000006")
	if len(got) != 1 || got[0].Status != "" || got[0].PlanSource != "polar" || !strings.Contains(text, "no active or trialing plan") {
		t.Errorf("Erin = %+v, %s", got, text)
	}
}

// What the server keeps (the cache's billing TTL, the catalog) names
// plans at no cost, marked as such; nothing kept, nothing named.
func TestFinderNamesKeptPlansWithoutAsking(t *testing.T) {
	e := newEnv(t, envOptions{cached: true, billingTTL: 5 * time.Second})
	mustAnswer(t, e.call(t, agent(), tools.NameSubscriptionStatus, map[string]any{"email": "frank.miller@example.com"}))
	mustAnswer(t, e.call(t, agent(), tools.NameProducts, nil))
	e.fake.ResetRequests()
	got, text := findAs(t, e, "Miller")
	if len(got) != 1 || got[0].Plan != "API Usage" || got[0].Status != "active" || got[0].PlanSource != "kept" {
		t.Errorf("kept plan = %+v", got)
	}
	if !strings.Contains(text, "API Usage (active, as last read)") {
		t.Errorf("text = %s", text)
	}
	got, _ = findAs(t, e, "Martin")
	for _, m := range got {
		if m.PlanSource != "" || m.Plan != "" {
			t.Errorf("a plan never read was named: %+v", m)
		}
	}
	// The state's product is named from the kept catalog.
	got, _ = findAs(t, e, aliceCustomerID)
	if len(got) != 1 || got[0].Plan != "Pro" || got[0].PlanSource != "polar" {
		t.Errorf("Alice by id = %+v", got)
	}
	want := []string{"GET /v1/customers/", "GET /v1/customers/", "GET /v1/customers/" + aliceCustomerID + "/state"}
	if reqs := upstream(e); !slices.Equal(reqs, want) {
		t.Errorf("three searches cost %v, want %v", reqs, want)
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

func TestFinderSaysPlainlyWhenNothingMatches(t *testing.T) {
	e := newEnv(t, envOptions{})
	for _, tc := range []struct{ query, says, request string }{
		{"Zebedee Quux", "no customer's name, email or external id contains it", "GET /v1/customers/"},
		{unknownID, "no customer has that id. If it is an order id, search \"order " + unknownID + "\"", "GET /v1/customers/" + unknownID + "/state"},
		{"order " + unknownID, "Polar has no order with that id", "GET /v1/orders/" + unknownID},
		{"external:usr_9999", "no customer has that external id", "GET /v1/customers/external/usr_9999/state"},
	} {
		e.fake.ResetRequests()
		res := e.call(t, agent(), tools.NameFindCustomers, map[string]any{"query": tc.query})
		text := mustAnswer(t, res)
		var out struct {
			Customers []match `json:"customers"`
		}
		structured(t, res, &out)
		if out.Customers == nil || len(out.Customers) != 0 {
			t.Errorf("%q matched %+v", tc.query, out.Customers)
		}
		if !strings.HasPrefix(text, "No customer matches \""+tc.query+"\"") || !strings.Contains(text, tc.says) {
			t.Errorf("%q: text = %s", tc.query, text)
		}
		if reqs := upstream(e); !slices.Equal(reqs, []string{tc.request}) {
			t.Errorf("%q cost %v, want [%s]", tc.query, reqs, tc.request)
		}
	}
	// A bare order id is no customer's: the suggested query finds it.
	order := testkit.DemoOrderOf(t, aliceCustomerID)
	_, text := findAs(t, e, order)
	try := "order " + order
	if !strings.Contains(text, strconv.Quote(try)) || !strings.Contains(text, strconv.Quote("external:"+order)) {
		t.Fatalf("a bare order id suggests no other reading: %s", text)
	}
	if got, _ := findAs(t, e, try); len(got) != 1 || got[0].ID != aliceCustomerID || got[0].OrderID != order {
		t.Errorf("the suggested %q found %+v", try, got)
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
