package tools

import (
	"context"
	"errors"
	"log/slog"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

var (
	// errStale means a record Polar embedded names another customer than
	// the one a cached email lookup led to.
	errStale = errors.New("the customer record changed while answering")
	// errUnconfirmed is what a caller is told when a fresh lookup still
	// does not lead to their own record.
	errUnconfirmed = tell("the record Polar holds for this account changed while answering, " +
		"so nothing was shown; please try again in a moment")
	// errTwoCustomers refuses a caller whose email and external id name
	// different Polar customers.
	errTwoCustomers = tell("your sign-in names two different customer accounts (email and user id); " +
		"nothing was shown. Please contact support")
)

// target is the customer a customer tool acts for: the caller, or the
// customer an agent named.
type target struct {
	email    string // normalized; may be empty for an external-id caller
	external string // the caller's external id, when that is their identity
	client   polar.Client
	log      *slog.Logger // where failed enrichments are logged
	agent    bool         // a support agent asks, not the customer
	obs      Observer

	customer *polar.Customer // from the email lookup; nil for an external id until seen
	missing  bool            // the lookup found no customer
	seen     bool            // an embedded customer passed check
	// member is the caller's membership of the customer answered, when
	// that customer is a team (Polar's member model): answers follow the
	// member's role, and show only the member's own seat and grants.
	member *polar.Member
	// teams are the caller's memberships of team customers other than the
	// one answered (an individual customer who also holds a team seat).
	teams []polar.Member
}

// Subject is who a customer tool's answer is about. Every customer tool's
// output embeds it.
type Subject struct {
	Email string `json:"email"`
	Found bool   `json:"customer_found"`
	// Teams are the caller's memberships of team customers (Polar's
	// member model): their role and own seat, never another member's.
	Teams []TeamView `json:"teams,omitempty"`
}

func (s *Subject) subject() *Subject { return s }

// aboutCustomer is an output that embeds Subject.
type aboutCustomer interface{ subject() *Subject }

// ref names the target's customer for the adapter.
func (t *target) ref() polar.CustomerRef {
	if t.customer != nil {
		return polar.ByID(t.customer.ID)
	}
	if t.member != nil && t.external == "" {
		return polar.ByID(t.member.CustomerID)
	}
	return polar.ByExternalID(t.external)
}

// check reports whether emb, the customer Polar embedded in a record, is
// the target. Nothing may be shown from a record that fails it.
func (t *target) check(emb *polar.Customer) error {
	if emb == nil {
		return errStale
	}
	if t.member != nil {
		// A member's email is not the team's: the record must be the
		// team the membership belongs to.
		return t.checkTeam(emb)
	}
	if t.external != "" {
		if emb.External() != t.external {
			return errStale
		}
		if t.email != "" && !caller.SameEmail(emb.Email, t.email) {
			return errTwoCustomers
		}
	} else if t.customer == nil || emb.ID != t.customer.ID || !caller.SameEmail(emb.Email, t.email) {
		return errStale
	}
	if t.customer == nil {
		cp := *emb
		t.customer = &cp
	}
	t.seen = true
	return nil
}

// confirm makes sure the target is the caller's current record when no
// record showed it (an empty answer): an external id is looked up once;
// an email lookup kept from an earlier call is asked again, and when the
// address now leads to another customer the answer is stale.
func (t *target) confirm(ctx context.Context) error {
	if t.seen || t.missing || t.member != nil {
		// A member was looked up (by id, external id or the index) during
		// this call or confirmed by refresh.
		return nil
	}
	if t.external == "" {
		return t.confirmEmail(ctx)
	}
	c, err := t.client.FindCustomerByExternalID(ctx, t.external)
	if errors.Is(err, polar.ErrCustomerNotFound) {
		t.missing = true
		return nil
	}
	if err != nil {
		return err
	}
	return t.check(c)
}

func (t *target) confirmEmail(ctx context.Context) error {
	if t.customer == nil || !t.customer.Kept {
		return nil // looked up during this call
	}
	c, err := freshLookup(t.client)(ctx, t.email)
	switch {
	case errors.Is(err, polar.ErrCustomerNotFound):
		return errStale
	case err != nil:
		return err
	case c.ID != t.customer.ID:
		return errStale
	}
	t.seen = true
	return nil
}

// freshLookup is c's email lookup that asks Polar whatever c keeps (and
// drops nothing kept unless it went stale); an uncached client's lookup is
// always fresh.
func freshLookup(c polar.Client) func(context.Context, string) (*polar.Customer, error) {
	if r, ok := c.(polar.Refresher); ok {
		return r.RefreshCustomerByEmail
	}
	return c.FindCustomerByEmail
}

// lookedUpNow reports whether the target's email lookup is as good as
// one made now: made from Polar during this call, or kept by a cache
// whose webhooks would have dropped it (polar.Customer.Kept unset). A
// member or external-id target is always refreshed.
func (t *target) lookedUpNow() bool {
	return t.customer != nil && !t.customer.Kept && t.member == nil && t.external == "" && !t.missing
}

// refresh confirms the target from Polar's current record rather than a
// cached lookup: an email is looked up again, an external id (which Polar
// never reassigns) is confirmed as confirm does.
func (t *target) refresh(ctx context.Context) error {
	if t.member != nil {
		return t.refreshMember(ctx)
	}
	if t.external != "" {
		return t.confirm(ctx)
	}
	c, err := freshLookup(t.client)(ctx, t.email)
	switch {
	case errors.Is(err, polar.ErrCustomerNotFound):
		t.customer, t.missing = nil, true
		return nil
	case err != nil:
		return err
	}
	t.customer = c
	return nil
}

// run runs body on a fresh output for t and fills the output's Subject;
// a target that is no customer gets the not-found answer.
func run[T aboutCustomer](ctx context.Context, t *target, newOut func() T, body func(*target, T) (string, error)) (T, string, error) {
	fresh := func() T {
		out := newOut()
		s := out.subject()
		s.Email = t.email
		t.describeTeams(s)
		return out
	}
	out := fresh()
	if t.missing {
		return out, noCustomer(ctx, t.obs, t.email), nil
	}
	text, err := body(t, out)
	if pe, ok := polar.AsError(err); ok && pe.Kind == polar.KindNotFound && t.external != "" {
		// Polar's external-id endpoints answer 404 for an id no customer has.
		err, t.missing = nil, true
	}
	if err == nil {
		err = t.confirm(ctx)
	}
	switch {
	case err != nil:
		return out, "", err
	case t.missing:
		return fresh(), noCustomer(ctx, t.obs, t.email), nil
	}
	out.subject().Found = true
	for i := range out.subject().Teams {
		if out.subject().Teams[i].Answered {
			out.subject().Teams[i].Team = t.teamName() // known once a record passed check
		}
	}
	return out, text, nil
}

// forget drops the cached lookup that led to a stale record.
func (t *target) forget() {
	inv, ok := t.client.(polar.Invalidator)
	switch {
	case !ok:
	case t.external != "":
		inv.ForgetExternalID(t.external)
	case t.customer != nil:
		inv.ForgetCustomer(t.customer.ID)
	}
}

// checkAll checks the embedded customer of every item.
func checkAll[I any](t *target, items []I, customer func(I) *polar.Customer) error {
	for _, it := range items {
		if err := t.check(customer(it)); err != nil {
			return err
		}
	}
	return nil
}

func subCustomer(s polar.Subscription) *polar.Customer { return s.Customer }

func orderCustomer(o polar.Order) *polar.Customer { return o.Customer }
