package panel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/polar-mcp/polar-mcp/internal/hosted"
)

// maxEmail is the longest email address the API accepts (RFC 5321).
const maxEmail = 254

// InsightsFunc looks a customer up for the agent who sent r (whose
// Authorization header carries the agent's token). It returns the card's
// data, normally an Insights or get_visitor_insights's structuredContent;
// a customer Polar does not know is an answer with customer_found false,
// not an error. An *APIError chooses the HTTP status and message; any
// other error answers 502 with a generic message (its text is not shown).
type InsightsFunc func(ctx context.Context, r *http.Request, email string) (any, error)

// APIError is an error the panel's API answers with its own status and
// a message fit for the agent.
type APIError struct {
	Status  int    // HTTP status, e.g. 401, 403, 404, 429
	Code    string // short machine-readable code, e.g. "unauthorized"
	Message string // what the agent reads; no secrets
}

func (e *APIError) Error() string { return e.Message }

// ErrorBody is the JSON body of every error answer from the panel's API:
// {"error": "unauthorized", "message": "..."}.
type ErrorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// WriteError answers with status and an ErrorBody, so that the lead's
// auth middleware refuses in the shape the page reads.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	hosted.WriteJSON(w, status, ErrorBody{Error: code, Message: message})
}

// maxRequestBody bounds a panel API request body: {"email": "..."}.
const maxRequestBody = 4 << 10

// Request is the body of every panel API request, POSTed as JSON: the
// email travels in the body, never in the URL, so that it stays out of
// proxy and access logs.
type Request struct {
	Email string `json:"email"`
}

// bodyEmail reads the request's JSON body and returns its email, or an
// APIError. An email in the URL's query is refused, not read.
func bodyEmail(r *http.Request) (string, *APIError) {
	if r.URL.Query().Has("email") {
		return "", &APIError{http.StatusBadRequest, "bad_request",
			"send the email in the POST body as {\"email\": \"...\"}, never in the URL"}
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(raw) > maxRequestBody {
		return "", &APIError{http.StatusBadRequest, "bad_request", "the body must be a JSON object {\"email\": \"...\"} of at most 4 KiB"}
	}
	var req Request
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil || dec.More() {
		return "", &APIError{http.StatusBadRequest, "bad_request", "the body must be a JSON object {\"email\": \"...\"}"}
	}
	email := strings.TrimSpace(req.Email)
	switch {
	case email == "":
		return "", &APIError{http.StatusBadRequest, "bad_request", "email is required: pass the customer's email address"}
	case len(email) > maxEmail || !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\r\n"):
		return "", &APIError{http.StatusBadRequest, "bad_request", "that is not an email address"}
	}
	return email, nil
}

// preflight checks what every panel API request needs: POST, a Bearer
// token (the token itself is the lead's auth layer's to check) and an
// email in the JSON body. It answers the refusal itself and returns ""
// then.
func preflight(w http.ResponseWriter, r *http.Request) string {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		WriteError(w, http.StatusMethodNotAllowed, "method_not_allowed", "POST the email as {\"email\": \"...\"}")
		return ""
	}
	if _, ok := hosted.Bearer(r); !ok {
		WriteError(w, http.StatusUnauthorized, "unauthorized", "send the agent token as Authorization: Bearer <token>")
		return ""
	}
	email, aerr := bodyEmail(r)
	if aerr != nil {
		WriteError(w, aerr.Status, aerr.Code, aerr.Message)
		return ""
	}
	return email
}

// NewInsightsAPI serves POST api/insights {"email"}: 200 with insights's
// answer as JSON, or an ErrorBody with 400 (no or bad email), 401 (no
// Bearer token), an *APIError's status, or 502 (Polar failed).
func NewInsightsAPI(insights InsightsFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		email := preflight(w, r)
		if email == "" {
			return
		}
		v, err := insights(r.Context(), r, email)
		var aerr *APIError
		switch {
		case err == nil && v == nil:
			WriteError(w, http.StatusNotFound, "not_found", "Polar has no customer with that email.")
		case err == nil:
			hosted.WriteJSON(w, http.StatusOK, v)
		case errors.As(err, &aerr):
			WriteError(w, aerr.Status, aerr.Code, aerr.Message)
		case r.Context().Err() != nil:
			// The agent went away; nobody reads an answer.
		default:
			WriteError(w, http.StatusBadGateway, "polar_error", "Polar could not answer just now. Try Refresh in a moment.")
		}
	})
}
