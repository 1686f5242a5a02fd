package tools

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// answer is a successful result: structured content for clients that read
// it, and a short text the model can relay as it stands.
func answer(text string, structured any) *mcp.CallToolResult {
	return mcp.NewToolResultStructured(structured, text)
}

// failure turns any error into a tool result with isError set and a
// message that tells the reader what to do next. It never includes the
// token: polar.Error messages are built without it.
func failure(ctx context.Context, deps Deps, tool string, err error) *mcp.CallToolResult {
	msg := explain(err)
	if id, _ := caller.From(ctx); visitor(id) {
		msg = forVisitor(err, msg)
	}
	deps.Observer.ToolFailed(ctx, err, false)
	attrs := []slog.Attr{slog.String("tool", tool), slog.String("error", err.Error())}
	if id := deps.Observer.RequestID(ctx); id != "" {
		attrs = append([]slog.Attr{slog.String("request_id", id)}, attrs...)
	}
	deps.Logger.LogAttrs(ctx, slog.LevelWarn, "tool call failed", attrs...)
	return mcp.NewToolResultError(msg)
}

// explain writes the user-facing message for an error.
func explain(err error) string {
	pe, ok := polar.AsError(err)
	if !ok {
		switch {
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
			return "Unable to retrieve data: Polar did not answer in time. Please try again in a moment."
		}
		return sentence(err.Error())
	}
	switch pe.Kind {
	case polar.KindUnauthorized:
		return "Invalid API key: Polar rejected the organization access token (401). " +
			"Check that the token starts with polar_, that it was created in the environment this server uses " +
			"(production vs sandbox), and that it has the required scopes."
	case polar.KindInsufficientScope:
		if pe.Scope == polar.ScopeCustomerSessionsWrite || pe.Scope == "" && pe.Operation == "customer-sessions:create" {
			return "Portal links are not available: the Polar access token is missing the customer_sessions:write scope " +
				"(only that scope creates customer sessions; customer_portal:write is a different scope). In Polar, go to Settings → General → Developers, " +
				"create a new token (editing the existing one is not enough) with that scope, and update the integration."
		}
		scope := pe.Scope
		if scope == "" {
			scope = "a required"
		}
		return fmt.Sprintf("Polar refused the request: the access token is missing the %s scope. "+
			"Create a new token in Polar (Settings → General → Developers) with that scope and update the integration.", scope)
	case polar.KindForbidden:
		return "Polar refused the request (403 Forbidden): the access token is not allowed to read this data. " +
			"Check the token's organization and scopes."
	case polar.KindRateLimited:
		return fmt.Sprintf("Polar is busy: this organization hit its rate limit%s. Try again in %d seconds.", unfetched(pe.Operation), retrySeconds(pe.RetryAfter))
	case polar.KindNotFound:
		return "Polar could not find that record (404). It may have been deleted."
	case polar.KindInvalid:
		if pe.Detail != "" {
			return "Polar refused the request as invalid: " + pe.Detail
		}
		return "Polar refused the request as invalid (422)."
	case polar.KindRedirect:
		return "Polar answered with a redirect to another server; polar-mcp does not follow it, so the access token " +
			"never leaves Polar. Check the configured Polar server URL and any proxy in between."
	case polar.KindDecode:
		return "Polar sent an answer polar-mcp could not read (its API may have changed). " +
			"Please try again later; if it keeps happening, polar-mcp needs an update."
	default:
		if pe.Status == 0 && pe.Server != "" {
			return fmt.Sprintf("Unable to reach Polar at %s: %s. Please try again in a moment; if it keeps failing, %s.",
				pe.Server, causeOf(pe), pe.Hint)
		}
		return "Unable to retrieve data from Polar right now (network problem or Polar outage). " +
			"Please try again in a moment; if it keeps failing, check connectivity, rate limits and the token's permissions."
	}
}

// visitor reports whether id is a customer other than the operator's own
// stdio session: whatever their token's claims (sub or none, email or
// external id), a visitor is never told how the merchant set polar-mcp
// up.
func visitor(id caller.Identity) bool { return id.Role == caller.Customer && !id.Operator }

// The messages a visitor gets for the merchant's side failing: setup
// problems (token, scopes, server URL, connection) are the support team's
// to fix, and their details are in the log line failure writes.
const (
	visitorSetup = "Billing information cannot be reached right now because of a setup problem on our side. " +
		"Please contact support."
	visitorPortal = "Portal links are not available right now. Please contact support to change your plan or payment method."
	visitorDown   = "Billing information cannot be reached right now. Please try again in a moment; " +
		"if it keeps happening, please contact support."
)

// forVisitor is the message a visitor gets instead of msg. Only messages
// written for any reader pass: a told error (their own argument or
// account), a timeout, Polar being busy and a record not found; every
// other failure is the merchant's and is worded without its details.
func forVisitor(err error, msg string) string {
	if isTold(err) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return msg
	}
	pe, ok := polar.AsError(err)
	if !ok {
		return visitorSetup
	}
	switch pe.Kind {
	case polar.KindInsufficientScope:
		if pe.Scope == polar.ScopeCustomerSessionsWrite || pe.Scope == "" && pe.Operation == "customer-sessions:create" {
			return visitorPortal
		}
		return visitorSetup
	case polar.KindRateLimited:
		return fmt.Sprintf("Billing information is busy right now%s. Please try again in %d seconds.", unfetched(pe.Operation), retrySeconds(pe.RetryAfter))
	case polar.KindNotFound:
		return msg
	case polar.KindUnavailable, polar.KindDecode:
		return visitorDown
	default: // unauthorized, forbidden, redirect, invalid
		return visitorSetup
	}
}

// causeOf is a network failure's cause, for a sentence.
func causeOf(pe *polar.Error) string {
	if pe.Err == nil {
		return "no answer"
	}
	return pe.Err.Error()
}

func retrySeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		s = 1
	}
	return s
}

// sentence capitalizes an error message for a reader.
func sentence(msg string) string {
	r, n := utf8.DecodeRuneInString(msg)
	return string(unicode.ToUpper(r)) + msg[n:]
}
