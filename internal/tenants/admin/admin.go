// Package admin is polar-mcp's admin HTTP API: the tenants.Service's
// connection lifecycle under /admin/connections, behind
// "Authorization: Bearer <admin key>". It writes JSON and parses the
// bearer key with package hosted's WriteJSON and Bearer, the server's
// only ones.
package admin

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/hosted"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// maxBody bounds an admin request body.
const maxBody = 64 << 10

// Path is where the admin API is served.
const Path = "/admin/connections"

// Service is the connection lifecycle the API serves; *tenants.Service
// is one.
type Service interface {
	Add(ctx context.Context, req tenants.AddRequest) (tenants.Added, error)
	List(ctx context.Context) ([]connections.Connection, error)
	Get(ctx context.Context, id string) (connections.Connection, error)
	Check(ctx context.Context, id string) (tenants.Checked, error)
	RotateSecret(ctx context.Context, id string) (connections.Secret, error)
	SetWebhookSecret(ctx context.Context, id, secret string) (connections.Connection, error)
	SetRateLimit(ctx context.Context, id string, perMinute int) (connections.Connection, error)
	Disable(ctx context.Context, id string) (connections.Connection, error)
	Enable(ctx context.Context, id string) (connections.Connection, error)
	Remove(ctx context.Context, id string) error
}

// API is the admin HTTP API: the Service's operations under
// /admin/connections, behind "Authorization: Bearer <admin key>".
//
//	POST   /admin/connections                     {name, environment, token} → 201 {connection, signing_secret, warnings}
//	GET    /admin/connections                     → {connections: [...]}
//	GET    /admin/connections/{id}                → {connection}
//	POST   /admin/connections/{id}/check          → {connection, warnings}
//	POST   /admin/connections/{id}/rotate-secret  → {connection_id, signing_secret}
//	PUT    /admin/connections/{id}/webhook-secret {webhook_secret} → {connection} ("" removes it)
//	PUT    /admin/connections/{id}/rate-limit {requests_per_minute} → {connection} (0: the server's)
//	POST   /admin/connections/{id}/disable        → {connection}
//	POST   /admin/connections/{id}/enable         → {connection}
//	DELETE /admin/connections/{id}                → 204
//
// The Polar token is never returned; a signing secret only by create and
// rotate-secret. Errors are {error, message[, missing_scopes]}.
type API struct {
	svc    Service
	keySum [sha256.Size]byte
	log    *slog.Logger
	mux    *http.ServeMux
}

// New returns the admin API for svc, guarded by key (at least config.MinAdminKey
// bytes). A nil logger means slog.Default().
func New(svc Service, key string, logger *slog.Logger) (*API, error) {
	if svc == nil {
		return nil, errors.New("admin: New needs a Service")
	}
	if len(key) < config.MinAdminKey {
		return nil, fmt.Errorf("admin: the admin key must be at least %d bytes, got %d", config.MinAdminKey, len(key))
	}
	a := &API{svc: svc, keySum: sha256.Sum256([]byte(key)), log: logger, mux: http.NewServeMux()}
	if a.log == nil {
		a.log = slog.Default()
	}
	a.mux.HandleFunc("POST "+Path, a.create)
	a.mux.HandleFunc("GET "+Path, a.list)
	a.mux.HandleFunc("GET "+Path+"/{id}", a.get)
	a.mux.HandleFunc("POST "+Path+"/{id}/check", a.check)
	a.mux.HandleFunc("POST "+Path+"/{id}/rotate-secret", a.rotateSecret)
	a.mux.HandleFunc("PUT "+Path+"/{id}/webhook-secret", a.setWebhookSecret)
	a.mux.HandleFunc("PUT "+Path+"/{id}/rate-limit", a.setRateLimit)
	a.mux.HandleFunc("POST "+Path+"/{id}/disable", a.disable)
	a.mux.HandleFunc("POST "+Path+"/{id}/enable", a.enable)
	a.mux.HandleFunc("DELETE "+Path+"/{id}", a.remove)
	return a, nil
}

// ServeHTTP checks the admin key, then serves the request. Responses are
// never cached: some carry a signing secret.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !a.Authorized(r) {
		a.log.InfoContext(r.Context(), "refused admin request", slog.String("method", r.Method), slog.String("path", r.URL.Path))
		w.Header().Set("WWW-Authenticate", `Bearer realm="polar-mcp admin"`)
		hosted.WriteJSON(w, http.StatusUnauthorized, errorBody{Error: "unauthorized", Message: "send Authorization: Bearer <admin key>"})
		return
	}
	a.mux.ServeHTTP(w, r)
}

// Authorized reports whether r carries the admin key, compared in
// constant time (of equal-length digests, so the key's length does not
// leak either). The detailed /readyz asks it too.
func (a *API) Authorized(r *http.Request) bool {
	key, ok := hosted.Bearer(r)
	if !ok {
		return false
	}
	sum := sha256.Sum256([]byte(key))
	return subtle.ConstantTimeCompare(sum[:], a.keySum[:]) == 1
}

