package polar

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/textsafe"
)

// maxDetailRunes bounds the Polar detail kept in an *Error.
const maxDetailRunes = 300

// maxRetryAfter bounds a parsed Retry-After, so that the wait told to a
// user is never longer than the Limiter's pause.
const maxRetryAfter = MaxRateLimitPause

// classify turns a non-2xx response into an *Error.
func (c *SDKClient) classify(o op, s *capture) *Error {
	var b errorBody
	_ = json.Unmarshal(s.body, &b) // a non-JSON error body has no detail
	e := &Error{Status: s.status, Operation: o.id, Detail: clean(b.detail(), c.token)}
	switch {
	case s.status == http.StatusUnauthorized:
		e.Kind = KindUnauthorized
	case s.status == http.StatusForbidden:
		e.Kind = KindForbidden
		if b.Error == "insufficient_scope" ||
			strings.Contains(s.header.Get("WWW-Authenticate"), "insufficient_scope") {
			e.Kind = KindInsufficientScope
			e.Scope = o.scope
		}
	case s.status == http.StatusNotFound:
		e.Kind = KindNotFound
	case s.status == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
		e.RetryAfter, _ = parseRetryAfter(s.header.Get("Retry-After"), time.Now())
	case s.status >= 400 && s.status < 500:
		e.Kind = KindInvalid // 422, and any other request Polar refused
	default:
		e.Kind = KindUnavailable // 5xx, and statuses Polar never sends
	}
	return e
}

// errorBody is any of Polar's error bodies: OAuth-style errors
// (error, error_description), ResourceNotFound (error, detail) and
// validation errors (detail as a list).
type errorBody struct {
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	Detail           json.RawMessage `json:"detail"`
}

func (b errorBody) detail() string {
	var s string
	if json.Unmarshal(b.Detail, &s) == nil && s != "" {
		return s
	}
	var list []struct {
		Msg string `json:"msg"`
	}
	if json.Unmarshal(b.Detail, &list) == nil && len(list) > 0 && list[0].Msg != "" {
		return list[0].Msg
	}
	return b.ErrorDescription
}

// parseRetryAfter parses a Retry-After header, delta-seconds or HTTP-date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, int64(maxRetryAfter/time.Second))) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), maxRetryAfter), true
}

// clean makes upstream text safe to show: secrets redacted, then the
// character rules every answer shares (textsafe.Inline: hidden
// characters dropped, whitespace collapsed, markdown and HTML
// neutralized, length bounded).
func clean(s, token string) string {
	return textsafe.Inline(redact(s, token), maxDetailRunes)
}

// redact replaces token, and anything shaped like a Polar token
// (polar_oat_…, polar_pat_…, polar_cst_…), with "[redacted]".
func redact(s, token string) string {
	if token != "" {
		s = strings.ReplaceAll(s, token, "[redacted]")
	}
	const prefix, minLen = "polar_", 16
	var out strings.Builder
	for {
		i := strings.Index(s, prefix)
		if i < 0 {
			break
		}
		j := i + len(prefix)
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		out.WriteString(s[:i])
		if j-i-len(prefix) >= minLen {
			out.WriteString("[redacted]")
		} else {
			out.WriteString(s[i:j])
		}
		s = s[j:]
	}
	out.WriteString(s)
	return out.String()
}

func isWordByte(b byte) bool {
	return b == '_' || b == '-' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
