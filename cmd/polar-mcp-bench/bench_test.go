package main

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

func TestBusiestMinuteSlides(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	// 3 requests late in the first fixed minute and 3 early in the next:
	// no fixed minute holds more than 3, but a sliding one holds 6.
	times := []time.Time{at(0), at(50), at(55), at(59), at(61), at(65), at(70), at(200)}
	if got := busiestMinute(times); got != 6 {
		t.Errorf("busiestMinute = %d, want 6", got)
	}
	if got := busiestMinute(times[:1]); got != 1 {
		t.Errorf("busiestMinute of one request = %d, want 1", got)
	}
}

func TestClassify(t *testing.T) {
	busy := mcp.NewToolResultError("Polar is busy: this organization hit its rate limit. Try again in 3 seconds.")
	other := mcp.NewToolResultError("Unable to retrieve data from Polar right now. Please try again in a moment.")
	cases := []struct {
		res  *mcp.CallToolResult
		err  error
		want outcome
	}{
		{mcp.NewToolResultText("Pro: active"), nil, outcomeOK},
		{nil, errors.New("transport closed"), outcomeProtocol},
		{busy, nil, outcomeBusy},
		{mcp.NewToolResultError("Billing information is busy right now (the customer's orders could not be fetched). Please try again in 2 seconds."), nil, outcomeBusy},
		{other, nil, outcomeTool},
	}
	for _, c := range cases {
		if got, _ := classify(c.res, c.err); got != c.want {
			t.Errorf("classify(%v, %v) = %s, want %s", c.res, c.err, outcomeName(got), outcomeName(c.want))
		}
	}
	for _, leak := range []string{`{"error":"Too Many Requests","detail":"Rate limit exceeded"}`, "HTTP 429"} {
		if !raw429.MatchString(leak) {
			t.Errorf("raw429 misses %q", leak)
		}
	}
	if raw429.MatchString("Pro (yearly): $4290.00 / year, order 14290") {
		t.Error("raw429 matches amounts and numbers that merely contain 429")
	}
}

func TestMixKeepsCustomersOffAgentTools(t *testing.T) {
	m, err := parseMix("insights=50,products=50")
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	cust := m.forRole(caller.Customer)
	for range 200 {
		if got := cust.pick(r); got != tools.NameProducts {
			t.Fatalf("a customer drew %s", got)
		}
	}
	seen := map[string]bool{}
	for range 200 {
		seen[m.pick(r)] = true
	}
	if !seen[tools.NameVisitorInsights] || !seen[tools.NameProducts] {
		t.Errorf("agents drew only %v", seen)
	}
	for _, bad := range []string{"", "products", "products=x", "nosuchtool=1", "products=0"} {
		if _, err := parseMix(bad); err == nil {
			t.Errorf("parseMix(%q) accepted", bad)
		}
	}
}
