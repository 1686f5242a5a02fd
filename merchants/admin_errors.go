package merchants

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/polar-mcp/polar-mcp/connections"
)

// errorBody is every admin API error.
type errorBody struct {
	Error         string   `json:"error"`
	Message       string   `json:"message"`
	MissingScopes []string `json:"missing_scopes,omitempty"`
}

// fail writes the error for err. token, when not empty, is the plaintext
// token of the request, removed from the message should anything ever
// quote it.
func (a *Admin) fail(w http.ResponseWriter, r *http.Request, err error, token string) {
	status, body := classify(err)
	if token = strings.TrimSpace(token); token != "" {
		body.Message = strings.ReplaceAll(body.Message, token, "[redacted]")
	}
	if status == http.StatusInternalServerError {
		a.log.ErrorContext(r.Context(), "admin request failed", slog.String("path", r.URL.Path), slog.String("error", body.Message))
		body.Message = "internal error; see the server log"
	}
	writeJSON(w, status, body)
}

// classify maps an error to its status and body.
func classify(err error) (int, errorBody) {
	var missing *MissingScopesError
	msg := err.Error()
	switch {
	case errors.As(err, &missing):
		return http.StatusUnprocessableEntity, errorBody{Error: "missing_scopes", Message: msg, MissingScopes: missing.Scopes}
	case errors.Is(err, ErrUnauthorized):
		return http.StatusUnprocessableEntity, errorBody{Error: "invalid_token", Message: msg}
	case errors.Is(err, ErrUpstream):
		return http.StatusBadGateway, errorBody{Error: "polar_unavailable", Message: msg}
	case errors.Is(err, connections.ErrInvalid):
		return http.StatusBadRequest, errorBody{Error: "invalid_request", Message: msg}
	case errors.Is(err, connections.ErrNotFound):
		return http.StatusNotFound, errorBody{Error: "not_found", Message: msg}
	case errors.Is(err, connections.ErrDisabled):
		return http.StatusConflict, errorBody{Error: "disabled", Message: msg + "; enable it first"}
	default:
		return http.StatusInternalServerError, errorBody{Error: "internal", Message: msg}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
