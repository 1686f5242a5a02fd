package cache

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// The member index
//
// Polar's /v1/members/ has no email filter, so finding the member an email
// names takes a per-organization index (email -> members), built once by
// listing the members page by page (100 a page, through the organization's
// limiter like every call), and then kept fresh:
//
//   - member.* and customer_seat.* webhooks update it (MemberChanged,
//     MemberDeleted), without asking Polar;
//   - without webhooks (or while they are not arriving), a miss looks at
//     the newest members again, at most once per MemberRefresh, a page or
//     two, never the full listing; the full listing is redone only when
//     the index is older than MemberIndexTTL;
//   - with a Shared tier (Redis), the index is stored there, so replicas
//     build it once between them and load each other's updates.

const (
	// MemberRefresh is the shortest time between two looks at the newest
	// members on a miss.
	MemberRefresh = 30 * time.Second
	// MemberIndexTTL is how long an index lives without webhooks before it
	// is listed again in full.
	MemberIndexTTL = time.Hour
	// DefaultMemberPageInterval is Config.MemberPageInterval's default:
	// 4 pages a second, 240 requests a minute, about half of Polar's
	// production budget after headroom (450).
	DefaultMemberPageInterval = 250 * time.Millisecond
	// buildTimeout bounds a full listing, which outlives the question
	// that started it.
	buildTimeout = 15 * time.Minute
	// maxMemberPages bounds a full listing (100,000 members).
	maxMemberPages = 1000
	// maxStale bounds the members marked for a lookup by id; beyond it the
	// index is listed again.
	maxStale = 100
	// refreshPages bounds the newest-first look on a miss.
	refreshPages = 2
	// sharedIndexKey and sharedStampKey hold the index in the Shared tier.
	sharedIndexKey = "members:index"
	sharedStampKey = "members:stamp"
)

// memberIndex is one organization's email -> members index.
type memberIndex struct {
	mu        sync.Mutex
	byEmail   map[string][]polar.Member // normalized email
	emailOf   map[string]string         // member id -> normalized email
	built     time.Time                 // zero: not built
	stamp     int64                     // version of the shared copy this one matches
	refreshed time.Time                 // last newest-first look
	// stale are members a webhook said changed, by id, with their
	// customer: looked up again (one request each) on the next miss.
	stale map[string]string
}

// sharedIndex is the index as the Shared tier holds it.
type sharedIndex struct {
	Built   time.Time      `json:"built"`
	Members []polar.Member `json:"members"`
}

func (ix *memberIndex) put(m polar.Member) {
	if old, ok := ix.emailOf[m.ID]; ok {
		ix.drop(m.ID, old)
	}
	e := caller.NormalizeEmail(m.Email)
	ix.byEmail[e] = append(ix.byEmail[e], m)
	ix.emailOf[m.ID] = e
}

func (ix *memberIndex) drop(id, email string) {
	list := ix.byEmail[email]
	kept := list[:0]
	for _, m := range list {
		if m.ID != id {
			kept = append(kept, m)
		}
	}
	if len(kept) == 0 {
		delete(ix.byEmail, email)
	} else {
		ix.byEmail[email] = kept
	}
	delete(ix.emailOf, id)
}

func (ix *memberIndex) reset(members []polar.Member, built time.Time) {
	ix.byEmail = make(map[string][]polar.Member, len(members))
	ix.emailOf = make(map[string]string, len(members))
	for _, m := range members {
		ix.put(m)
	}
	ix.built = built
}

func (ix *memberIndex) all() []polar.Member {
	out := make([]polar.Member, 0, len(ix.emailOf))
	for _, list := range ix.byEmail {
		out = append(out, list...)
	}
	return out
}

// Size reports how many members the index holds (0 before it is built).
func (c *Client) MemberIndexSize() int {
	c.members.mu.Lock()
	defer c.members.mu.Unlock()
	return len(c.members.emailOf)
}

func (c *Client) membersInner() (polar.Members, error) {
	m, ok := c.inner.(polar.Members)
	if !ok {
		return nil, errors.New("cache: the Polar client has no member operations")
	}
	return m, nil
}

// FindMembersByEmail returns the members (of any customer) whose email is
// the same mailbox as email, building the index first if need be. A miss
// may look at the newest members once per MemberRefresh.
func (c *Client) FindMembersByEmail(ctx context.Context, email string) ([]polar.Member, error) {
	email = caller.NormalizeEmail(email)
	if err := c.ensureIndex(ctx); err != nil {
		return nil, err
	}
	if found := c.indexed(email); len(found) > 0 {
		return found, nil
	}
	c.loadShared(ctx)
	if err := c.lookStale(ctx); err != nil {
		return nil, err
	}
	if found := c.indexed(email); len(found) > 0 || !c.mayRefresh() {
		return found, nil
	}
	if err := c.refreshNewest(ctx); err != nil {
		return nil, err
	}
	return c.indexed(email), nil
}

// IndexedMembers returns the members an already built index holds for
// email, and false when the index is not built: it never asks Polar.
func (c *Client) IndexedMembers(email string) ([]polar.Member, bool) {
	c.members.mu.Lock()
	built := !c.members.built.IsZero()
	c.members.mu.Unlock()
	if !built {
		return nil, false
	}
	return c.indexed(caller.NormalizeEmail(email)), true
}

