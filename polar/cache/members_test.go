package cache_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
	"github.com/polar-mcp/polar-mcp/polar/cache"
)

const demoTeam = "c1000000-0001-4000-8004-000000000004"

// countPaths counts the requests whose path starts with prefix.
func countPaths(a *demoAPI, prefix string) int {
	n := 0
	for _, p := range a.paths() {
		if strings.HasPrefix(p, prefix) {
			n++
		}
	}
	return n
}

// TestMemberIndexFindsMembersByEmail: the index is listed once, then
// answers every email without a request; a member who is also an
// individual customer is found under both customers.
func TestMemberIndexFindsMembersByEmail(t *testing.T) {
	ctx := context.Background()
	a := startDemo(t, false)
	c := a.cached(t, cache.Config{})
	ken, err := c.FindMembersByEmail(ctx, "KEN@acme.example")
	if err != nil || len(ken) != 1 || ken[0].Role != polar.RoleMember || ken[0].CustomerID != demoTeam {
		t.Fatalf("ken: %+v, %v", ken, err)
	}
	listed := countPaths(a, "GET /v1/members/")
	if listed != 1 {
		t.Fatalf("the demo's members took %d pages, want 1", listed)
	}
	erin, err := c.FindMembersByEmail(ctx, "erin@example.com")
	if err != nil || len(erin) != 2 {
		t.Fatalf("erin is a team member and her own customer's owner: %+v, %v", erin, err)
	}
	for _, email := range []string{"billing@acme.example", "team@acme.example", "lena@acme.example"} {
		if m, err := c.FindMembersByEmail(ctx, email); err != nil || len(m) != 1 {
			t.Errorf("%s: %+v, %v", email, m, err)
		}
	}
	if n := countPaths(a, "GET /v1/members/"); n != listed {
		t.Errorf("hits asked Polar: %d member requests", n)
	}
	if got, built := c.IndexedMembers("ken@acme.example"); !built || len(got) != 1 {
		t.Errorf("IndexedMembers: %v %v", got, built)
	}
}

// TestMemberIndexMissRefreshIsBounded: without webhooks, a miss looks at
// the newest members (one page), at most once per MemberRefresh, and
// finds a member added since; misses in between ask nothing.
func TestMemberIndexMissRefreshIsBounded(t *testing.T) {
	ctx := context.Background()
	a := startDemo(t, false)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	c := a.cached(t, cache.Config{Now: clock})
	if _, err := c.FindMembersByEmail(ctx, "ken@acme.example"); err != nil {
		t.Fatal(err)
	}
	before := countPaths(a, "GET /v1/members/")
	if _, err := a.fake.AddMember(demoTeam, "new.hire@acme.example", polar.RoleMember); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if m, _ := c.FindMembersByEmail(ctx, "nobody@acme.example"); len(m) != 0 {
			t.Fatal("found nobody")
		}
	}
	if n := countPaths(a, "GET /v1/members/") - before; n != 0 {
		t.Fatalf("misses within MemberRefresh of the build asked Polar %d times", n)
	}
	mu.Lock()
	now = now.Add(cache.MemberRefresh)
	mu.Unlock()
	m, err := c.FindMembersByEmail(ctx, "new.hire@acme.example")
	if err != nil || len(m) != 1 {
		t.Fatalf("new member after refresh: %+v, %v", m, err)
	}
	if n := countPaths(a, "GET /v1/members/") - before; n != 1 {
		t.Errorf("the refresh took %d requests, want one newest-first page", n)
	}
	if r := a.fake.Requests(); r[len(r)-1].Query.Get("sorting") != "-created_at" {
		t.Errorf("refresh request %+v", r[len(r)-1])
	}
	for range 5 {
		_, _ = c.FindMembersByEmail(ctx, "still.nobody@acme.example")
	}
	if n := countPaths(a, "GET /v1/members/") - before; n != 1 {
		t.Errorf("misses right after a refresh asked Polar again: %d", n)
	}
}

