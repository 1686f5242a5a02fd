package fakepolar

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// controlPrefix is the root of the control surface; Polar has no such path.
const controlPrefix = "/__fake/"

func isControlPath(path string) bool { return strings.HasPrefix(path, controlPrefix) }

// serveControl answers the control surface (Options.Control), for
// processes that drive a running fake (polar-mcp fake-polar, acceptance
// scripts). It needs no token and is not recorded in Requests:
//
//	POST /__fake/customers            body: a customer      → AddCustomer, 201
//	POST /__fake/customers/{id}       body: a patch         → UpdateCustomer, 200
//	POST /__fake/subscriptions        body: a subscription  → AddSubscription, 201
//	POST /__fake/subscriptions/{id}   body: a patch         → UpdateSubscription, 200
//	POST /__fake/orders/{id}          body: a patch         → UpdateOrder, 200
//	POST /__fake/benefit-grants/{id}  body: a patch         → UpdateBenefitGrant, 200
//	GET  /__fake/webhooks             → WebhookDeliveries (without bodies)
//
// Bad input is answered 400, an unknown id 404, both as
// {"error": ..., "detail": ...}.
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, controlPrefix), "/")
	kind, id := parts[0], ""
	if len(parts) == 2 && parts[1] != "" {
		id = parts[1]
	}
	if len(parts) > 2 || (len(parts) == 2 && parts[1] == "") {
		controlError(w, http.StatusNotFound, "NotFound", "no control endpoint "+r.URL.Path)
		return
	}
	if kind == "webhooks" && id == "" {
		if r.Method != http.MethodGet {
			controlError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "use GET")
			return
		}
		s.controlWebhooks(w)
		return
	}
	type op = func(string, map[string]any) (map[string]any, error)
	add := map[string]func(map[string]any) (map[string]any, error){
		"customers": s.AddCustomer, "subscriptions": s.AddSubscription,
	}
	update := map[string]op{
		"customers": s.UpdateCustomer, "subscriptions": s.UpdateSubscription,
		"orders": s.UpdateOrder, "benefit-grants": s.UpdateBenefitGrant,
	}
	addFn, updateFn := add[kind], update[kind]
	if (id == "" && addFn == nil) || (id != "" && updateFn == nil) {
		controlError(w, http.StatusNotFound, "NotFound", "no control endpoint "+r.URL.Path)
		return
	}
	if r.Method != http.MethodPost {
		controlError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "use POST")
		return
	}
	var body map[string]any
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err == nil {
		err = json.Unmarshal(raw, &body)
	}
	if err != nil || body == nil {
		controlError(w, http.StatusBadRequest, "InvalidBody", "the body must be a JSON object")
		return
	}
	var out map[string]any
	status := http.StatusOK
	if id == "" {
		out, err = addFn(body)
		status = http.StatusCreated
	} else {
		out, err = updateFn(id, body)
	}
	switch {
	case errors.Is(err, ErrNotFound):
		controlError(w, http.StatusNotFound, "ResourceNotFound", err.Error())
	case err != nil:
		controlError(w, http.StatusBadRequest, "InvalidPatch", err.Error())
	default:
		writeJSON(w, status, out)
	}
}

// controlWebhooks lists the webhook deliveries so far.
func (s *Server) controlWebhooks(w http.ResponseWriter) {
	items := []map[string]any{}
	for _, d := range s.WebhookDeliveries() {
		items = append(items, map[string]any{
			"id": d.ID, "type": d.Type, "timestamp": d.Timestamp.Unix(), "attempts": d.Attempts,
			"status": d.Status, "error": d.Err, "delivered": d.Delivered,
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

func controlError(w http.ResponseWriter, status int, code, detail string) {
	writeJSON(w, status, map[string]any{"error": code, "detail": detail})
}
