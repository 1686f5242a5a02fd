package polar

// Retrying idempotent requests
//
// A GET that Polar's edge answers 502, 503 or 504, or that fails on the
// connection (refused, reset, closed before the response), is sent again
// at most maxRetries times, after a short jittered backoff, if that fits
// the caller's deadline. Each attempt takes its own Limiter slot. A POST
// (customer sessions) is never sent twice: it may have been carried out.

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"syscall"
	"time"
)

const (
	// maxRetries bounds the retries of one request.
	maxRetries = 2
	// retryBase is the first retry's backoff, before jitter; each retry
	// doubles it.
	retryBase = 100 * time.Millisecond
)

// retryable reports whether the attempt in slot may be sent again.
func retryable(ctx context.Context, slot *capture) bool {
	if !slot.sent || ctx.Err() != nil || (slot.method != http.MethodGet && slot.method != http.MethodHead) {
		return false
	}
	switch slot.status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case 0:
		return connectionFailed(slot.err)
	}
	return false
}

// connectionFailed reports a transport error that happened before any
// response: the connection was refused, reset or closed.
func connectionFailed(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// retryBackoff returns the pause before retry n (0-based): between half
// and all of retryBase doubled n times.
func retryBackoff(n int) time.Duration {
	d := retryBase << n
	return d/2 + rand.N(d/2+1)
}

// fitsDeadline reports whether waiting d still leaves time before ctx's
// deadline.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}
