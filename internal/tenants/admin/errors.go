package admin

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// errorBody is every admin API error. It is not the MCP endpoints' OAuth
// shape {error, error_description}: admin clients (operators' scripts)
// read message and missing_scopes, so the shape stays as it was.
type errorBody struct {
	Error         string   `json:"error"`
	Message       string   `json:"message"`
	MissingScopes []string `json:"missing_scopes,omitempty"`
}

// fail writes the error for err. token, when not empty, is the plaintext
// token of the request, removed from the message should anything ever
// quote it.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error, token string) {
	status, body := classify(err)
	if token = strings.TrimSpace(token); token != "" {
		body.Message = strings.ReplaceAll(body.Message, token, "[redacted]")
	}
	if status == http.StatusInternalServerError {
		a.log.ErrorContext(r.Context(), "admin request failed", slog.String("path", r.URL.Path), slog.String("error", body.Message))
		body.Message = "internal error; see the server log"
	}
	hosted.WriteJSON(w, status, body)
}

// classify maps an error to its status and body.
func classify(err error) (int, errorBody) {
	var missing *tenants.MissingScopesError
	msg := err.Error()
	switch {
	case errors.As(err, &missing):
		return http.StatusUnprocessableEntity, errorBody{Error: "missing_scopes", Message: msg, MissingScopes: missing.Scopes}
	case errors.Is(err, tenants.ErrUnauthorized):
		return http.StatusUnprocessableEntity, errorBody{Error: "invalid_token", Message: msg}
	case errors.Is(err, tenants.ErrUpstream):
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

// invalid wraps connections.ErrInvalid with a message.
func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", connections.ErrInvalid, fmt.Sprintf(format, a...))
}
