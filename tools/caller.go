package tools

import (
	"context"
	"errors"
	"fmt"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// errNoIdentity is returned when the transport set no identity.
var errNoIdentity = errors.New("this connection has no verified customer: " +
	"the operator must set POLAR_MCP_CUSTOMER_EMAIL or POLAR_MCP_CUSTOMER_EXTERNAL_ID (or POLAR_MCP_ROLE=agent) on stdio, " +
	"or the chatbot must send a signed caller token over HTTP")

// subject decides whose data a customer tool may read. A customer always
// gets their own verified identity, whatever the model put in the
// arguments; asking for someone else is refused. An agent must name the
// customer by a bare email address. memberExt is a customer's member
// external id (a member of the team customer external names).
func subject(ctx context.Context, argEmail string) (email, external, memberExt string, err error) {
	id, ok := caller.From(ctx)
	if !ok {
		return "", "", "", errNoIdentity
	}
	arg := caller.NormalizeEmail(argEmail)
	switch id.Role {
	case caller.Customer:
		if id.Email == "" && id.ExternalID == "" {
			return "", "", "", errNoIdentity
		}
		if arg != "" && arg != id.Email {
			return "", "", "", tell("you can only see your own account; " +
				"information about other customers is never shared")
		}
		return id.Email, id.ExternalID, id.MemberExternalID, nil
	case caller.Agent:
		if arg == "" {
			arg = id.Email
		}
		if arg == "" {
			return "", "", "", tell("email is required: as a support agent, pass the customer's email address")
		}
		if err := config.CheckEmail(arg); err != nil {
			return "", "", "", tell("that is not a valid email address: pass a bare address " +
				"such as jane@example.com, without a display name or angle brackets")
		}
		return arg, "", "", nil
	default:
		return "", "", "", errNoIdentity
	}
}

// resolve finds the customer a customer tool acts for. An email is looked
// up (the adapter caches the lookup, unless fresh asks Polar again); an
// external id needs no lookup, as Polar's external-id endpoints and
// filters take it directly. A member of a team customer is resolved to
// that customer and their membership (team.go).
func resolve(ctx context.Context, deps Deps, argEmail string, fresh bool) (*target, error) {
	email, external, memberExt, err := subject(ctx, argEmail)
	if err != nil {
		return nil, err
	}
	client, err := FromContext(ctx)
	if err != nil {
		return nil, err
	}
	id, _ := caller.From(ctx)
	t := &target{email: email, external: external, client: client, log: deps.Logger, agent: id.Role == caller.Agent, obs: deps.Observer}
	if external != "" {
		if memberExt != "" {
			return t, t.memberByExternalID(ctx, memberExt)
		}
		return t, nil
	}
	find := client.FindCustomerByEmail
	if fresh {
		find = freshLookup(client)
	}
	c, err := find(ctx, email)
	if errors.Is(err, polar.ErrCustomerNotFound) {
		// Not a customer's email: perhaps a member's of a team.
		if err := t.memberByEmail(ctx); err != nil {
			return nil, err
		}
		if t.member == nil {
			t.missing = true
		}
		deps.Observer.LookedUp(ctx, nil)
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	t.customer = c
	deps.Observer.LookedUp(ctx, c)
	return t, t.memberships(ctx)
}

// forCustomer runs the steps every customer tool shares: resolve whose data
// the call may read, answer "not found" when no customer is the caller,
// otherwise let body fill a fresh output and write the text. Failures
// become isError results.
//
// Every answer is built from records Polar embeds its current customer in,
// and body checks each (target.check) before using it; an answer with no
// such record (an empty list) from a kept email lookup has the lookup asked
// again (target.confirm). When either names someone else, the email lookup
// that led there is stale (the address moved to another customer): it is
// dropped, resolved once more from Polar, and the answer comes from the
// fresh record, never from the stale one.
func forCustomer[T aboutCustomer](ctx context.Context, deps Deps, tool, argEmail string, newOut func() T, body func(*target, T) (string, error)) *mcp.CallToolResult {
	var (
		out  T
		text string
		err  error
	)
	for attempt := 0; attempt < 2; attempt++ {
		var t *target
		if t, err = resolve(ctx, deps, argEmail, attempt > 0); err != nil {
			break
		}
		out, text, err = run(ctx, t, newOut, body)
		if !errors.Is(err, errStale) {
			break
		}
		t.forget()
	}
	if errors.Is(err, errStale) {
		err = errUnconfirmed
	}
	if err != nil {
		return failure(ctx, deps, tool, err)
	}
	return answer(text, out)
}

// noCustomer is the answer for a caller no customer is: an answer, not an
// error, worded for whoever asked.
func noCustomer(ctx context.Context, obs Observer, email string) string {
	obs.NoCustomer(ctx)
	if id, _ := caller.From(ctx); id.Role == caller.Agent {
		return fmt.Sprintf("No Polar customer has the email %s.", email)
	}
	if email == "" {
		return "No subscription was found for your account."
	}
	return fmt.Sprintf("No subscription was found for %s. "+
		"If you signed up with a different email address, please use that one.", email)
}
