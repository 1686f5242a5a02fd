package tools

import (
	"context"
	"errors"
	"sort"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// Team customers (Polar's member model)
//
// With the organization's member_model_enabled, a company buys as a team
// customer whose members (owner, billing_manager, member) hold its seats.
// A member's email is not a customer's, so the caller is resolved caller
// -> member -> team customer: by the token's external_member_id (one
// request), by the team customer's own email (its owner), or through the
// organization's member index (polar/cache) for any other member. Answers
// then follow Polar's customer portal: every member reads the team's
// subscription; orders, invoices and plan changes are for the owner and
// billing managers; each member sees only their own seat and grants.

// memberIndex finds members by email; *cache.Client is one.
type memberIndex interface {
	FindMembersByEmail(ctx context.Context, email string) ([]polar.Member, error)
	IndexedMembers(email string) ([]polar.Member, bool)
}

// errNoMember is the answer for a team customer none of whose members is
// the caller.
var errNoMember = errors.New("this is a team account, and your sign-in names none of its members; " +
	"please ask the team's owner to add you, or contact support")

// membersOf returns the client's member operations, if it has them.
func membersOf(c polar.Client) (polar.Members, bool) {
	m, ok := c.(polar.Members)
	return m, ok
}

// unavailable reports an error that means the member model cannot be
// read here (no members:read scope, not enabled): the caller is then
// answered as before, as a customer only.
func unavailable(err error) bool {
	pe, ok := polar.AsError(err)
	return ok && (pe.Kind == polar.KindInsufficientScope || pe.Kind == polar.KindForbidden)
}

// memberByExternalID resolves a token's external_member_id: one request.
func (t *target) memberByExternalID(ctx context.Context, memberExt string) error {
	ms, ok := membersOf(t.client)
	if !ok {
		return errors.New("this server cannot look up team members")
	}
	m, err := ms.MemberByExternalID(ctx, t.external, memberExt)
	switch {
	case errors.Is(err, polar.ErrMemberNotFound):
		t.missing = true
		return nil
	case err != nil:
		return err
	}
	t.member = m
	return nil
}

// memberByEmail finds the caller among the members of team customers
// when no customer has their email. The oldest membership is answered;
// any other is listed beside it.
func (t *target) memberByEmail(ctx context.Context) error {
	idx, ok := t.client.(memberIndex)
	if !ok || t.email == "" {
		return nil
	}
	found, err := idx.FindMembersByEmail(ctx, t.email)
	if unavailable(err) {
		return nil
	}
	if err != nil {
		return err
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].CreatedAt.Before(found[j].CreatedAt) })
	if len(found) > 0 {
		t.member = &found[0]
		t.teams = found[1:]
	}
	return nil
}

// memberships completes a customer found by email: a team customer's
// email is its owner member's (the caller is that member); an individual
// customer may also hold seats on teams, known to a built member index
// (never listed for this: the individual path stays one request).
func (t *target) memberships(ctx context.Context) error {
	c := t.customer
	idx, hasIndex := t.client.(memberIndex)
	if c.Type != "team" {
		if !hasIndex {
			return nil
		}
		found, _ := idx.IndexedMembers(t.email)
		for _, m := range found {
			if m.CustomerID != c.ID {
				t.teams = append(t.teams, m)
			}
		}
		return nil
	}
	if hasIndex {
		if found, built := idx.IndexedMembers(t.email); built {
			for i := range found {
				if found[i].CustomerID == c.ID {
					t.member = &found[i]
					return nil
				}
			}
		}
	}
	ms, ok := membersOf(t.client)
	if !ok {
		return nil
	}
	for page := 1; page <= 10; page++ {
		p, err := ms.ListMembers(ctx, polar.MemberQuery{CustomerID: c.ID, Page: page})
		if unavailable(err) {
			return nil
		}
		if err != nil {
			return err
		}
		for i := range p.Items {
			if caller.SameEmail(p.Items[i].Email, t.email) {
				t.member = &p.Items[i]
				return nil
			}
		}
		if page >= p.Pagination.MaxPage {
			break
		}
	}
	return nil
}