// TestMemberIndexFollowsWebhooks: with webhooks, a member.updated
// (MemberStale) makes the next miss look that member up by id, one
// request, with no listing.
func TestMemberIndexFollowsWebhooks(t *testing.T) {
	ctx := context.Background()
	a := startDemo(t, false)
	c := a.cached(t, cache.Config{Invalidated: true})
	ken, err := c.FindMembersByEmail(ctx, "ken@acme.example")
	if err != nil || len(ken) != 1 {
		t.Fatal(ken, err)
	}
	if err := a.fake.UpdateMemberEmail(ken[0].ID, "kenneth@acme.example"); err != nil {
		t.Fatal(err)
	}
	before := len(a.paths())
	c.MemberStale(demoTeam, ken[0].ID)
	if m, _ := c.FindMembersByEmail(ctx, "ken@acme.example"); len(m) != 0 {
		t.Errorf("the old email still finds ken: %+v", m)
	}
	m, err := c.FindMembersByEmail(ctx, "kenneth@acme.example")
	if err != nil || len(m) != 1 || m[0].ID != ken[0].ID {
		t.Fatalf("new email: %+v, %v", m, err)
	}
	got := a.paths()[before:]
	if len(got) != 1 || got[0] != "GET /v1/customers/"+demoTeam+"/members/"+ken[0].ID {
		t.Errorf("requests after the webhook: %v", got)
	}
}

// mapShared is an in-memory Shared tier.
type mapShared struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *mapShared) Get(_ context.Context, k string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[k]
	return v, ok
}

func (s *mapShared) Set(_ context.Context, k string, v []byte, _ time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
}

func (s *mapShared) Del(_ context.Context, keys ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		delete(s.m, k)
	}
}

// TestMemberIndexIsShared: a second replica loads the first one's index
// from the Shared tier instead of listing the members again.
func TestMemberIndexIsShared(t *testing.T) {
	ctx := context.Background()
	a := startDemo(t, false)
	sh := &mapShared{m: map[string][]byte{}}
	one, two := a.cached(t, cache.Config{}), a.cached(t, cache.Config{})
	one.SetShared(sh)
	two.SetShared(sh)
	if _, err := one.FindMembersByEmail(ctx, "ken@acme.example"); err != nil {
		t.Fatal(err)
	}
	listed := countPaths(a, "GET /v1/members/")
	m, err := two.FindMembersByEmail(ctx, "lena@acme.example")
	if err != nil || len(m) != 1 {
		t.Fatalf("second replica: %+v, %v", m, err)
	}
	if n := countPaths(a, "GET /v1/members/"); n != listed {
		t.Errorf("the second replica listed members again (%d requests, want %d)", n, listed)
	}
}

// TestMemberIndexBuildOutlivesTheQuestion: a question whose time is up
// before a large organization's listing ends is told to try again, and
// the listing goes on, paced, for the next question.
func TestMemberIndexBuildOutlivesTheQuestion(t *testing.T) {
	a := startDemo(t, false)
	if err := a.fake.AddMembers(demoTeam, "big.example", 150); err != nil {
		t.Fatal(err)
	}
	c := a.cached(t, cache.Config{MemberPageInterval: 300 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.FindMembersByEmail(ctx, "member-149@big.example"); !errors.Is(err, cache.ErrIndexBuilding) {
		t.Fatalf("a question during the listing: %v", err)
	}
	eventually(t, "the listing ends without the question", func() bool { return c.MemberIndexSize() == 24+150 })
	m, err := c.FindMembersByEmail(context.Background(), "member-149@big.example")
	if err != nil || len(m) != 1 {
		t.Fatalf("after the listing: %v %v", m, err)
	}
	if n := countPaths(a, "GET /v1/members/"); n != 2 {
		t.Errorf("%d pages listed, want 2", n)
	}
}
