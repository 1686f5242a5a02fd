package polar

import (
	"errors"
	"fmt"
	"time"
)

// ErrCustomerNotFound means no customer of the organization has the email.
var ErrCustomerNotFound = errors.New("no customer with that email")

// ErrorKind classifies an upstream failure so tools can explain it.
type ErrorKind int

// The kinds of upstream failure.
const (
	KindUnavailable       ErrorKind = iota // network error, timeout or 5xx
	KindUnauthorized                       // 401: bad, revoked or wrong-environment token
	KindInsufficientScope                  // 403 insufficient_scope
	KindForbidden                          // any other 403
	KindNotFound                           // 404
	KindInvalid                            // 422 and other 4xx (400, 405, 409...)
	KindRateLimited                        // 429
	KindDecode                             // a 2xx body without the promised shape
	KindRedirect                           // a redirect to another server, not followed
)

// Error is an upstream failure. Its message never contains the token.
type Error struct {
	Kind       ErrorKind
	Status     int           // HTTP status, 0 for network errors
	Operation  string        // e.g. "customers:list"
	Scope      string        // the missing scope, for KindInsufficientScope
	RetryAfter time.Duration // for KindRateLimited, from Retry-After
	Detail     string        // Polar's detail, sanitized, may be empty
	Err        error         // underlying cause, sanitized
	// Server is the scheme and host a network failure happened on (never
	// a path or query); Hint says what its cause means and what to check.
	Server, Hint string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("polar %s: %s", e.Operation, e.Kind)
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Status == 0 && e.Kind == KindUnavailable {
		if e.Server != "" {
			msg += " reaching " + e.Server
		}
		if e.Err != nil {
			msg += ": " + e.Err.Error()
		}
		if e.Hint != "" {
			msg += " (" + e.Hint + ")"
		}
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

func (k ErrorKind) String() string {
	switch k {
	case KindUnauthorized:
		return "unauthorized"
	case KindInsufficientScope:
		return "insufficient scope"
	case KindForbidden:
		return "forbidden"
	case KindNotFound:
		return "not found"
	case KindInvalid:
		return "invalid request"
	case KindRateLimited:
		return "rate limited"
	case KindDecode:
		return "undecodable response"
	case KindRedirect:
		return "redirect to another server"
	default:
		return "unavailable"
	}
}

// AsError returns err as an *Error when it is one.
func AsError(err error) (*Error, bool) {
	var pe *Error
	ok := errors.As(err, &pe)
	return pe, ok
}

// isNotFound reports whether err is a 404 from Polar.
func isNotFound(err error) bool {
	e, ok := AsError(err)
	return ok && e.Kind == KindNotFound
}
