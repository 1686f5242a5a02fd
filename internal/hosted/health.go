package hosted

import (
	"encoding/json"
	"net/http"

	"github.com/mark3labs/mcp-go/server"
)

type status struct {
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
	Details any    `json:"details,omitempty"`
}

func writeStatus(w http.ResponseWriter, code int, s status) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(s)
}

// healthz is liveness: the process serves HTTP.
func (h *Handler) healthz(w http.ResponseWriter, _ *http.Request) {
	writeStatus(w, http.StatusOK, status{Status: "ok"})
}

// readyz is readiness: Config.Ready passes and the server is not shutting
// down. Its details are the public ones unless Config.ReadyFull lets the
// request see them all.
func (h *Handler) readyz(w http.ResponseWriter, r *http.Request) {
	h.ready(w, r, h.cfg.ReadyFull != nil && h.cfg.ReadyFull(r))
}

// Readiness is /readyz with the full details, for a listener of the
// operator's own (the metrics listener), never the public one.
func (h *Handler) Readiness() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ready(w, r, true) })
}

func (h *Handler) ready(w http.ResponseWriter, r *http.Request, full bool) {
	if h.drain.closing() {
		writeStatus(w, http.StatusServiceUnavailable, status{Status: "shutting down"})
		return
	}
	var details any
	if h.cfg.ReadyDetails != nil {
		details = h.cfg.ReadyDetails(r.Context(), full)
	}
	if h.cfg.Ready != nil {
		if err := h.cfg.Ready(r.Context()); err != nil {
			writeStatus(w, http.StatusServiceUnavailable, status{Status: "not ready", Reason: err.Error(), Details: details})
			return
		}
	}
	writeStatus(w, http.StatusOK, status{Status: "ready", Details: details})
}

// resourceMetadata serves RFC 9728 protected resource metadata: the
// resource, that tokens go in the Authorization header, and the
// authorization server: with an issuer, the issuer and the scopes to ask
// it for; without, polar-mcp itself, which explains that it issues no
// tokens (see discovery.go).
func (h *Handler) resourceMetadata(w http.ResponseWriter, r *http.Request) {
	connection := r.PathValue("connection")
	if h.cfg.PerConnection && !validConnection(connection) {
		writeError(w, http.StatusNotFound, "not_found", "unknown connection")
		return
	}
	md := server.ProtectedResourceMetadataConfig{
		Resource:               h.resource(connection),
		BearerMethodsSupported: []string{"header"},
		ResourceName:           "polar-mcp",
	}
	if h.cfg.Issuer != nil {
		md.AuthorizationServers = []string{h.cfg.Issuer.URL()}
		md.ScopesSupported = h.cfg.Issuer.Scopes()
	} else {
		md.AuthorizationServers = []string{h.base.String()} // see discovery.go
	}
	server.NewProtectedResourceMetadataHandler(md).ServeHTTP(w, r)
}