// checkTeam is check for a member: the record must be the team customer
// of the membership (and the external id's, when that named it).
func (t *target) checkTeam(emb *polar.Customer) error {
	if emb.ID != t.member.CustomerID || (t.external != "" && emb.External() != t.external) {
		return errStale
	}
	if t.customer == nil || t.customer.ID != emb.ID {
		cp := *emb
		t.customer = &cp
	}
	t.seen = true
	return nil
}

// refreshMember confirms the membership from Polar's current record (one
// request) before a portal session is created for it.
func (t *target) refreshMember(ctx context.Context) error {
	ms, ok := membersOf(t.client)
	if !ok {
		return errors.New("this server cannot look up team members")
	}
	m, err := ms.GetMember(ctx, t.member.CustomerID, t.member.ID)
	switch {
	case errors.Is(err, polar.ErrMemberNotFound):
		t.member, t.customer, t.missing = nil, nil, true
		return nil
	case err != nil:
		return err
	case t.email != "" && !caller.SameEmail(m.Email, t.email):
		t.member, t.customer, t.missing = nil, nil, true
		return nil
	}
	t.member = m
	return nil
}

// manages reports whether the caller may see orders and change the plan:
// any customer but a plain member of a team.
func (t *target) manages() bool { return t.member == nil || t.member.Manages() }

// teamName is the team's name, when a record showed it.
func (t *target) teamName() string {
	if t.member != nil && t.customer != nil && clean(t.customer.Name) != "" {
		return clean(t.customer.Name)
	}
	return "your team"
}

// createSession creates the caller's portal session: a team customer's
// carries the caller's member id (Polar requires one), for the owner as
// for any member.
func createSession(ctx context.Context, t *target) (*polar.CustomerSession, error) {
	if t.member != nil {
		ms, ok := membersOf(t.client)
		if !ok {
			return nil, errors.New("this server cannot open a team member's portal")
		}
		return ms.CreateMemberSession(ctx, t.ref(), t.member.ID)
	}
	if t.customer != nil && t.customer.Type == "team" {
		return nil, errNoMember
	}
	return t.client.CreateCustomerSession(ctx, t.ref())
}

// ownOnly narrows a team's grants, active and inactive, to the caller's
// own, so that no member reads another member's seat, key or device.
func ownOnly(ctx context.Context, t *target, ga *grants) error {
	own, err := ownGrants(ctx, t, ga.state.GrantedBenefits)
	if err != nil {
		return err
	}
	cp := *ga.state
	cp.GrantedBenefits = own
	ga.state = &cp
	kept := ga.inactive[:0:0]
	for _, g := range ga.inactive {
		if memberOwns(t.member, g.MemberID) {
			kept = append(kept, g)
		}
	}
	ga.inactive = kept
	return nil
}

// memberOwns tells whether a grant for memberID is the member's own: one
// granted to them, or, for the owner and billing managers, one granted to
// the team and no member.
func memberOwns(m *polar.Member, memberID *string) bool {
	if memberID == nil {
		return m.Manages()
	}
	return *memberID == m.ID
}

// ownGrants keeps the grants of a team's customer state that are the
// caller's own: granted to their member id, and, for the owner and
// billing managers, the team's grants that no member holds. Polar's
// customer state lists every member's grants without a member id; the
// benefit grants list says whose each is.
func ownGrants(ctx context.Context, t *target, grants []polar.BenefitGrant) ([]polar.BenefitGrant, error) {
	ms, ok := membersOf(t.client)
	if !ok {
		return nil, errors.New("this server cannot tell team members' benefits apart")
	}
	whose, err := ms.MemberGrants(ctx, t.ref())
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, g := range whose {
		if memberOwns(t.member, g.MemberID) {
			mine[g.ID] = true
		}
	}
	kept := make([]polar.BenefitGrant, 0, len(grants))
	for _, g := range grants {
		if mine[g.ID] {
			kept = append(kept, g)
		}
	}
	return kept, nil
}
