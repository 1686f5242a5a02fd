package cache_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

// subEvent is a subscription.* webhook's data for alice's subscription id
// with status and modified_at.
func subEvent(id, status string, modified time.Time) []byte {
	return fmt.Appendf(nil, `{"id":%q,"status":%q,"customer_id":%q,"customer":{"id":%q,"email":%q},"modified_at":%q}`,
		id, status, demoAlice, demoAlice, aliceEmail, modified.Format(time.RFC3339Nano))
}

// TestWriteSubscriptionOrdering: an event replaces the kept subscription
// without asking Polar; an older event arriving after it changes nothing;
// an unreadable one is not handled (the caller drops instead).
func TestWriteSubscriptionOrdering(t *testing.T) {
	api := startDemo(t, false)
	c := api.cached(t, cache.Config{BillingTTL: 10 * time.Minute, Invalidated: true})
	ctx := context.Background()
	subs, err := c.ListSubscriptions(ctx, polar.ByID(demoAlice))
	if err != nil || len(subs) == 0 {
		t.Fatalf("alice's subscriptions: %v, %v", subs, err)
	}
	id := subs[0].ID
	asked := len(api.paths())
	now := time.Now()
	if !c.WriteSubscription(subEvent(id, "canceled", now), now) {
		t.Fatal("event not handled")
	}
	if !c.WriteSubscription(subEvent(id, "active", now.Add(-time.Second)), now.Add(time.Second)) {
		t.Fatal("older event not handled (it must be ignored, not dropped)")
	}
	got, err := c.ListSubscriptions(ctx, polar.ByID(demoAlice))
	if err != nil || len(got) != len(subs) {
		t.Fatalf("after the events: %v, %v", got, err)
	}
	if got[0].ID != id || got[0].Status != "canceled" {
		t.Errorf("kept subscription = %s %s, want %s canceled (the newer event)", got[0].ID, got[0].Status, id)
	}
	if n := len(api.paths()) - asked; n != 0 {
		t.Errorf("written-through subscriptions asked Polar %d times", n)
	}
	// A newer event still applies.
	c.WriteSubscription(subEvent(id, "active", now.Add(time.Second)), now.Add(2*time.Second))
	if got, _ := c.ListSubscriptions(ctx, polar.ByID(demoAlice)); got[0].Status != "active" {
		t.Errorf("newer event not applied: %s", got[0].Status)
	}
	if c.WriteSubscription([]byte(`{"status":`), now) {
		t.Error("an unreadable payload was reported handled")
	}
}
