package hosted

import (
	"net/http"
)

// Without an OpenID Connect issuer, caller tokens come from the merchant's
// backend, signed with the shared secret: there is no OAuth authorization
// server a client could get one from. The MCP authorization specification
// still has protected resource metadata name one, and OAuth clients (the
// MCP Inspector, the SDKs' OAuth providers) start a flow on every 401. So
// polar-mcp names itself, and its authorization server metadata (RFC 8414)
// points at endpoints that each answer, in the shape the step expects,
// why no token can be had there and what to do instead: the client shows
// that reason instead of dead-ending in a flow that cannot complete.

// noTokensHere is the reason every OAuth step of the shared-secret mode
// answers with.
const noTokensHere = "polar-mcp does not issue tokens: send the caller token the merchant's backend " +
	"gave you (see polar-mcp token) as Authorization: Bearer <token>"

// oauthPaths are the endpoints of that authorization server.
const (
	oauthMetadataPath  = "/.well-known/oauth-authorization-server"
	oauthAuthorizePath = "/oauth/authorize"
	oauthTokenPath     = "/oauth/token"
	oauthRegisterPath  = "/oauth/register"
)

// sharedSecretRoutes serves the authorization server of the shared-secret
// mode (no Config.Issuer).
func (h *Handler) sharedSecretRoutes() {
	if h.cfg.Issuer != nil {
		return
	}
	h.mux.HandleFunc("GET "+oauthMetadataPath, h.oauthMetadata)
	h.mux.HandleFunc(oauthAuthorizePath, func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusBadRequest, "access_denied", noTokensHere)
	})
	h.mux.HandleFunc(oauthTokenPath, func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusBadRequest, "unsupported_grant_type", noTokensHere)
	})
	h.mux.HandleFunc(oauthRegisterPath, func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusBadRequest, "invalid_client_metadata", noTokensHere)
	})
}

// oauthMetadata is RFC 8414 authorization server metadata for the
// shared-secret mode.
func (h *Handler) oauthMetadata(w http.ResponseWriter, _ *http.Request) {
	base := h.base.String()
	WriteJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base,
		"authorization_endpoint":                base + oauthAuthorizePath,
		"token_endpoint":                        base + oauthTokenPath,
		"registration_endpoint":                 base + oauthRegisterPath,
		"response_types_supported":              []string{"code"},
		"grant_types_supported":                 []string{"authorization_code"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"none"},
		"service_documentation":                 "https://github.com/polar-mcp/polar-mcp#hosted-mode",
		"polar_mcp_note":                        noTokensHere,
	})
}
