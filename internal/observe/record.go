package observe

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// The outcomes of a tool call, as record.outcome names them (the
// polarmcp_tool_calls_total outcome label).
const (
	OutcomeOK            = "ok"             // answered
	OutcomeNotFound      = "not_found"      // no Polar customer is the subject, or a record is gone
	OutcomeRefused       = "refused"        // polar-mcp refused the call (identity, role, per-caller limit)
	OutcomeInvalid       = "invalid"        // bad arguments, or Polar refused the request as invalid
	OutcomeRateLimited   = "rate_limited"   // Polar's rate limit, or the client-side budget
	OutcomeUnauthorized  = "unauthorized"   // Polar refused the token (401, 403, missing scope)
	OutcomeUpstreamError = "upstream_error" // Polar failed, timed out or answered unreadably
	OutcomeCanceled      = "canceled"       // the client went away
)

// record is what one tool call told the Observer (tools.Observer): how
// it failed, and whom an agent looked up.
type record struct {
	mu       sync.Mutex
	err      error
	invalid  bool
	notFound bool
	lookup   bool
	customer string
}

// agentLookup reports whether an agent named a customer in the call, and
// that customer's Polar id (empty when no customer has the email).
func (r *record) agentLookup() (customerID string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.customer, r.lookup
}

// outcome names how the call ended; isError is the result's flag (a
// result with isError set but no failure recorded was refused before the
// tool ran, e.g. by the per-caller call limit).
func (r *record) outcome(isError bool) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case !isError && r.notFound:
		return OutcomeNotFound
	case !isError:
		return OutcomeOK
	case r.invalid:
		return OutcomeInvalid
	case r.err == nil:
		return OutcomeRefused
	}
	pe, ok := polar.AsError(r.err)
	switch {
	case errors.Is(r.err, context.Canceled):
		return OutcomeCanceled
	case !ok && errors.Is(r.err, context.DeadlineExceeded):
		return OutcomeUpstreamError
	case !ok:
		return OutcomeRefused
	}
	switch pe.Kind {
	case polar.KindNotFound:
		return OutcomeNotFound
	case polar.KindRateLimited:
		return OutcomeRateLimited
	case polar.KindInvalid:
		return OutcomeInvalid
	case polar.KindUnauthorized, polar.KindForbidden, polar.KindInsufficientScope:
		return OutcomeUnauthorized
	default:
		return OutcomeUpstreamError
	}
}

func (r *record) fail(err error, invalid bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err, r.invalid = err, invalid
}

func (r *record) missing() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notFound = true
}

// looked records the customer an agent's lookup found (nil: none).
func (r *record) looked(ctx context.Context, c *polar.Customer) {
	if id, _ := caller.From(ctx); id.Role != caller.Agent {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lookup, r.customer = true, ""
	if c != nil {
		r.customer = c.ID
	}
}

// searched records an agent's search for the audit line: every customer
// the answer showed, by Polar id (none: found nothing).
func (r *record) searched(ctx context.Context, ids []string) {
	if id, _ := caller.From(ctx); id.Role != caller.Agent {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lookup, r.customer = true, strings.Join(ids, ",")
	r.notFound = len(ids) == 0
}

// Searched implements tools.Observer: an agent's searches are audited
// like lookups.
func (o *Observer) Searched(ctx context.Context, customerIDs []string) {
	if cl := callFrom(ctx); cl != nil {
		cl.rec.searched(ctx, customerIDs)
	}
}

// RequestID implements tools.Observer: the id of the call's request.
func (o *Observer) RequestID(ctx context.Context) string {
	if cl := callFrom(ctx); cl != nil {
		return cl.requestID
	}
	return ""
}

// ToolFailed implements tools.Observer.
func (o *Observer) ToolFailed(ctx context.Context, err error, invalid bool) {
	if c := callFrom(ctx); c != nil {
		c.rec.fail(err, invalid)
	}
}

// NoCustomer implements tools.Observer.
func (o *Observer) NoCustomer(ctx context.Context) {
	if c := callFrom(ctx); c != nil {
		c.rec.missing()
	}
}

// LookedUp implements tools.Observer: an agent's lookups are audited.
func (o *Observer) LookedUp(ctx context.Context, c *polar.Customer) {
	if cl := callFrom(ctx); cl != nil {
		cl.rec.looked(ctx, c)
	}
}
