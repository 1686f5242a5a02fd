package cache_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

const (
	demoBob          = "c1000000-0002-4000-8002-000000000002"
	aliceLicenseKey  = "1c000000-0001-4000-8001-000000000001"
	aliceLicenseGrnt = "b6000000-0001-4000-8001-000000000001"
)

func orderIDs(os []polar.Order) []string {
	var ids []string
	for _, o := range os {
		ids = append(ids, o.ID)
	}
	return ids
}

// TestOrderEventsWriteThrough: order.updated/order.refunded replace the
// order in every kept page of the customer's orders without asking
// Polar; a new order takes its place newest first within each page's
// limit; an older event after a newer one changes nothing; a record whose
// customer does not match is not written.
func TestOrderEventsWriteThrough(t *testing.T) {
	api := startHooked(t)
	c, ctx, ref := api.c, context.Background(), polar.ByID(demoAlice)
	page, err := c.ListOrders(ctx, ref, 2)
	if err != nil || len(page) != 2 {
		t.Fatalf("alice's first 2 orders: %v, %v", page, err)
	}
	all, err := c.ListOrders(ctx, ref, 0)
	if err != nil || len(all) < 3 || len(all) >= 10 {
		t.Fatalf("alice's orders: %d, %v", len(all), err)
	}
	first := all[0]
	if first.Status != "paid" {
		t.Fatalf("alice's newest order is %s", first.Status)
	}
	api.asked()

	// A partial refund, then a full one: two events each (updated, refunded).
	if _, err := api.fake.UpdateOrder(first.ID, map[string]any{"status": "partially_refunded", "refunded_amount": 100}); err != nil {
		t.Fatal(err)
	}
	api.delivered(t, 2)
	partial := api.hooks.last(t, "order.refunded")
	if _, err := api.fake.UpdateOrder(first.ID, map[string]any{"status": "refunded", "refunded_amount": first.TotalAmount - first.TaxAmount}); err != nil {
		t.Fatal(err)
	}
	api.delivered(t, 2)
	for _, limit := range []int{2, 0} {
		got, err := c.ListOrders(ctx, ref, limit)
		if err != nil || !slices.Equal(orderIDs(got), orderIDs(map[int][]polar.Order{2: page, 0: all}[limit])) {
			t.Fatalf("limit %d after the refund: %v, %v", limit, orderIDs(got), err)
		}
		if got[0].Status != "refunded" || got[0].RefundedAmount != first.TotalAmount-first.TaxAmount {
			t.Errorf("limit %d: newest order %s refunded %d, want the full refund written through", limit, got[0].Status, got[0].RefundedAmount)
		}
	}
	if n := api.asked(); n != 0 {
		t.Errorf("written-through orders asked Polar %d times", n)
	}

	// The partial refund's event delivered again, late: nothing changes.
	if !c.WriteThrough(partial.Type, partial.Data, partial.Timestamp) {
		t.Fatal("a late event was not handled (it must be ignored, not dropped)")
	}
	if got, _ := c.ListOrders(ctx, ref, 2); got[0].Status != "refunded" {
		t.Errorf("an older order event overwrote the newer record: %s", got[0].Status)
	}

	// A new order: first on every page, the page of 2 still 2 long.
	now := time.Now()
	created := with(t, partial.Data, map[string]any{"id": "0e000000-0001-4000-8001-0000000000ff",
		"created_at": stamp(now), "modified_at": stamp(now), "status": "paid", "refunded_amount": 0})
	if !c.WriteThrough("order.created", created, now) {
		t.Fatal("order.created not written through")
	}
	p2, _ := c.ListOrders(ctx, ref, 2)
	a2, _ := c.ListOrders(ctx, ref, 0)
	if len(p2) != 2 || p2[0].ID != "0e000000-0001-4000-8001-0000000000ff" || p2[1].ID != first.ID {
		t.Errorf("page of 2 after order.created: %v", orderIDs(p2))
	}
	if len(a2) != len(all)+1 || a2[0].ID != "0e000000-0001-4000-8001-0000000000ff" {
		t.Errorf("all orders after order.created: %v", orderIDs(a2))
	}
	// An order older than a full page is not on it; the unbounded list
	// gets it last.
	old := with(t, partial.Data, map[string]any{"id": "0e000000-0001-4000-8001-0000000000fe",
		"created_at": stamp(now.AddDate(-5, 0, 0)), "modified_at": stamp(now)})
	c.WriteThrough("order.created", old, now)
	if p3, _ := c.ListOrders(ctx, ref, 2); !slices.Equal(orderIDs(p3), orderIDs(p2)) {
		t.Errorf("an order older than the full page changed it: %v", orderIDs(p3))
	}
	if a3, _ := c.ListOrders(ctx, ref, 0); len(a3) != len(a2)+1 || a3[len(a3)-1].ID != "0e000000-0001-4000-8001-0000000000fe" {
		t.Errorf("the oldest order is not last: %v", orderIDs(a3))
	}
	if n := api.asked(); n != 0 {
		t.Errorf("written-through orders asked Polar %d times", n)
	}

	// Identity: an order naming alice but embedding bob is not written
	// (the caller drops instead); bob's own order never reaches alice's.
	mixed := with(t, partial.Data, map[string]any{"id": "0e000000-0001-4000-8001-0000000000fd",
		"customer_id": demoAlice, "customer": map[string]any{"id": demoBob, "email": bobEmail}, "modified_at": stamp(now)})
	if c.WriteThrough("order.updated", mixed, now) {
		t.Error("an order whose embedded customer is not its customer was written")
	}
	bobs := with(t, partial.Data, map[string]any{"id": "0e000000-0001-4000-8001-0000000000fc", "created_at": stamp(now.Add(time.Hour)),
		"customer_id": demoBob, "customer": map[string]any{"id": demoBob, "email": bobEmail}, "modified_at": stamp(now)})
	if !c.WriteThrough("order.created", bobs, now) {
		t.Error("bob's order not handled")
	}
	for _, o := range append(mustOrders(t, c, ref, 2), mustOrders(t, c, ref, 0)...) {
		if o.Customer == nil || o.Customer.ID != demoAlice {
			t.Errorf("alice's orders hold %s of %v", o.ID, o.Customer)
		}
	}
}