// createRequest is POST /admin/connections's body. Unknown fields (a
// server_url, say) are refused: a connection names an environment only.
type createRequest struct {
	Name        string `json:"name"`
	Environment string `json:"environment"`
	Token       string `json:"token"`
}

// created is the answer to a create: the signing secret, this once.
type created struct {
	Connection    connections.Connection `json:"connection"`
	SigningSecret string                 `json:"signing_secret"`
	Warnings      []string               `json:"warnings"`
}

// checked is the answer to a check.
type checked struct {
	Connection connections.Connection `json:"connection"`
	Warnings   []string               `json:"warnings"`
}

// rotated is the answer to rotate-secret.
type rotated struct {
	ConnectionID  string `json:"connection_id"`
	SigningSecret string `json:"signing_secret"`
}

// one wraps a single connection.
type one struct {
	Connection connections.Connection `json:"connection"`
}

func (a *API) create(w http.ResponseWriter, r *http.Request) {
	var req createRequest
	if err := decode(w, r, &req); err != nil {
		a.fail(w, r, invalid("the body must be a JSON object {name, environment, token}%s", unknownField(err)), "")
		return
	}
	added, err := a.svc.Add(r.Context(), tenants.AddRequest(req))
	if err != nil {
		a.fail(w, r, err, req.Token)
		return
	}
	w.Header().Set("Location", Path+"/"+added.Connection.ID)
	hosted.WriteJSON(w, http.StatusCreated, created{
		Connection:    added.Connection,
		SigningSecret: added.SigningSecret.Reveal(),
		Warnings:      nonNil(added.Warnings),
	})
}

func (a *API) list(w http.ResponseWriter, r *http.Request) {
	list, err := a.svc.List(r.Context())
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	hosted.WriteJSON(w, http.StatusOK, map[string]any{"connections": list})
}

func (a *API) get(w http.ResponseWriter, r *http.Request) {
	c, err := a.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	hosted.WriteJSON(w, http.StatusOK, one{c})
}

func (a *API) check(w http.ResponseWriter, r *http.Request) {
	res, err := a.svc.Check(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	hosted.WriteJSON(w, http.StatusOK, checked{Connection: res.Connection, Warnings: nonNil(res.Warnings)})
}

func (a *API) rotateSecret(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	secret, err := a.svc.RotateSecret(r.Context(), id)
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	hosted.WriteJSON(w, http.StatusOK, rotated{ConnectionID: id, SigningSecret: secret.Reveal()})
}

func (a *API) setWebhookSecret(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Secret *string `json:"webhook_secret"`
	}
	if err := decode(w, r, &req); err != nil || req.Secret == nil {
		a.fail(w, r, invalid("the body must be a JSON object {webhook_secret}%s", unknownField(err)), "")
		return
	}
	c, err := a.svc.SetWebhookSecret(r.Context(), r.PathValue("id"), *req.Secret)
	if err != nil {
		a.fail(w, r, err, *req.Secret)
		return
	}
	hosted.WriteJSON(w, http.StatusOK, one{c})
}

func (a *API) setRateLimit(w http.ResponseWriter, r *http.Request) {
	var req struct {
		PerMinute *int `json:"requests_per_minute"`
	}
	if err := decode(w, r, &req); err != nil || req.PerMinute == nil {
		a.fail(w, r, invalid("the body must be a JSON object {requests_per_minute}: a whole number, 0 for the server's limit%s", unknownField(err)), "")
		return
	}
	c, err := a.svc.SetRateLimit(r.Context(), r.PathValue("id"), *req.PerMinute)
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	hosted.WriteJSON(w, http.StatusOK, one{c})
}

func (a *API) disable(w http.ResponseWriter, r *http.Request) {
	c, err := a.svc.Disable(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	hosted.WriteJSON(w, http.StatusOK, one{c})
}

func (a *API) enable(w http.ResponseWriter, r *http.Request) {
	c, err := a.svc.Enable(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err, "")
		return
	}
	hosted.WriteJSON(w, http.StatusOK, one{c})
}

func (a *API) remove(w http.ResponseWriter, r *http.Request) {
	if err := a.svc.Remove(r.Context(), r.PathValue("id")); err != nil {
		a.fail(w, r, err, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// errTrailing is decode's error for a body with more after its object.
var errTrailing = errors.New("trailing data after the JSON object")

// decode reads a request body that must be exactly one JSON object of
// v's fields (at most maxBody bytes): unknown fields and anything after
// the object (a second object, stray text) are refused.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailing
	}
	return nil
}

// unknownField names why a JSON decode refused the body when that is an
// unknown field or trailing data; a field name is never a secret, a value
// could be.
func unknownField(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, errTrailing) {
		return ": " + errTrailing.Error() + " (send one object)"
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		return ": " + strings.TrimPrefix(msg, "json: ") + " (a connection names an environment, never a server URL)"
	}
	return ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
