package panel

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode"

	"github.com/polar-mcp/polar-mcp/internal/hosted"
)

// The desk's actions (panel v2): the page posts a small JSON body to each,
// so that neither a customer's email nor a search ever appears in a URL.
const (
	// DeskSearch is api/search: {"query": "..."} → find_customers's answer.
	DeskSearch = "search"
	// DeskPortalLink is api/portal-link: {"email": "..."} → a new
	// customer portal session's link and expiry.
	DeskPortalLink = "portal-link"
	// DeskInvoices is api/invoices: {"email": "..."} → the recent orders
	// with their invoice links.
	DeskInvoices = "invoices"
)

// maxDeskBody bounds a desk request's body.
const maxDeskBody = 4 << 10

// DeskFunc runs one desk action for the agent who sent r (whose
// Authorization header carries the agent's token) with the body's one
// argument, already checked. Its answer is sent as JSON; errors are
// answered as by InsightsFunc's.
type DeskFunc func(ctx context.Context, r *http.Request, arg string) (any, error)

// deskField is the body field each action reads.
func deskField(action string) string {
	if action == DeskSearch {
		return "query"
	}
	return "email"
}

// NewDeskAPI serves one of the desk's actions (DeskSearch,
// DeskPortalLink, DeskInvoices): POST with a JSON body holding the
// action's one field ("query" for the search, "email" otherwise). It
// answers 405 for another method, 401 without a Bearer token, 415 for a
// body that is not JSON, 400 for a missing or malformed argument, then
// fn's answer or error (502 for a plain error, never its text).
func NewDeskAPI(action string, fn DeskFunc) http.Handler {
	field := deskField(action)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			WriteError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use POST with a JSON body")
			return
		}
		if _, ok := hosted.Bearer(r); !ok {
			WriteError(w, http.StatusUnauthorized, "unauthorized", "send the agent token as Authorization: Bearer <token>")
			return
		}
		arg, aerr := deskArg(r, field)
		if aerr != nil {
			WriteError(w, aerr.Status, aerr.Code, aerr.Message)
			return
		}
		v, err := fn(r.Context(), r, arg)
		var e *APIError
		switch {
		case err == nil:
			hosted.WriteJSON(w, http.StatusOK, v)
		case errors.As(err, &e):
			WriteError(w, e.Status, e.Code, e.Message)
		case r.Context().Err() != nil:
		default:
			WriteError(w, http.StatusBadGateway, "polar_error", "Polar could not answer just now. Try again in a moment.")
		}
	})
}

// deskArg reads and checks the body's field.
func deskArg(r *http.Request, field string) (string, *APIError) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return "", &APIError{http.StatusUnsupportedMediaType, "unsupported_media_type", "send the body as application/json"}
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxDeskBody+1))
	if err != nil || len(raw) > maxDeskBody {
		return "", &APIError{http.StatusBadRequest, "bad_request", "the body is too large"}
	}
	var body map[string]any
	if json.Unmarshal(raw, &body) != nil {
		return "", &APIError{http.StatusBadRequest, "bad_request", "the body must be a JSON object"}
	}
	s, _ := body[field].(string)
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", &APIError{http.StatusBadRequest, "bad_request", field + " is required"}
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", &APIError{http.StatusBadRequest, "bad_request", "the " + field + " has control characters"}
	case field == "query" && len(s) > 200:
		return "", &APIError{http.StatusBadRequest, "bad_request", "the search is too long (at most 200 characters)"}
	case field == "email" && (len(s) > maxEmail || !strings.Contains(s, "@") || strings.ContainsAny(s, " \t")):
		return "", &APIError{http.StatusBadRequest, "bad_request", "that is not an email address"}
	}
	return s, nil
}
