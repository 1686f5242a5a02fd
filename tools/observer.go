package tools

import (
	"context"

	"github.com/polar-mcp/polar-mcp/polar"
)

// Observer is told what a tool call found out, for metrics, traces and
// the audit log (package observe's Observer is one). Its methods are
// called on the call's goroutine with the call's context, and must not
// block.
type Observer interface {
	// ToolFailed reports the error the call fails with; invalid says its
	// arguments were at fault.
	ToolFailed(ctx context.Context, err error, invalid bool)
	// NoCustomer reports that no Polar customer is the call's subject.
	NoCustomer(ctx context.Context)
	// LookedUp reports the customer the call looked up by email; nil
	// when no customer has the email.
	LookedUp(ctx context.Context, c *polar.Customer)
	// Searched reports the customers an agent's search showed, by Polar
	// id (none: it found nothing).
	Searched(ctx context.Context, customerIDs []string)
	// RequestID is the id of the call's request, for log lines; "" when
	// the observer gives none.
	RequestID(ctx context.Context) string
}

// nopObserver observes nothing.
type nopObserver struct{}

func (nopObserver) ToolFailed(context.Context, error, bool)   {}
func (nopObserver) NoCustomer(context.Context)                {}
func (nopObserver) Searched(context.Context, []string)        {}
func (nopObserver) RequestID(context.Context) string          { return "" }
func (nopObserver) LookedUp(context.Context, *polar.Customer) {}
