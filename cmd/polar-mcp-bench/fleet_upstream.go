package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// extraCustomer is added to the demo organization's 19 customers so the
// fleet runs have 20.
const extraCustomer = "newcomer@example.com"

// mutatedSubscription is the demo subscription the fleet runs change
// every mutateEvery (alice's), so that webhooks have something to report.
const (
	mutatedSubscription = "51000000-0001-4000-8001-000000000001"
	mutateEvery         = 20 * time.Second
)

// fleetEmails are the 20 customers of the fleet runs, the busiest first
// for the Zipf draw.
func fleetEmails() []string {
	return []string{
		"alice@example.com", "bob@example.com", "carol@example.com", "team@acme.example",
		"dave@example.com", "erin@example.com", "frank.miller@example.com", "grace@example.com",
		"refunds@example.com", "incomplete@example.com", "unpaid@example.com", "switcher@example.com",
		"metered@example.com", "pausing@example.com", "plan.change@example.com", "ending@example.com",
		"discount@example.com", "yen@example.com", "license.limit@example.com", extraCustomer,
	}
}

// hookRelay sends the fake's webhook deliveries to whichever server
// target names (set once the server is up): the fake is built before the
// server's address is known.
type hookRelay struct {
	target atomic.Pointer[url.URL]
	hc     *http.Client
}

// Do implements fakepolar.Doer.
func (h *hookRelay) Do(req *http.Request) (*http.Response, error) {
	if t := h.target.Load(); t != nil {
		req.URL.Scheme, req.URL.Host = t.Scheme, t.Host
		req.Host = t.Host
	}
	return h.hc.Do(req)
}

// maxCustomers bounds --customers.
const maxCustomers = 5000

// grownDomain is the domain of the customers the fake adds beyond the 20.
const grownDomain = "bench.example"

// startFleetUpstream serves the demo organization plus extraCustomer,
// grown to customers customers (fakepolar's AddCustomers), answering 429 beyond perMinute requests per minute and recording each
// request's time. With a secret, every change is sent as a signed webhook
// through relay to /webhooks/polar.
func startFleetUpstream(perMinute int, secret string, relay *hookRelay, customers int) (*upstream, error) {
	opts := fakepolar.Options{RateLimit: perMinute}
	if secret != "" {
		opts.Webhook = fakepolar.Webhook{URL: "http://127.0.0.1/webhooks/polar", Secret: secret, Client: relay}
	}
	fake, err := fakepolar.Demo(opts)
	if err != nil {
		return nil, err
	}
	if _, err := fake.AddCustomer(map[string]any{"email": extraCustomer, "name": "New Comer"}); err != nil {
		return nil, err
	}
	u := &upstream{fake: fake, times: make([]time.Time, 0, 4096), emails: fleetEmails()}
	if more := customers - len(u.emails); more > 0 {
		grown, err := fake.AddCustomers(grownDomain, more)
		if err != nil {
			return nil, err
		}
		u.emails = append(u.emails, grown...)
	}
	u.srv = httptest.NewServer(http.HandlerFunc(u.serve))
	u.URL = u.srv.URL
	return u, nil
}

// mutate changes mutatedSubscription at once and then every mutateEvery
// until ctx ends (a customer toggling "cancel at period end" in the
// portal), directly in the fake, so it is not counted as a request; w,
// when set, watches each change show. It returns how many changes it
// made.
func mutate(ctx context.Context, u *upstream, w *watcher) int {
	n := 0
	t := time.NewTicker(mutateEvery)
	defer t.Stop()
	for {
		cancel := n%2 == 0
		if _, err := u.fake.UpdateSubscription(mutatedSubscription, map[string]any{"cancel_at_period_end": cancel}); err == nil {
			n++
			if w != nil {
				w.changed(ctx, cancel)
			}
		}
		select {
		case <-ctx.Done():
			return n
		case <-t.C:
		}
	}
}

// pointRelay aims relay at server base.
func pointRelay(relay *hookRelay, base string) error {
	t, err := url.Parse(strings.TrimSuffix(base, "/"))
	if err != nil {
		return err
	}
	relay.target.Store(t)
	return nil
}