func mustOrders(t *testing.T, c interface {
	ListOrders(context.Context, polar.CustomerRef, int) ([]polar.Order, error)
}, ref polar.CustomerRef, limit int) []polar.Order {
	t.Helper()
	o, err := c.ListOrders(context.Background(), ref, limit)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestGrantEventsWriteThrough: a revoked license-key grant shows revoked
// in the grants list and leaves the granted-to-member list without
// asking Polar; the state comes from customer.state_changed; the license
// key's details (an enrichment) are asked again; an older grant event
// after it changes nothing.
func TestGrantEventsWriteThrough(t *testing.T) {
	api := startHooked(t)
	c, ctx, ref := api.c, context.Background(), polar.ByID(demoAlice)
	grants, err := c.ListBenefitGrants(ctx, ref)
	if err != nil || !slices.ContainsFunc(grants, func(g polar.Grant) bool { return g.ID == aliceLicenseGrnt && !g.IsRevoked }) {
		t.Fatalf("alice's grants: %v, %v", grants, err)
	}
	mg, err := c.MemberGrants(ctx, ref)
	if err != nil || !slices.ContainsFunc(mg, func(g polar.MemberGrant) bool { return g.ID == aliceLicenseGrnt }) {
		t.Fatalf("alice's granted grants: %v, %v", mg, err)
	}
	if _, err := c.CustomerState(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LicenseKey(ctx, aliceLicenseKey); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LicenseKey(ctx, aliceLicenseKey); err != nil {
		t.Fatal(err)
	}
	if n := api.asked(); n != 3 {
		t.Errorf("grants, granted grants (from the grants list), state and the license key (twice) asked Polar %d times, want 3", n)
	}

	now := time.Now().UTC()
	if _, err := api.fake.UpdateBenefitGrant(aliceLicenseGrnt, map[string]any{"is_granted": false, "is_revoked": true, "revoked_at": stamp(now)}); err != nil {
		t.Fatal(err)
	}
	api.delivered(t, 3) // benefit_grant.updated, benefit_grant.revoked, customer.state_changed
	grants, _ = c.ListBenefitGrants(ctx, ref)
	i := slices.IndexFunc(grants, func(g polar.Grant) bool { return g.ID == aliceLicenseGrnt })
	if i < 0 || !grants[i].IsRevoked || grants[i].IsGranted {
		t.Errorf("revoked grant in the list: %+v", grants)
	}
	if mg, _ := c.MemberGrants(ctx, ref); slices.ContainsFunc(mg, func(g polar.MemberGrant) bool { return g.ID == aliceLicenseGrnt }) {
		t.Error("the revoked grant is still among the granted ones")
	}
	st, err := c.CustomerState(ctx, ref)
	if err != nil || slices.ContainsFunc(st.GrantedBenefits, func(g polar.BenefitGrant) bool { return g.ID == aliceLicenseGrnt }) {
		t.Errorf("state after the revocation: %+v, %v", st, err)
	}
	if n := api.asked(); n != 0 {
		t.Errorf("written-through grants and state asked Polar %d times", n)
	}
	if _, err := c.LicenseKey(ctx, aliceLicenseKey); err != nil {
		t.Fatal(err)
	}
	if n := api.asked(); n != 1 {
		t.Errorf("the license key after its grant changed: %d requests, want 1 (dropped)", n)
	}

	// The grant as it was, delivered late: nothing changes.
	late := with(t, api.hooks.last(t, "benefit_grant.updated").Data, map[string]any{"is_granted": true, "is_revoked": false,
		"revoked_at": nil, "modified_at": stamp(now.Add(-time.Hour))})
	if !c.WriteThrough("benefit_grant.updated", late, now.Add(-time.Hour)) {
		t.Fatal("a late grant event was not handled")
	}
	if mg, _ := c.MemberGrants(ctx, ref); slices.ContainsFunc(mg, func(g polar.MemberGrant) bool { return g.ID == aliceLicenseGrnt }) {
		t.Error("an older grant event granted it again")
	}
	lateState := api.hooks.last(t, "customer.state_changed")
	older := with(t, lateState.Data, nil)
	if !c.WriteThrough("customer.state_changed", older, now.Add(-time.Hour)) {
		t.Fatal("a late state was not handled")
	}
	if n := api.asked(); n != 0 {
		t.Errorf("late events asked Polar %d times", n)
	}

	// Identity: a grant naming alice but embedding bob is not written.
	mixed := with(t, late, map[string]any{"customer": map[string]any{"id": demoBob, "email": bobEmail}, "modified_at": stamp(now.Add(time.Hour))})
	if c.WriteThrough("benefit_grant.updated", mixed, now.Add(time.Hour)) {
		t.Error("a grant whose embedded customer is not its customer was written")
	}
}

// TestStateAndSubscriptionEvents: a cancellation writes the subscription
// through and customer.state_changed writes the whole state; a state
// older than the subscription event that dropped it is not written.
func TestStateAndSubscriptionEvents(t *testing.T) {
	api := startHooked(t)
	c, ctx, ref := api.c, context.Background(), polar.ByID(demoAlice)
	subs, err := c.ListSubscriptions(ctx, ref)
	if err != nil || len(subs) == 0 {
		t.Fatal(subs, err)
	}
	st, err := c.CustomerState(ctx, ref)
	if err != nil || len(st.ActiveSubscriptions) == 0 {
		t.Fatalf("alice's state: %+v, %v", st, err)
	}
	oldState := st
	api.asked()
	if _, err := api.fake.UpdateSubscription(subs[0].ID, map[string]any{"status": "canceled", "ended_at": stamp(time.Now())}); err != nil {
		t.Fatal(err)
	}
	api.delivered(t, 4) // subscription.updated, .canceled, .revoked, customer.state_changed
	got, _ := c.ListSubscriptions(ctx, ref)
	if got[0].Status != "canceled" {
		t.Errorf("subscription after the event: %s", got[0].Status)
	}
	st, _ = c.CustomerState(ctx, ref)
	if slices.ContainsFunc(st.ActiveSubscriptions, func(s polar.Subscription) bool { return s.ID == subs[0].ID }) {
		t.Errorf("state still shows the canceled subscription active")
	}
	if n := api.asked(); n != 0 {
		t.Errorf("written-through subscription and state asked Polar %d times", n)
	}
	// A state from before the cancellation, late: not written.
	ev := api.hooks.last(t, "customer.state_changed")
	stale := with(t, ev.Data, map[string]any{"active_subscriptions": oldState.ActiveSubscriptions})
	c.WriteThrough("customer.state_changed", stale, ev.Timestamp.Add(-time.Minute))
	if st, _ = c.CustomerState(ctx, ref); slices.ContainsFunc(st.ActiveSubscriptions, func(s polar.Subscription) bool { return s.ID == subs[0].ID }) {
		t.Errorf("an older state overwrote the newer one")
	}
}

// TestCustomerEventsWriteThrough: customer.updated answers the lookup of
// the customer's email from its record and drops its portal sessions;
// an older customer.updated changes nothing; customer.deleted leaves
// "no such customer".
func TestCustomerEventsWriteThrough(t *testing.T) {
	api := startHooked(t)
	c := api.c
	ctx := caller.With(context.Background(), caller.Identity{Role: caller.Customer, Email: aliceEmail})
	if _, err := c.FindCustomerByEmail(ctx, aliceEmail); err != nil {
		t.Fatal(err)
	}
	s1, err := c.CreateCustomerSession(ctx, polar.ByID(demoAlice))
	if err != nil {
		t.Fatal(err)
	}
	if s2, _ := c.CreateCustomerSession(ctx, polar.ByID(demoAlice)); s2.ID != s1.ID {
		t.Fatal("the session was not reused while webhooks arrive")
	}
	api.asked()
	if _, err := api.fake.UpdateCustomer(demoAlice, map[string]any{"name": "Alice Renamed"}); err != nil {
		t.Fatal(err)
	}
	api.delivered(t, 2) // customer.updated, customer.state_changed
	cu, err := c.FindCustomerByEmail(ctx, aliceEmail)
	if err != nil || cu.Name != "Alice Renamed" || cu.Kept {
		t.Errorf("lookup after customer.updated: %+v, %v", cu, err)
	}
	if n := api.asked(); n != 0 {
		t.Errorf("the written-through lookup asked Polar %d times", n)
	}
	if s3, _ := c.CreateCustomerSession(ctx, polar.ByID(demoAlice)); s3.ID == s1.ID {
		t.Error("a portal session was reused after customer.updated")
	}
	ev := api.hooks.last(t, "customer.updated")
	late := with(t, ev.Data, map[string]any{"name": "Alice Before", "modified_at": stamp(ev.Timestamp.Add(-time.Hour))})
	if !c.WriteThrough("customer.updated", late, ev.Timestamp.Add(-time.Hour)) {
		t.Fatal("a late customer.updated was not handled")
	}
	if cu, _ := c.FindCustomerByEmail(ctx, aliceEmail); cu.Name != "Alice Renamed" {
		t.Errorf("an older customer.updated overwrote the lookup: %s", cu.Name)
	}
	api.asked()
	if !c.WriteThrough("customer.deleted", ev.Data, ev.Timestamp) {
		t.Fatal("customer.deleted not handled")
	}
	if _, err := c.FindCustomerByEmail(ctx, aliceEmail); !errors.Is(err, polar.ErrCustomerNotFound) {
		t.Errorf("lookup after customer.deleted: %v", err)
	}
	if n := api.asked(); n != 0 {
		t.Errorf("a deleted customer's lookup asked Polar %d times", n)
	}
	if !c.WriteThrough("customer.updated", late, ev.Timestamp.Add(-time.Hour)) {
		t.Fatal("a late customer.updated was not handled")
	}
	if _, err := c.FindCustomerByEmail(ctx, aliceEmail); !errors.Is(err, polar.ErrCustomerNotFound) {
		t.Errorf("an older customer.updated brought a deleted customer back: %v", err)
	}
}

// TestRefundAndCatalogEventsDropEnrichments: the disputes kept for a
// customer's orders go with refund.* and order.refunded; a product kept
// by id goes with product.* (ForgetCatalog).
func TestRefundAndCatalogEventsDropEnrichments(t *testing.T) {
	api := startHooked(t)
	c, ctx, ref := api.c, context.Background(), polar.ByID(demoAlice)
	orders := mustOrders(t, c, ref, 0)
	ids := orderIDs(orders)
	disputes := func() int {
		api.asked()
		if _, err := c.ListDisputes(ctx, ids); err != nil {
			t.Fatal(err)
		}
		return api.asked()
	}
	if n := disputes(); n != 1 {
		t.Fatalf("first disputes: %d requests", n)
	}
	if n := disputes(); n != 0 {
		t.Fatalf("kept disputes: %d requests", n)
	}
	refund := []byte(`{"id":"0f000000-0001-4000-8001-000000000001","customer_id":"` + demoAlice + `","order_id":"` + ids[0] + `","status":"succeeded"}`)
	if !c.WriteThrough("refund.created", refund, time.Now()) {
		t.Fatal("refund.created not handled")
	}
	if n := disputes(); n != 1 {
		t.Errorf("disputes after refund.created: %d requests, want 1 (dropped)", n)
	}
	mustOrders(t, c, ref, 0)
	if _, err := api.fake.UpdateOrder(ids[0], map[string]any{"status": "refunded"}); err != nil {
		t.Fatal(err)
	}
	api.delivered(t, 2)
	if n := disputes(); n != 1 {
		t.Errorf("disputes after order.refunded: %d requests, want 1 (dropped)", n)
	}

	pid := *orders[0].ProductID
	if _, err := c.GetProduct(ctx, pid); err != nil {
		t.Fatal(err)
	}
	api.asked()
	if _, err := c.GetProduct(ctx, pid); err != nil || api.asked() != 0 {
		t.Fatalf("kept product: %v", err)
	}
	c.ForgetCatalog()
	if _, err := c.GetProduct(ctx, pid); err != nil || api.asked() != 1 {
		t.Errorf("product after product.updated not asked again: %v", err)
	}
}

// TestMemberEventsWriteThrough: member.created and member.updated put the
// member into the built index without asking Polar (a new email finds
// it, the old one no longer does); an older member.updated changes
// nothing; member.deleted removes it.
func TestMemberEventsWriteThrough(t *testing.T) {
	api := startHooked(t)
	c, ctx := api.c, context.Background()
	if _, err := c.FindMembersByEmail(ctx, "ken@acme.example"); err != nil {
		t.Fatal(err)
	}
	api.asked()
	m, err := api.fake.AddMember(demoTeam, "new.hire@acme.example", polar.RoleMember)
	if err != nil {
		t.Fatal(err)
	}
	api.delivered(t, 1)
	if got, built := c.IndexedMembers("new.hire@acme.example"); !built || len(got) != 1 || got[0].ID != m["id"] {
		t.Errorf("member.created not in the index: %+v", got)
	}
	if err := api.fake.UpdateMemberEmail(m["id"].(string), "renamed@acme.example"); err != nil {
		t.Fatal(err)
	}
	api.delivered(t, 1)
	if got, _ := c.IndexedMembers("renamed@acme.example"); len(got) != 1 {
		t.Errorf("member.updated's new email not indexed: %+v", got)
	}
	if got, _ := c.IndexedMembers("new.hire@acme.example"); len(got) != 0 {
		t.Errorf("the old email still finds the member: %+v", got)
	}
	ev := api.hooks.last(t, "member.updated")
	late := with(t, ev.Data, map[string]any{"email": "new.hire@acme.example", "modified_at": stamp(ev.Timestamp.Add(-time.Hour))})
	if !c.WriteThrough("member.updated", late, ev.Timestamp.Add(-time.Hour)) {
		t.Fatal("a late member.updated was not handled")
	}
	if got, _ := c.IndexedMembers("new.hire@acme.example"); len(got) != 0 {
		t.Errorf("an older member.updated came back: %+v", got)
	}
	if n := api.asked(); n != 0 {
		t.Errorf("written-through members asked Polar %d times", n)
	}
	if !c.WriteThrough("member.deleted", ev.Data, ev.Timestamp) {
		t.Fatal("member.deleted not handled")
	}
	if got, _ := c.IndexedMembers("renamed@acme.example"); len(got) != 0 {
		t.Errorf("a deleted member is still indexed: %+v", got)
	}
}

// TestMemberSessionDroppedByMemberEvents: a member's portal session is
// handed out again to the same member while webhooks arrive, never to
// another member of the team, and not after a member event of that
// team; customer.state_changed does not drop it.
func TestMemberSessionDroppedByMemberEvents(t *testing.T) {
	api := startHooked(t)
	c := api.c
	ken, err := c.FindMembersByEmail(context.Background(), "ken@acme.example")
	if err != nil || len(ken) != 1 {
		t.Fatal(ken, err)
	}
	kenCtx := caller.With(context.Background(), caller.Identity{Role: caller.Customer, Email: "ken@acme.example"})
	ref := polar.ByID(demoTeam)
	s1, err := c.CreateMemberSession(kenCtx, ref, ken[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if s2, _ := c.CreateMemberSession(kenCtx, ref, ken[0].ID); s2.ID != s1.ID || !s2.ExpiresAt.Equal(s1.ExpiresAt) {
		t.Fatal("ken's session was not reused with its own expiry")
	}
	priya, err := c.FindMembersByEmail(context.Background(), "team@acme.example")
	if err != nil || len(priya) != 1 {
		t.Fatal(priya, err)
	}
	priyaCtx := caller.With(context.Background(), caller.Identity{Role: caller.Customer, Email: "team@acme.example"})
	if s, _ := c.CreateMemberSession(priyaCtx, ref, priya[0].ID); s.ID == s1.ID {
		t.Fatal("another member of the team got ken's session")
	}
	state := []byte(`{"id":"` + demoTeam + `","email":"team@acme.example","type":"team","active_subscriptions":[],"granted_benefits":[],"active_meters":[]}`)
	c.WriteThrough("customer.state_changed", state, time.Now())
	if s, _ := c.CreateMemberSession(kenCtx, ref, ken[0].ID); s.ID != s1.ID {
		t.Error("customer.state_changed dropped ken's session")
	}
	if err := api.fake.UpdateMemberEmail(priya[0].ID, "priya@acme.example"); err != nil {
		t.Fatal(err)
	}
	api.delivered(t, 1)
	if s, _ := c.CreateMemberSession(kenCtx, ref, ken[0].ID); s.ID == s1.ID {
		t.Error("ken's session was reused after a member event of his team")
	}
}

// TestSubscriptionEventPatchesKeptState: before customer.state_changed
// arrives, a canceled subscription already leaves the kept state's
// active subscriptions, without asking Polar.
func TestSubscriptionEventPatchesKeptState(t *testing.T) {
	api := startHooked(t)
	c, ctx, ref := api.c, context.Background(), polar.ByID(demoAlice)
	st, err := c.CustomerState(ctx, ref)
	if err != nil || len(st.ActiveSubscriptions) == 0 {
		t.Fatal(st, err)
	}
	id := st.ActiveSubscriptions[0].ID
	api.asked()
	now := time.Now()
	if !c.WriteThrough("subscription.revoked", subEvent(id, "canceled", now), now) {
		t.Fatal("not handled")
	}
	st, err = c.CustomerState(ctx, ref)
	if err != nil || slices.ContainsFunc(st.ActiveSubscriptions, func(s polar.Subscription) bool { return s.ID == id }) {
		t.Errorf("state after subscription.revoked: %+v, %v", st, err)
	}
	c.WriteThrough("subscription.active", subEvent(id, "active", now.Add(time.Second)), now.Add(time.Second))
	st, _ = c.CustomerState(ctx, ref)
	if !slices.ContainsFunc(st.ActiveSubscriptions, func(s polar.Subscription) bool { return s.ID == id && s.Customer == nil }) {
		t.Errorf("state after subscription.active: %+v", st.ActiveSubscriptions)
	}
	if n := api.asked(); n != 0 {
		t.Errorf("patched state asked Polar %d times", n)
	}
}

// TestMemberGrantsFromTheKeptGrantsList: while a customer's whole grants
// list is kept, the granted ones (with the member each is for) are
// answered from it: GET /v1/benefit-grants/ is asked once for both.
func TestMemberGrantsFromTheKeptGrantsList(t *testing.T) {
	api := startHooked(t)
	c, ctx, ref := api.c, context.Background(), polar.ByID(demoTeam)
	all, err := c.ListBenefitGrants(ctx, ref)
	if err != nil || len(all) == 0 {
		t.Fatal(all, err)
	}
	api.asked()
	got, err := c.MemberGrants(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if n := api.asked(); n != 0 {
		t.Errorf("granted grants asked Polar %d times with the whole list kept", n)
	}
	c2 := (&demoAPI{fake: api.fake, url: api.url}).cached(t, cache.Config{MaxBytes: -1})
	want, err := c2.MemberGrants(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	key := func(g polar.MemberGrant) string {
		m := ""
		if g.MemberID != nil {
			m = *g.MemberID
		}
		return g.ID + "/" + g.CustomerID + "/" + m
	}
	var gk, wk []string
	for _, g := range got {
		gk = append(gk, key(g))
	}
	for _, g := range want {
		wk = append(wk, key(g))
	}
	slices.Sort(gk)
	slices.Sort(wk)
	if len(wk) == 0 || !slices.Equal(gk, wk) {
		t.Errorf("granted grants from the list %v, Polar's %v", gk, wk)
	}
}

// TestLicenseKeyKeptLikeItsGrant: while webhooks arrive, a license key's
// details are kept as long as billing answers (past the catalog's
// minute) until a benefit_grant event drops them; without webhooks they
// are served at most the catalog's TTL old.
func TestLicenseKeyKeptLikeItsGrant(t *testing.T) {
	api := startDemo(t, false)
	var mu sync.Mutex
	now, fresh := time.Now(), true
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c := api.cached(t, cache.Config{BillingTTL: 10 * time.Minute, Invalidated: true, Now: clock,
		Fresh: func() bool { mu.Lock(); defer mu.Unlock(); return fresh }})
	ctx := context.Background()
	asked := func() int {
		n := countPaths(api, "GET /v1/license-keys/")
		api.fake.ResetRequests()
		return n
	}
	if _, err := c.LicenseKey(ctx, aliceLicenseKey); err != nil {
		t.Fatal(err)
	}
	asked()
	mu.Lock()
	now = now.Add(2 * cache.DefaultCatalogTTL)
	mu.Unlock()
	if _, err := c.LicenseKey(ctx, aliceLicenseKey); err != nil || asked() != 0 {
		t.Errorf("the key was asked again within the billing TTL while webhooks arrive: %v", err)
	}
	mu.Lock()
	fresh = false
	mu.Unlock()
	if _, err := c.LicenseKey(ctx, aliceLicenseKey); err != nil || asked() != 1 {
		t.Errorf("without webhooks a key older than the catalog TTL was served: %v", err)
	}
}

// TestSubscriptionOfAnotherCustomerNotWritten: a subscription whose
// customer_id and embedded customer disagree is not written (the caller
// drops instead), and bob's subscription never enters alice's list.
func TestSubscriptionOfAnotherCustomerNotWritten(t *testing.T) {
	api := startHooked(t)
	c, ctx, ref := api.c, context.Background(), polar.ByID(demoAlice)
	subs, err := c.ListSubscriptions(ctx, ref)
	if err != nil || len(subs) == 0 {
		t.Fatal(subs, err)
	}
	now := time.Now()
	mixed := with(t, subEvent(subs[0].ID, "canceled", now), map[string]any{"customer": map[string]any{"id": demoBob, "email": bobEmail}})
	if c.WriteThrough("subscription.canceled", mixed, now) {
		t.Error("a subscription whose embedded customer is not its customer was written")
	}
	bobs := with(t, subEvent("5b000000-0002-4000-8002-0000000000ff", "active", now), map[string]any{"customer_id": demoBob,
		"customer": map[string]any{"id": demoBob, "email": bobEmail}})
	if !c.WriteThrough("subscription.created", bobs, now) {
		t.Error("bob's subscription not handled")
	}
	got, _ := c.ListSubscriptions(ctx, ref)
	for _, s := range got {
		if s.Customer == nil || s.Customer.ID != demoAlice || s.Status != subs[0].Status && s.ID == subs[0].ID {
			t.Errorf("alice's subscriptions hold %s (%s) of %v", s.ID, s.Status, s.Customer)
		}
	}
}