func (c *Client) indexed(email string) []polar.Member {
	c.members.mu.Lock()
	defer c.members.mu.Unlock()
	var out []polar.Member
	for _, m := range c.members.byEmail[email] {
		if caller.SameEmail(m.Email, email) {
			out = append(out, m)
		}
	}
	return out
}

// mayRefresh reports whether a miss may look at the newest members now:
// not while webhooks keep the index, and at most once per MemberRefresh.
func (c *Client) mayRefresh() bool {
	if c.invalidated && (c.fresh == nil || c.fresh()) {
		return false
	}
	c.members.mu.Lock()
	defer c.members.mu.Unlock()
	now := c.now()
	if now.Sub(c.members.refreshed) < MemberRefresh {
		return false
	}
	c.members.refreshed = now
	return true
}

// ensureIndex builds the index when it is not built or too old, once at a
// time (identical builds in flight are made once).
func (c *Client) ensureIndex(ctx context.Context) error {
	c.members.mu.Lock()
	built := c.members.built
	c.members.mu.Unlock()
	webhooks := c.invalidated && (c.fresh == nil || c.fresh())
	if !built.IsZero() && (webhooks || c.now().Sub(built) < MemberIndexTTL) {
		return nil
	}
	if c.loadShared(ctx) {
		return nil
	}
	// The listing outlives the question that started it: a large
	// organization's takes a while, paced, and the next question finds
	// it done.
	ch := c.group.DoChan("members:index", func() (any, error) {
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), buildTimeout)
		defer cancel()
		return nil, c.buildIndex(bctx)
	})
	select {
	case r := <-ch:
		return r.Err
	case <-ctx.Done():
		return ErrIndexBuilding
	}
}

// ErrIndexBuilding is returned while the member index is still being
// listed when the question's time is up.
var ErrIndexBuilding = errors.New("the organization's team members are still being read from Polar; please try again in a minute")

// buildIndex lists every member, page by page.
func (c *Client) buildIndex(ctx context.Context) error {
	inner, err := c.membersInner()
	if err != nil {
		return err
	}
	var all []polar.Member
	for page := 1; page <= maxMemberPages; page++ {
		p, err := inner.ListMembers(ctx, polar.MemberQuery{Page: page})
		if err != nil {
			return err
		}
		all = append(all, p.Items...)
		if page >= p.Pagination.MaxPage {
			break
		}
		if c.pageEvery > 0 {
			if err := polar.Sleep(ctx, c.pageEvery); err != nil {
				return err
			}
		}
	}
	now := c.now()
	c.members.mu.Lock()
	c.members.reset(all, now)
	c.members.refreshed = now
	c.members.mu.Unlock()
	c.storeShared(ctx)
	return nil
}

// refreshNewest looks at the newest members, newest first, until a page
// holds one the index knows.
func (c *Client) refreshNewest(ctx context.Context) error {
	inner, err := c.membersInner()
	if err != nil {
		return err
	}
	changed := false
	for page := 1; page <= refreshPages; page++ {
		p, err := inner.ListMembers(ctx, polar.MemberQuery{Page: page, NewestFirst: true})
		if err != nil {
			return err
		}
		known := false
		c.members.mu.Lock()
		for _, m := range p.Items {
			if e, ok := c.members.emailOf[m.ID]; ok && caller.SameEmail(e, m.Email) {
				known = true
				continue
			}
			c.members.put(m)
			changed = true
		}
		c.members.mu.Unlock()
		if known || page >= p.Pagination.MaxPage {
			break
		}
	}
	if changed {
		c.storeShared(ctx)
	}
	return nil
}

// MemberStale drops a member a member.* or customer_seat.* webhook
// named (without its email: the fleet never carries one in clear) and
// marks it to be looked up again, by id, on the next miss.
func (c *Client) MemberStale(customerID, memberID string) {
	if memberID == "" {
		return
	}
	c.members.mu.Lock()
	if e, ok := c.members.emailOf[memberID]; ok {
		c.members.drop(memberID, e)
	}
	if !c.members.built.IsZero() && customerID != "" {
		if c.members.stale == nil {
			c.members.stale = map[string]string{}
		}
		if len(c.members.stale) < maxStale {
			c.members.stale[memberID] = customerID
		} else {
			// Too many changes to look up one by one: list again.
			c.members.built = time.Time{}
		}
	}
	c.members.mu.Unlock()
	c.gen.Add(1)
	if c.store != nil && customerID != "" {
		// A member's role or seat may have changed: no session of that
		// team is handed out again.
		c.store.removeOwnerIf(customerID, func(key string) bool { return strings.HasPrefix(key, "session\x00") })
	}
}

// lookStale looks up the members webhooks said changed, one request
// each, and puts those that still exist into the index.
func (c *Client) lookStale(ctx context.Context) error {
	c.members.mu.Lock()
	stale := c.members.stale
	c.members.stale = nil
	c.members.mu.Unlock()
	if len(stale) == 0 {
		return nil
	}
	inner, err := c.membersInner()
	if err != nil {
		return err
	}
	for id, customer := range stale {
		m, err := inner.GetMember(ctx, customer, id)
		if errors.Is(err, polar.ErrMemberNotFound) {
			continue
		}
		if err != nil {
			c.members.mu.Lock()
			if c.members.stale == nil {
				c.members.stale = map[string]string{}
			}
			c.members.stale[id] = customer
			c.members.mu.Unlock()
			return err
		}
		c.members.mu.Lock()
		c.members.put(*m)
		c.members.mu.Unlock()
	}
	c.storeShared(ctx)
	return nil
}
