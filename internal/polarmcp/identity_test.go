package polarmcp

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

const (
	identityPolarToken = "polar_oat_identity_test_token"
	identitySecret     = "identity-test-secret-0123456789abcdef"
	bobID              = "c1000000-0001-4000-8002-000000000002"
)

// liveDemo serves the demo organization from a fake Polar the test can
// change while polar-mcp http runs in front of it, with the default caches
// (an email lookup is kept for a day).
type liveDemo struct {
	fake *fakepolar.Server
	base string
}

func startLiveDemo(t *testing.T) *liveDemo {
	t.Helper()
	fake, err := fakepolar.Demo(fakepolar.Options{Tokens: map[string][]string{identityPolarToken: fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	cfg := config.Config{AccessToken: identityPolarToken, ServerURL: ts.URL, Listen: "127.0.0.1:0", TokenSecret: identitySecret}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := cfg.ValidateHosted(); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- ServeHTTP(ctx, cfg, slog.New(slog.DiscardHandler), ready) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serveHTTP: %v", err)
		}
	})
	select {
	case addr := <-ready:
		return &liveDemo{fake: fake, base: "http://" + addr}
	case err := <-done:
		done <- err
		t.Fatalf("serveHTTP: %v", err)
		return nil
	}
}

func (d *liveDemo) token(t *testing.T, c identity.Claims) string {
	t.Helper()
	if c.Email != "" {
		c.EmailVerified = true
	}
	tok, err := identity.Mint([]byte(identitySecret), c, 10*time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (d *liveDemo) call(t *testing.T, path, tok, tool string, args map[string]any) (string, bool) {
	t.Helper()
	c := testkit.MCPClient(t, d.base+path, tok)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	text, isErr, err := testkit.CallTool(ctx, c, tool, args)
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return text, isErr
}

// TestAnAddressThatMovesIsAnsweredFromTheNewRecord moves alice@example.com
// from Alice's customer record to Bob's while the server runs with warm
// caches: every tool must answer from Bob's record, never Alice's.
func TestAnAddressThatMovesIsAnsweredFromTheNewRecord(t *testing.T) {
	for _, path := range []string{"/mcp", "/sse"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			d := startLiveDemo(t)
			alice := d.token(t, identity.Claims{Role: caller.Customer, Email: "alice@example.com"})
			agent := d.token(t, identity.Claims{Role: caller.Agent, Subject: "agent-1"})
			warm := map[string]string{
				tools.NameSubscriptionStatus: "€24.00",
				tools.NameOrderHistory:       "€28.80",
				tools.NameBenefits:           "PRO-****-****-7F3A",
			}
			for tool, want := range warm {
				if text, isErr := d.call(t, path, alice, tool, nil); isErr || !strings.Contains(text, want) {
					t.Fatalf("before the move, %s = %q", tool, text)
				}
			}
			if text, isErr := d.call(t, path, alice, tools.NamePortalLink, nil); isErr {
				t.Fatalf("before the move, portal: %q", text)
			}

			// Alice changes her address; Bob takes the old one.
			if _, err := d.fake.UpdateCustomer(aliceID, map[string]any{"email": "alice.new@example.com"}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.fake.UpdateCustomer(bobID, map[string]any{"email": "alice@example.com"}); err != nil {
				t.Fatal(err)
			}
			d.fake.ResetRequests()

			after := map[string]string{
				tools.NameSubscriptionStatus: "$490.00 / year", // Bob's yearly plan
				tools.NameOrderHistory:       "$490.00",
			}
			for tool, want := range after {
				text, isErr := d.call(t, path, alice, tool, nil)
				if isErr || !strings.Contains(text, want) || strings.Contains(text, "€") {
					t.Errorf("after the move, %s = %q, want Bob's record (%s) and nothing of Alice's", tool, text, want)
				}
			}
			if text, _ := d.call(t, path, alice, tools.NameBenefits, nil); strings.Contains(text, "7F3A") || !strings.Contains(text, "B21C") {
				t.Errorf("after the move, benefits = %q, want Bob's key (…B21C), never Alice's (…7F3A)", text)
			}
			if text, isErr := d.call(t, path, alice, tools.NamePortalLink, nil); isErr || !strings.Contains(text, "portal") {
				t.Errorf("after the move, portal: %q", text)
			}
			for _, r := range d.fake.Requests() {
				if strings.Contains(r.Path, aliceID) || r.Query.Get("customer_id") == aliceID && r.Method == "POST" {
					t.Errorf("after the move, a request still named Alice's record: %s %s", r.Method, r.Path)
				}
			}
			if n := sessionsCreated(d.fake); n != 1 {
				t.Errorf("%d portal sessions created after the move, want 1 (for Bob only)", n)
			}
			text, isErr := d.call(t, path, agent, tools.NameVisitorInsights, map[string]any{"email": "alice@example.com"})
			if isErr || !strings.Contains(text, "Bob") || strings.Contains(text, "€") {
				t.Errorf("after the move, insights = %q, want Bob's record", text)
			}
		})
	}
}

// TestAnAddressThatMovesFromAnEmptyRecord moves an address from a customer
// with no subscriptions or orders, whose empty answers were kept, to one
// with both: an empty answer carries no customer to check, so the kept
// lookup is asked again, and the answers come from the new record.
func TestAnAddressThatMovesFromAnEmptyRecord(t *testing.T) {
	for _, path := range []string{"/mcp", "/sse"} {
		t.Run(strings.TrimPrefix(path, "/"), func(t *testing.T) {
			d := startLiveDemo(t)
			nina, err := d.fake.AddCustomer(map[string]any{"email": "nina@example.com", "name": "Nina"})
			if err != nil {
				t.Fatal(err)
			}
			tok := d.token(t, identity.Claims{Role: caller.Customer, Email: "nina@example.com"})
			for _, tool := range []string{tools.NameSubscriptionStatus, tools.NameOrderHistory} {
				for range 2 { // the second answer comes from what was kept
					if text, isErr := d.call(t, path, tok, tool, nil); isErr || strings.Contains(text, "€") {
						t.Fatalf("before the move, %s = %q, want Nina's empty record", tool, text)
					}
				}
			}

			// Nina changes her address; Alice takes the old one.
			if _, err := d.fake.UpdateCustomer(nina["id"].(string), map[string]any{"email": "nina.old@example.com"}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.fake.UpdateCustomer(aliceID, map[string]any{"email": "nina@example.com"}); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{
				tools.NameSubscriptionStatus: "€24.00",
				tools.NameOrderHistory:       "€28.80",
			}
			for tool, w := range want {
				if text, isErr := d.call(t, path, tok, tool, nil); isErr || !strings.Contains(text, w) {
					t.Errorf("after the move, %s = %q, want the new record's %s", tool, text, w)
				}
			}
		})
	}
}

// TestASignUpIsSeenAtOnce asks as an address no customer has, then the
// customer signs up (a new Polar customer with that address): the next
// answer comes from the new record, not from a kept "no customer".
func TestASignUpIsSeenAtOnce(t *testing.T) {
	d := startLiveDemo(t)
	tok := d.token(t, identity.Claims{Role: caller.Customer, Email: "newcomer@example.com"})
	for range 2 {
		if text, _ := d.call(t, "/mcp", tok, tools.NameSubscriptionStatus, nil); !strings.Contains(text, "No subscription was found") {
			t.Fatalf("before signing up: %q", text)
		}
	}
	if _, err := d.fake.AddCustomer(map[string]any{"email": "newcomer@example.com", "name": "Newcomer"}); err != nil {
		t.Fatal(err)
	}
	if text, isErr := d.call(t, "/mcp", tok, tools.NameSubscriptionStatus, nil); isErr || strings.Contains(text, "No subscription was found") {
		t.Errorf("after signing up: %q, want the new customer's (empty) record", text)
	}
}

func sessionsCreated(f *fakepolar.Server) int {
	n := 0
	for _, r := range f.Requests() {
		if r.Method == "POST" && strings.HasPrefix(r.Path, "/v1/customer-sessions") {
			n++
		}
	}
	return n
}

// TestUnicodeLookalikesNeverReachAnotherCustomer signs tokens for
// addresses that only fold to a customer's (Kelvin sign, long s,
// fullwidth letters, combining marks): none may see that customer.
func TestUnicodeLookalikesNeverReachAnotherCustomer(t *testing.T) {
	d := startLiveDemo(t)
	if _, err := d.fake.AddCustomer(map[string]any{"email": "sam.k@example.com", "name": "Sam K"}); err != nil {
		t.Fatal(err)
	}
	lookalikes := []string{
		"sam.\u212a@example.com",        // KELVIN SIGN
		"\u017fam.k@example.com",        // LONG S
		"ｓam.k@example.com",             // fullwidth s
		"sam.k\u0301@example.com",       // combining acute
		"fran\u212a.miller@example.com", // Frank Miller, stored mixed-case
		"ａlice@example.com",
	}
	for _, email := range lookalikes {
		tok := d.token(t, identity.Claims{Role: caller.Customer, Email: email})
		for _, tool := range []string{tools.NameSubscriptionStatus, tools.NameBenefits, tools.NamePortalLink} {
			text, _ := d.call(t, "/mcp", tok, tool, nil)
			if strings.Contains(text, "$") || strings.Contains(text, "€") || strings.Contains(text, "portal link") || strings.Contains(text, "Sam K") {
				t.Errorf("%q: %s reached another customer's data: %q", email, tool, text)
			}
		}
	}
	// The real address still works, whatever its ASCII case.
	tok := d.token(t, identity.Claims{Role: caller.Customer, Email: "FRANK.MILLER@example.com"})
	if text, isErr := d.call(t, "/mcp", tok, tools.NameSubscriptionStatus, nil); isErr || !strings.Contains(text, "API Usage") {
		t.Errorf("Frank Miller in ASCII upper case: %q", text)
	}
}

// TestExternalCustomerID acts for a customer known only by the merchant's
// user id: answers from one upstream request cold, and cannot be combined
// with another customer's email.
func TestExternalCustomerID(t *testing.T) {
	d := startLiveDemo(t)
	tok := d.token(t, identity.Claims{Role: caller.Customer, ExternalCustomerID: "usr_1001"}) // Alice
	d.fake.ResetRequests()
	text, isErr := d.call(t, "/mcp", tok, tools.NameSubscriptionStatus, nil)
	if isErr || !strings.Contains(text, "€24.00") {
		t.Fatalf("status by external id = %q", text)
	}
	if n := d.fake.RequestCount(); n != 1 {
		t.Errorf("cold status question by external id cost %d upstream requests, want 1", n)
	}
	for _, tool := range []string{tools.NameOrderHistory, tools.NameBenefits, tools.NamePortalLink} {
		if text, isErr := d.call(t, "/mcp", tok, tool, nil); isErr {
			t.Errorf("%s by external id: %q", tool, text)
		}
	}
	both := d.token(t, identity.Claims{Role: caller.Customer, ExternalCustomerID: "usr_1001", Email: "bob@example.com"})
	for _, tool := range []string{tools.NameSubscriptionStatus, tools.NameBenefits, tools.NamePortalLink} {
		text, isErr := d.call(t, "/mcp", both, tool, nil)
		if !isErr || strings.Contains(text, "€") || strings.Contains(text, "$") {
			t.Errorf("external id of Alice with Bob's email: %s = %q (isError %v), want a refusal", tool, text, isErr)
		}
	}
	same := d.token(t, identity.Claims{Role: caller.Customer, ExternalCustomerID: "usr_1001", Email: "Alice@example.com"})
	if text, isErr := d.call(t, "/mcp", same, tools.NameSubscriptionStatus, nil); isErr || !strings.Contains(text, "€24.00") {
		t.Errorf("external id and matching email: %q", text)
	}
	nobody := d.token(t, identity.Claims{Role: caller.Customer, ExternalCustomerID: "usr_nobody"})
	for _, tool := range []string{tools.NameSubscriptionStatus, tools.NameBenefits, tools.NamePortalLink} {
		if text, isErr := d.call(t, "/mcp", nobody, tool, nil); isErr || !strings.Contains(text, "No subscription was found") {
			t.Errorf("unknown external id, %s: %q (isError %v)", tool, text, isErr)
		}
	}
	text, _ = d.call(t, "/mcp", tok, tools.NameSubscriptionStatus, map[string]any{"email": "bob@example.com"})
	if strings.Contains(text, "$490") {
		t.Errorf("an external-id caller named another email and got it: %q", text)
	}
}
