package polar_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
)

const historyCustomer = "c1000000-0001-4000-8001-000000000001" // Alice

// manyOrders is the demo organization with Alice's orders replaced by n
// paid €28.80 orders, every third of them refunded €10.00 + €2.00 tax,
// one a day from 2024-01-01.
func manyOrders(t *testing.T, n int) fs.FS {
	t.Helper()
	demo := fakepolar.DemoFS()
	out := fstest.MapFS{}
	err := fs.WalkDir(demo, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(demo, path)
		out[path] = &fstest.MapFile{Data: raw}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var orders []map[string]any
	if err := json.Unmarshal(out["orders.json"].Data, &orders); err != nil {
		t.Fatal(err)
	}
	var model map[string]any
	kept := orders[:0]
	for _, o := range orders {
		if o["customer_id"] == historyCustomer {
			model = o
			continue
		}
		kept = append(kept, o)
	}
	day := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range n {
		o := map[string]any{}
		for k, v := range model {
			o[k] = v
		}
		o["id"] = fmt.Sprintf("0e000000-0001-4000-8000-%012d", i)
		o["created_at"] = day.AddDate(0, 0, i).Format(time.RFC3339)
		o["status"], o["paid"], o["total_amount"], o["currency"] = "paid", true, 2880, "eur"
		o["refunded_amount"], o["refunded_tax_amount"] = 0, 0
		if i%3 == 0 {
			o["status"], o["refunded_amount"], o["refunded_tax_amount"] = "partially_refunded", 1000, 200
		}
		kept = append(kept, o)
	}
	raw, err := json.Marshal(kept)
	if err != nil {
		t.Fatal(err)
	}
	out["orders.json"] = &fstest.MapFile{Data: raw}
	return out
}

// countingLimiter is a RateLimiter that lets allow requests through and
// refuses the rest as a spent budget, counting what it was asked.
type countingLimiter struct {
	mu     sync.Mutex
	allow  int
	waits  []string
	refuse int
}

func (l *countingLimiter) Wait(_ context.Context, op string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waits = append(l.waits, op)
	if len(l.waits) > l.allow {
		l.refuse++
		return false, &polar.Error{Kind: polar.KindRateLimited, Operation: op, Err: polar.ErrBudgetSpent, RetryAfter: time.Second}
	}
	return false, nil
}
func (l *countingLimiter) Pause(time.Duration) {}
func (l *countingLimiter) Settle(bool, bool)   {}

// The lifetime value is summed from the order list, 100 orders a
// request, every request through the organization's rate limiter; past
// MaxHistoryPages it is marked partial, and a spent budget stops it
// (no request is sent beyond the budget).
func TestOrderHistoryPagesInsideTheRateBudget(t *testing.T) {
	for _, tc := range []struct {
		orders, allow, requests int
		partial, refused        bool
	}{
		{orders: 250, allow: 100, requests: 3},
		{orders: 1050, allow: 100, requests: polar.MaxHistoryPages, partial: true},
		{orders: 250, allow: 1, requests: 1, refused: true},
	} {
		fake, err := fakepolar.New(manyOrders(t, tc.orders), fakepolar.Options{})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(fake)
		lim := &countingLimiter{allow: tc.allow}
		c, err := polar.New(polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: srv.URL, Limiter: lim})
		if err != nil {
			t.Fatal(err)
		}
		h, err := c.OrderHistory(context.Background(), polar.ByID(historyCustomer))
		sent := 0
		for _, r := range fake.Requests() {
			if r.Path == "/v1/orders/" {
				sent++
				if got := r.Query["customer_id"]; len(got) != 1 || got[0] != historyCustomer || r.Query.Get("limit") != "100" {
					t.Errorf("%d orders: request %v", tc.orders, r.Query)
				}
			}
		}
		srv.Close()
		if sent != tc.requests || len(lim.waits) != sent+lim.refuse {
			t.Errorf("%d orders: %d requests sent, %d limiter waits (%d refused), want %d requests, each through the limiter",
				tc.orders, sent, len(lim.waits), lim.refuse, tc.requests)
		}
		if tc.refused {
			if pe, ok := polar.AsError(err); !ok || pe.Kind != polar.KindRateLimited || !errors.Is(err, polar.ErrBudgetSpent) {
				t.Errorf("a spent budget: %v", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%d orders: %v", tc.orders, err)
		}
		read := min(tc.orders, polar.MaxHistoryPages*100)
		refunds := int64((read + 2) / 3)
		if h.Orders != read || h.Paid != read || h.Partial != tc.partial || h.Net["eur"] != int64(read)*2880-refunds*1200 {
			t.Errorf("%d orders: history %+v, want %d orders, €%d net, partial %v",
				tc.orders, h, read, int64(read)*2880-refunds*1200, tc.partial)
		}
		if h.First == nil || !h.First.Equal(time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)) {
			t.Errorf("%d orders: first order %v", tc.orders, h.First)
		}
	}
}
