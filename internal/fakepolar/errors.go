package fakepolar

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// validationError is one entry of Polar's HTTPValidationError `detail`.
type validationError struct {
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Type  string         `json:"type"`
	Input any            `json:"input,omitempty"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
}

func writeValidation(w http.ResponseWriter, errs []validationError) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": errs})
}

func writeNotFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]any{"error": "ResourceNotFound", "detail": "Not found"})
}

func writeInvalidToken(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	writeJSON(w, http.StatusUnauthorized, map[string]any{
		"error":             "invalid_token",
		"error_description": "The access token provided is expired, revoked, malformed, or invalid for other reasons.",
	})
}

func writeInsufficientScope(w http.ResponseWriter, scopes []string) {
	w.Header().Set("WWW-Authenticate",
		`Bearer error="insufficient_scope", scope="`+strings.Join(scopes, " ")+`"`)
	writeJSON(w, http.StatusForbidden, map[string]any{
		"error":             "insufficient_scope",
		"error_description": "The request requires higher privileges than provided by the access token.",
	})
}

func writeTooManyRequests(w http.ResponseWriter, retryAfterSeconds int) {
	w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"error":  "Too Many Requests",
		"detail": "Rate limit exceeded",
	})
}

// writeFault answers with f.Status and the body Polar sends with it.
func writeFault(w http.ResponseWriter, f Fault) {
	switch {
	case f.Status == http.StatusUnauthorized:
		writeInvalidToken(w)
	case f.Status == http.StatusForbidden:
		scope := f.Scope
		if scope == "" {
			scope = scopeCustomersRead
		}
		writeInsufficientScope(w, []string{scope})
	case f.Status == http.StatusNotFound:
		writeNotFound(w)
	case f.Status == http.StatusUnprocessableEntity:
		writeValidation(w, []validationError{{
			Loc: []any{"body"}, Msg: "Value error, injected validation failure", Type: "value_error",
		}})
	case f.Status == http.StatusTooManyRequests:
		retry := max(int(f.RetryAfter.Seconds()), 1)
		writeTooManyRequests(w, retry)
	case f.Status >= 500:
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(max(int(f.RetryAfter.Seconds()), 1)))
		}
		writeJSON(w, f.Status, map[string]any{"detail": "Internal Server Error"})
	default:
		writeJSON(w, f.Status, map[string]any{"detail": http.StatusText(f.Status)})
	}
}
