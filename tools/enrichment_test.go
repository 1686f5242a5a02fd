package tools_test

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

// lockedBuffer is a log sink tests read while tools write.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// enrichment is one tool's second request: the call that makes it, the
// path it asks, what the answer still says without it, the note that
// replaces the detail, and the detail itself once Polar answers again.
type enrichment struct {
	name   string
	id     *caller.Identity
	tool   string
	args   map[string]any
	path   string
	core   []string
	note   string
	detail string
	// on404, when set, is what a 404 means instead of a failure (an
	// order's invoice that was never generated).
	on404 string
}

func enrichments() []enrichment {
	theo, rosa, uma := customer("theo@example.net"), customer("rosa@example.net"), customer("uma@example.net")
	byAgent := func(email string) map[string]any { return map[string]any{"email": email} }
	return []enrichment{
		{"license key details", theo, tools.NameBenefits, nil, "/v1/license-keys/",
			[]string{"1 active benefit:", "KES-****-****-9C4B", "Not active:"}, "activation details are unavailable right now", "1 of 2 activations used", ""},
		{"license key details (insights)", agent(), tools.NameVisitorInsights, byAgent("theo@example.net"), "/v1/license-keys/",
			[]string{"Theo Marsh", "KES-****-****-9C4B"}, "activation details are unavailable right now", "1 of 2 activations used", ""},
		{"benefit names", theo, tools.NameBenefits, nil, "/v1/benefits/",
			[]string{"1 active benefit:", "License key KES-****-****-9C4B"}, "benefit names are unavailable right now", "Kestrel Desktop licence key:", ""},
		{"grants that are not active", theo, tools.NameBenefits, nil, "/v1/benefit-grants/",
			[]string{"1 active benefit:", "Kestrel Desktop licence key"}, "benefits that are pending, failed or revoked cannot be checked right now", "could not be granted", ""},
		{"plan change product", uma, tools.NameSubscriptionStatus, nil, "/v1/products/",
			[]string{"Insights: active", "changes plan at the next period"}, "the new plan's name is unavailable right now", "changes to Insights Legacy", ""},
		{"plan change product (insights)", agent(), tools.NameVisitorInsights, byAgent("uma@example.net"), "/v1/products/",
			[]string{"Live plan: Insights"}, "the new plan's name is unavailable right now", "changes to Insights Legacy", ""},
		{"disputes", rosa, tools.NameOrderHistory, nil, "/v1/disputes/",
			[]string{"Your last 5 orders", "£10.80, paid"}, "dispute details are unavailable right now", "disputed with the bank", ""},
		{"disputes (insights)", agent(), tools.NameVisitorInsights, byAgent("rosa@example.net"), "/v1/disputes/",
			[]string{"Recent orders", "£10.80, paid"}, "dispute details are unavailable right now", "DISPUTED (needs response", ""},
		{"amount outstanding", rosa, tools.NameSubscriptionStatus, nil, "/v1/orders/",
			[]string{"Insights Usage: past due", "12,840 used of 10,000 credited (2,840 over)"}, "the amount outstanding and the retry date are unavailable right now", "£27.84 outstanding", ""},
		{"invoice links", rosa, tools.NameOrderHistory, map[string]any{"invoice_links": true}, "/v1/orders/0d000000-0002-4000-8011-000000000011/invoice",
			[]string{"Your last 5 orders", "£10.80, paid"}, "invoice KES-0011, invoice link unavailable right now",
			"invoice KES-0011, invoice link (valid for a short time)", "invoice KES-0011, no invoice has been generated for this order yet"},
	}
}

// TestFailedEnrichmentLeavesTheAnswerStanding injects a 404, a 5xx and a
// timeout on every second request a tool makes: each time the answer
// stands on its core record with one plain note, the failure is logged,
// and once Polar answers again the detail is back (the failure was not
// kept as the answer, even behind the cache).
func TestFailedEnrichmentLeavesTheAnswerStanding(t *testing.T) {
	faults := map[string]fakepolar.Fault{
		"404":     {Status: 404},
		"503":     {Status: 503},
		"timeout": {Delay: 2 * time.Second},
	}
	for _, en := range enrichments() {
		for fname, fault := range faults {
			t.Run(en.name+"/"+fname, func(t *testing.T) {
				logs := &lockedBuffer{}
				e := newEnv(t, envOptions{fixtures: testkit.OtherFS(), cached: true, timeout: 500 * time.Millisecond,
					logger: slog.New(slog.NewTextHandler(logs, nil))})
				fault.Method, fault.Path = "GET", en.path
				e.fake.InjectFault(fault)
				note := en.note
				if fault.Status == 404 && en.on404 != "" {
					note = en.on404
				}
				got := mustAnswer(t, e.call(t, en.id, en.tool, en.args), append(slices.Clone(en.core), note)...)
				if strings.Contains(got, en.detail) {
					t.Errorf("the failed enrichment's detail %q is in the answer:\n%s", en.detail, got)
				}
				if strings.Count(got, note) != 1 {
					t.Errorf("the note is not said once:\n%s", got)
				}
				if note == en.note && !strings.Contains(logs.String(), "enrichment failed") {
					t.Errorf("the failure was not logged: %s", logs.String())
				}
				e.fake.ClearFaults()
				got = mustAnswer(t, e.call(t, en.id, en.tool, en.args), en.core[0], en.detail)
				if strings.Contains(got, note) {
					t.Errorf("the failure was kept after Polar answered again:\n%s", got)
				}
			})
		}
	}
}
