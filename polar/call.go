package polar

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	polargo "github.com/polarsource/polar-go"
)

// op names one upstream operation.
type op struct {
	id    string     // polar-go's operation id, e.g. "customers:list"
	scope string     // the token scope the operation needs
	query url.Values // query parameters polar-go cannot express
	path  string     // an endpoint polar-go lacks (see capture.path)
	body  []byte     // the JSON body of such an endpoint (see capture.reqBody)
}

// do runs fn, exactly one polar-go call, on a polar-go client whose HTTP
// client is a fresh capture, and returns the capture of its 2xx response. Any other outcome is an *Error.
// A 429 is retried once when its Retry-After allows (see shouldWait), and
// a GET that failed at Polar's edge up to maxRetries times (retry.go).
// Each attempt first takes a slot from c.limiter.
func (c *SDKClient) do(ctx context.Context, o op, fn func(context.Context, *polargo.Polar) error) (*capture, error) {
	retries, waited, attempt := 0, false, 0
	for {
		asked := time.Now()
		probe, err := c.limiter.Wait(ctx, o.id)
		// A slot given at once takes microseconds; anything from a
		// millisecond on is a wait for the budget.
		c.obs.OnLimit(ctx, LimitEvent{Operation: o.id, Start: asked, Duration: time.Since(asked),
			Waited: time.Since(asked) >= time.Millisecond, Refused: errors.Is(err, ErrBudgetSpent)})
		if err != nil {
			return nil, err
		}
		slot := &capture{next: c.next, version: c.version, userAgent: c.userAgent, query: o.query, path: o.path, reqBody: o.body}
		actx, cancel := context.WithTimeout(ctx, c.timeout)
		sent := time.Now()
		sdkErr := fn(actx, polargo.New(append(c.sdkOpts[:len(c.sdkOpts):len(c.sdkOpts)], polargo.WithClient(slot))...))
		cancel()
		if slot.sent {
			attempt++
			c.counters.requests.Add(1)
			c.obs.OnRequest(ctx, RequestEvent{Operation: o.id, Status: slot.status, Attempt: attempt,
				Start: sent, Duration: time.Since(sent)})
		}
		if slot.status == http.StatusTooManyRequests {
			// Pause before settling a probe, so no request waiting for the
			// probe's answer slips through.
			c.counters.throttled.Add(1)
			pause, _ := parseRetryAfter(slot.header.Get("Retry-After"), time.Now())
			c.limiter.Pause(pause)
		}
		c.limiter.Settle(probe, slot.status != 0 && slot.status != http.StatusTooManyRequests)
		if retries < maxRetries && retryable(ctx, slot) {
			if backoff := retryBackoff(retries); fitsDeadline(ctx, backoff) {
				retries++
				c.counters.retries.Add(1)
				args := []any{"operation", o.id, "status", slot.status, "retry", retries, "backoff", backoff}
				if slot.status == 0 {
					// A network failure: the address, the cause and what to check.
					args = append(args, "error", c.networkError(o, slot.err).Error())
				}
				c.log.InfoContext(ctx, "polar call failed, retrying", args...)
				if Sleep(ctx, backoff) == nil {
					continue
				}
			}
		}

		switch {
		case !slot.sent:
			// polar-go failed before sending: a request it could not build.
			return nil, &Error{Kind: KindUnavailable, Operation: o.id, Err: c.sanitize(sdkErr)}
		case slot.status == 0:
			e := c.networkError(o, slot.err)
			if e.Kind == KindRedirect {
				e.Status = slot.redirect
			}
			return nil, e
		case slot.status >= 200 && slot.status < 300:
			// polar-go's verdict on the body is ignored on purpose: it was
			// handed an empty object (see capture.Do), and the capture holds
			// the real body.
			c.log.DebugContext(ctx, "polar call", "operation", o.id, "status", slot.status)
			slot.report = func(skipped int, err error) { c.reportDecode(ctx, o, skipped, err) }
			return slot, nil
		}

		e := c.classify(o, slot)
		c.log.DebugContext(ctx, "polar call failed", "operation", o.id, "status", slot.status,
			"kind", e.Kind.String())
		if e.Kind == KindRateLimited && !waited && c.shouldWait(ctx, slot) {
			waited = true
			c.log.InfoContext(ctx, "polar rate limited, retrying once", "operation", o.id,
				"retry_after", e.RetryAfter)
			if err := Sleep(ctx, e.RetryAfter); err != nil {
				e.Err = err
				return nil, e
			}
			continue
		}
		return nil, e
	}
}

// shouldWait reports whether a 429 carries a Retry-After short enough to
// wait for: within MaxRetryWait and ending before ctx's deadline.
func (c *SDKClient) shouldWait(ctx context.Context, slot *capture) bool {
	wait, ok := parseRetryAfter(slot.header.Get("Retry-After"), time.Now())
	if !ok || c.maxRetryWait < 0 || wait > c.maxRetryWait {
		return false
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= wait {
		return false
	}
	return true
}

// Sleep waits d, or until ctx ends (then it returns ctx's error). The
// limiters wait for their slots with it.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// networkError is the *Error of a call that got no response. Its cause
// keeps context.Canceled and context.DeadlineExceeded recognizable but
// drops the request URL, which may hold a customer's email.
func (c *SDKClient) networkError(o op, err error) *Error {
	e := &Error{Kind: KindUnavailable, Operation: o.id}
	// A redirect's URL is its target, never named; any other failure's
	// is the server asked.
	var ue0 *url.Error
	if !errors.Is(err, ErrRedirected) && errors.As(err, &ue0) {
		e.Server = serverOf(ue0.URL)
	}
	if !errors.Is(err, context.Canceled) && !errors.Is(err, ErrRedirected) {
		e.Hint = networkHint(err)
	}
	var timeout interface{ Timeout() bool }
	switch {
	case errors.Is(err, ErrRedirected):
		e.Kind, e.Err = KindRedirect, ErrRedirected
	case errors.Is(err, context.Canceled):
		e.Err = context.Canceled
	case errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &timeout) && timeout.Timeout():
		e.Err = context.DeadlineExceeded
	default:
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		e.Err = c.sanitize(err)
	}
	return e
}

// sanitize returns err's message, with secrets redacted, as a new error.
func (c *SDKClient) sanitize(err error) error {
	if err == nil {
		return nil
	}
	return errors.New(redact(err.Error(), c.token))
}

// reportDecode logs a 2xx body that could not be decoded, in whole or in
// part. The error names types and shapes, never values.
func (c *SDKClient) reportDecode(ctx context.Context, o op, skipped int, err error) {
	switch {
	case err != nil:
		c.log.WarnContext(ctx, "polar answer could not be decoded", "operation", o.id,
			"error", redact(err.Error(), c.token))
	case skipped > 0:
		c.log.WarnContext(ctx, "polar answer had items that could not be decoded; kept their ids only or skipped them",
			"operation", o.id, "skipped", skipped)
	}
}
