package fleet

import (
	"context"
	"testing"
	"time"
)

// collect subscribes to b and returns the channel of what it receives.
func collect(t *testing.T, ctx context.Context, b Bus) <-chan Invalidation {
	t.Helper()
	ch := make(chan Invalidation, 16)
	if err := b.Subscribe(ctx, func(inv Invalidation) { ch <- inv }); err != nil {
		t.Fatal(err)
	}
	return ch
}

// next returns the next invalidation other than KindAll.
func next(t *testing.T, ch <-chan Invalidation) Invalidation {
	t.Helper()
	for {
		select {
		case inv := <-ch:
			if inv.Kind != KindAll {
				return inv
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no invalidation arrived in 5s")
		}
	}
}

func TestRedisBusReachesEveryInstance(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	channel := prefix(t) + "inv"
	var subs []<-chan Invalidation
	var buses []*RedisBus
	for range 3 {
		b := NewRedisBus(client(t, nil), channel)
		buses = append(buses, b)
		subs = append(subs, collect(t, ctx, b))
	}
	want := Invalidation{Org: "org-1", Kind: KindBilling, CustomerID: "cus-1"}
	if err := buses[0].Publish(ctx, want); err != nil {
		t.Fatal(err)
	}
	for i, ch := range subs {
		if got := next(t, ch); got != want {
			t.Errorf("instance %d got %+v, want %+v", i, got, want)
		}
	}
	// The publisher's own subscriber got it once, not again via Redis.
	_ = buses[1].Publish(ctx, Invalidation{Org: "org-1", Kind: KindCatalog})
	if got := next(t, subs[0]); got.Kind != KindCatalog {
		t.Fatalf("instance 0 got %+v after its own message, want the catalog one", got)
	}
}

func TestRedisBusResubscribesAfterDisconnect(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	channel := prefix(t) + "inv"
	sub := NewRedisBus(client(t, nil), channel)
	ch := collect(t, ctx, sub)
	admin := client(t, nil)
	if err := admin.Do(ctx, "CLIENT", "KILL", "TYPE", "pubsub").Err(); err != nil {
		t.Fatal(err)
	}
	select {
	case inv := <-ch:
		if inv.Kind != KindAll {
			t.Fatalf("first message after the disconnect is %+v, want KindAll", inv)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no KindAll after the subscriber lost its connection")
	}
	pub := NewRedisBus(client(t, nil), channel)
	want := Invalidation{Org: "org-1", Kind: KindCustomer, CustomerID: "cus-2"}
	if err := pub.Publish(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got := next(t, ch); got != want {
		t.Fatalf("after reconnecting got %+v, want %+v", got, want)
	}
}

func TestLocalBusFansOut(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := NewLocalBus()
	a, c := collect(t, ctx, b), collect(t, ctx, b)
	want := Invalidation{Org: "o", Kind: KindOrganization}
	_ = b.Publish(ctx, want)
	if next(t, a) != want || next(t, c) != want {
		t.Fatal("a subscriber missed the invalidation")
	}
}
