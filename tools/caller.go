package tools

import (
	"context"
	"errors"
	"fmt"
	"net/mail"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/polar"
)

// errNoIdentity is returned when the transport set no identity.
var errNoIdentity = errors.New("this connection has no verified customer: " +
	"the operator must set POLAR_MCP_CUSTOMER_EMAIL (or POLAR_MCP_ROLE=agent) on stdio, " +
	"or the chatbot must send a signed caller token over HTTP")

// caller is the customer a customer tool acts for.
type caller struct {
	email    string
	customer *polar.Customer // nil when no Polar customer has the email
	client   polar.Client
}

// subject decides whose data a customer tool may read. A customer always
// gets their own verified email, whatever the model put in the arguments;
// asking for someone else is refused. An agent must name the customer.
func subject(ctx context.Context, argEmail string) (string, error) {
	id, ok := IdentityFrom(ctx)
	if !ok || id.Role == "" {
		return "", errNoIdentity
	}
	arg := NormalizeEmail(argEmail)
	switch id.Role {
	case RoleCustomer:
		if id.Email == "" {
			return "", errNoIdentity
		}
		if arg != "" && arg != id.Email {
			return "", fmt.Errorf("you can only see your own account (%s); "+
				"information about other customers is never shared", id.Email)
		}
		return id.Email, nil
	case RoleAgent:
		if arg == "" {
			arg = id.Email
		}
		if arg == "" {
			return "", errors.New("email is required: as a support agent, pass the customer's email address")
		}
		if _, err := mail.ParseAddress(arg); err != nil || len(arg) > 320 {
			return "", fmt.Errorf("%q is not a valid email address", clean(argEmail))
		}
		return arg, nil
	default:
		return "", errNoIdentity
	}
}

// resolve finds the customer a customer tool acts for. A missing customer
// is an answer (caller.customer == nil), not an error.
func resolve(ctx context.Context, deps Deps, argEmail string) (caller, error) {
	email, err := subject(ctx, argEmail)
	if err != nil {
		return caller{}, err
	}
	client, err := deps.Client(ctx)
	if err != nil {
		return caller{}, err
	}
	c, err := client.FindCustomerByEmail(ctx, email)
	if errors.Is(err, polar.ErrCustomerNotFound) {
		return caller{email: email, client: client}, nil
	}
	if err != nil {
		return caller{}, err
	}
	return caller{email: email, customer: c, client: client}, nil
}

// Subject is who a customer tool's answer is about. Every customer tool's
// output embeds it.
type Subject struct {
	Email string `json:"email"`
	Found bool   `json:"customer_found"`
}

func (s *Subject) subject() *Subject { return s }

// aboutCustomer is an output that embeds Subject.
type aboutCustomer interface{ subject() *Subject }

// forCustomer runs the steps every customer tool shares: resolve whose data
// the call may read, answer "not found" when no customer has the email,
// otherwise let body fill out and write the text. Failures become isError
// results.
func forCustomer[T aboutCustomer](ctx context.Context, deps Deps, tool, argEmail string, out T, body func(caller) (string, error)) *mcp.CallToolResult {
	c, err := resolve(ctx, deps, argEmail)
	if err != nil {
		return failure(ctx, deps, tool, err)
	}
	s := out.subject()
	s.Email = c.email
	if c.customer == nil {
		return answer(noCustomer(ctx, c.email), out)
	}
	s.Found = true
	text, err := body(c)
	if err != nil {
		return failure(ctx, deps, tool, err)
	}
	return answer(text, out)
}

// noCustomer is the answer for an email no customer has: an answer, not an
// error, worded for whoever asked.
func noCustomer(ctx context.Context, email string) string {
	if id, _ := IdentityFrom(ctx); id.Role == RoleAgent {
		return fmt.Sprintf("No Polar customer has the email %s.", email)
	}
	return fmt.Sprintf("No subscription was found for %s. "+
		"If you signed up with a different email address, please use that one.", email)
}
