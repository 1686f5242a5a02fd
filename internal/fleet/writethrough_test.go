package fleet

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/webhooks"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

const (
	replicaOrg = "org-writethrough"
	aliceID    = "c1000000-0001-4000-8001-000000000001"
)

// replica is one instance: its fleet on the shared Redis bus, and its
// cache of the demo organization with its own count of Polar requests.
type replica struct {
	f       *Fleet
	c       *cache.Client
	polled  atomic.Int64
	applied chan Invalidation // each invalidation once applied, as Run applies them
}

func newReplica(t *testing.T, ctx context.Context, fake *fakepolar.Server, bus Bus) *replica {
	t.Helper()
	r := &replica{f: &Fleet{bus: bus, log: slog.New(slog.DiscardHandler), now: time.Now,
		caches: map[string]map[*cache.Client]string{}, orgOf: map[string]string{}, secrets: map[string]bool{},
		last: map[string]time.Time{}, subs: map[*subscription]struct{}{}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.polled.Add(1)
		fake.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	sdk, err := polar.New(polar.Config{AccessToken: fakepolar.DemoToken, ServerURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	r.c = cache.New(sdk, cache.Config{BillingTTL: 10 * time.Minute, Invalidated: true, Fresh: func() bool { return true }})
	r.f.Register(replicaOrg, "conn-"+t.Name(), r.c, true)
	r.applied = make(chan Invalidation, 64)
	if err := bus.Subscribe(ctx, func(inv Invalidation) { r.f.apply(inv); r.applied <- inv }); err != nil {
		t.Fatal(err)
	}
	return r
}

// await waits until r applied n invalidations other than KindAll.
func (r *replica) await(t *testing.T, n int) {
	t.Helper()
	for n > 0 {
		if inv := next(t, r.applied); inv.Kind != KindAll {
			n--
		}
	}
}

// TestReplicaWritesThroughFromRedis: a webhook received by one instance
// reaches another through Redis with its record, and the other answers
// from it without asking Polar: a cancellation, an order refunded, a
// grant revoked, the new customer state, a new team member, and the
// customer's lookup after customer.updated. An order event older than
// what it applied, sent later, changes nothing there either.
func TestReplicaWritesThroughFromRedis(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var events []webhooks.Event
	fake, err := fakepolar.Demo(fakepolar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	channel := prefix(t) + "inv"
	a := newReplica(t, ctx, fake, NewRedisBus(client(t, nil), channel))
	b := newReplica(t, ctx, fake, NewRedisBus(client(t, nil), channel))
	ref := polar.ByID(aliceID)
	orders, err := b.c.ListOrders(ctx, ref, 0)
	if err != nil || len(orders) == 0 || orders[0].Status != "paid" {
		t.Fatalf("alice's orders on b: %v, %v", orders, err)
	}
	state, err := b.c.CustomerState(ctx, ref)
	if err != nil || len(state.GrantedBenefits) == 0 {
		t.Fatalf("alice's state on b: %+v, %v", state, err)
	}
	grant := state.GrantedBenefits[0].ID
	subs, err := b.c.ListSubscriptions(ctx, ref)
	if err != nil || len(subs) == 0 || subs[0].CancelAtPeriodEnd {
		t.Fatalf("alice's subscriptions on b: %v, %v", subs, err)
	}
	if _, err := b.c.FindCustomerByEmail(ctx, "alice@example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.c.FindMembersByEmail(ctx, "ken@acme.example"); err != nil {
		t.Fatal(err)
	}
	// Polar's changes, as their webhooks carry them.
	now := time.Now().UTC()
	sub, err := fake.UpdateSubscription(subs[0].ID, map[string]any{"cancel_at_period_end": true})
	if err != nil {
		t.Fatal(err)
	}
	cust, err := fake.UpdateCustomer(aliceID, map[string]any{"name": "Alice Through Redis"})
	if err != nil {
		t.Fatal(err)
	}
	member, err := fake.AddMember("c1000000-0001-4000-8004-000000000004", "joined@acme.example", "member")
	if err != nil {
		t.Fatal(err)
	}
	order, err := fake.UpdateOrder(orders[0].ID, map[string]any{"status": "refunded", "refunded_amount": orders[0].TotalAmount - orders[0].TaxAmount})
	if err != nil {
		t.Fatal(err)
	}
	g, err := fake.UpdateBenefitGrant(grant, map[string]any{"is_granted": false, "is_revoked": true, "revoked_at": now.Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	stateNow := rawGet(t, fake, "/v1/customers/"+aliceID+"/state")
	for _, e := range []struct {
		typ  string
		data any
	}{{"subscription.canceled", sub}, {"order.refunded", order}, {"benefit_grant.revoked", g},
		{"customer.state_changed", stateNow}, {"member.created", member}} {
		raw, err := json.Marshal(e.data)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, webhooks.Event{Type: e.typ, Timestamp: now, Data: raw, Org: replicaOrg, Connection: "conn-" + t.Name()})
	}
	before := b.polled.Load()
	for _, ev := range events {
		a.f.Publish(ctx, ev) // received by a
	}
	b.await(t, len(events))
	if o, err := b.c.ListOrders(ctx, ref, 0); err != nil || o[0].Status != "refunded" {
		t.Errorf("b's orders after order.refunded: %v, %v", o, err)
	}
	if st, err := b.c.CustomerState(ctx, ref); err != nil || hasGrant(st, grant) {
		t.Errorf("b's state after customer.state_changed: %+v, %v", st, err)
	}
	if s, err := b.c.ListSubscriptions(ctx, ref); err != nil || !s[0].CancelAtPeriodEnd {
		t.Errorf("b's subscriptions after subscription.canceled: %v, %v", s, err)
	}
	if got, built := b.c.IndexedMembers("joined@acme.example"); !built || len(got) != 1 {
		t.Errorf("b's member index after member.created: %v", got)
	}
	if n := b.polled.Load() - before; n != 0 {
		t.Errorf("b asked Polar %d times for what the webhooks carried", n)
	}

	// The order as it was, sent later but older: b keeps the refund.
	var old map[string]any
	raw, _ := json.Marshal(order)
	_ = json.Unmarshal(raw, &old)
	old["status"], old["refunded_amount"], old["modified_at"] = "paid", 0, now.Add(-time.Hour).Format(time.RFC3339Nano)
	raw, _ = json.Marshal(old)
	a.f.Publish(ctx, webhooks.Event{Type: "order.updated", Timestamp: now.Add(-time.Hour), Data: raw, Org: replicaOrg, Connection: "conn-" + t.Name()})
	b.await(t, 1)
	if o, _ := b.c.ListOrders(ctx, ref, 0); o[0].Status != "refunded" {
		t.Errorf("an older order event overwrote b's newer record: %s", o[0].Status)
	}

	// customer.updated: b answers alice's lookup from the record.
	raw, _ = json.Marshal(cust)
	before = b.polled.Load()
	a.f.Publish(ctx, webhooks.Event{Type: "customer.updated", Timestamp: now, Data: raw, Org: replicaOrg, Connection: "conn-" + t.Name()})
	b.await(t, 1)
	if c, err := b.c.FindCustomerByEmail(ctx, "alice@example.com"); err != nil || c.Name != "Alice Through Redis" {
		t.Errorf("b's lookup after customer.updated: %+v, %v", c, err)
	}
	if n := b.polled.Load() - before; n != 0 {
		t.Errorf("b asked Polar %d times for the lookup customer.updated carried", n)
	}
}

// rawGet returns what the fake answers to GET path, as Polar sends it.
func rawGet(t *testing.T, fake *fakepolar.Server, path string) json.RawMessage {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+fakepolar.DemoToken)
	rec := httptest.NewRecorder()
	fake.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

func hasGrant(st *polar.CustomerState, id string) bool {
	for _, g := range st.GrantedBenefits {
		if g.ID == id {
			return true
		}
	}
	return false
}
