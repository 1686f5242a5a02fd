package panel

import (
	"context"
	"errors"
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

// queryEmail is the email query parameter, or an APIError.
func queryEmail(r *http.Request) (string, *APIError) {
	email := strings.TrimSpace(r.URL.Query().Get("email"))
	switch {
	case email == "":
		return "", &APIError{http.StatusBadRequest, "bad_request", "email is required: pass the customer's email address"}
	case len(email) > maxEmail || !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\r\n"):
		return "", &APIError{http.StatusBadRequest, "bad_request", "that is not an email address"}
	}
	return email, nil
}

// preflight checks what every panel API request needs: GET, a Bearer
// token (the token itself is the lead's auth layer's to check) and an
// email. It answers the refusal itself and returns "" then.
func preflight(w http.ResponseWriter, r *http.Request) string {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		WriteError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use GET")
		return ""
	}
	if _, ok := hosted.Bearer(r); !ok {
		WriteError(w, http.StatusUnauthorized, "unauthorized", "send the agent token as Authorization: Bearer <token>")
		return ""
	}
	email, aerr := queryEmail(r)
	if aerr != nil {
		WriteError(w, aerr.Status, aerr.Code, aerr.Message)
		return ""
	}
	return email
}

// NewInsightsAPI serves GET api/insights?email=: 200 with insights's
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
