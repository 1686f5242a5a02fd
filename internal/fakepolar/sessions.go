package fakepolar

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// POST /v1/customer-sessions/
func (s *Server) createCustomerSession(w http.ResponseWriter, r *http.Request, _ string) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeValidation(w, []validationError{{Loc: []any{"body"}, Msg: "Unable to read body", Type: "value_error"}})
		return
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil || body == nil {
		writeValidation(w, []validationError{{Loc: []any{"body", 0}, Msg: "JSON decode error", Type: "json_invalid",
			Ctx: map[string]any{"error": "Expecting value"}}})
		return
	}
	customer, verr := s.sessionCustomer(body)
	if verr == nil {
		verr = s.sessionMember(customer, body)
	}
	if verr != nil {
		writeValidation(w, []validationError{*verr})
		return
	}
	var returnURL any
	if v, ok := body["return_url"].(string); ok {
		if u, err := url.Parse(v); err != nil || u.Scheme == "" || u.Host == "" {
			writeValidation(w, []validationError{{Loc: []any{"body", "return_url"}, Type: "url_parsing", Input: v,
				Msg: "Input should be a valid URL, relative URL without a base"}})
			return
		}
		returnURL = v
	}
	now := s.opts.Now().UTC()
	token := "polar_cst_" + randomToken(43)
	expires := now.Add(time.Hour)
	s.portal.add(token, portalSession{customerID: str(customer, "id"), memberID: s.sessionMemberID(customer, body),
		expires: expires, returnURL: returnURL})
	writeJSON(w, http.StatusCreated, object{
		"created_at":  now.Format(time.RFC3339Nano),
		"modified_at": nil,
		"id":          randomUUID4(),
		"token":       token,
		"expires_at":  expires.Format(time.RFC3339Nano),
		"return_url":  returnURL,
		"customer_portal_url": fmt.Sprintf("https://polar.sh/%s/portal?customer_session_token=%s",
			url.PathEscape(s.data.orgSlug), url.QueryEscape(token)),
		"customer_id": customer["id"],
		"customer":    customer,
	})
}

// sessionCustomer resolves the body's customer_id or external_customer_id,
// returning the 422 entry Polar answers with when it cannot.
func (s *Server) sessionCustomer(body map[string]any) (object, *validationError) {
	if v, ok := body["customer_id"]; ok {
		loc := []any{"body", "customer_id"}
		id, isStr := v.(string)
		if !isStr {
			return nil, &validationError{Loc: loc, Type: "uuid_type", Input: v, Msg: "UUID input should be a string, bytes or UUID object"}
		}
		canon, verr := parseUUID4(id, loc)
		if verr != nil {
			return nil, verr
		}
		if c := s.data.customer(canon); c != nil {
			return c, nil
		}
		return nil, &validationError{Loc: loc, Type: "value_error", Input: id, Msg: "Customer does not exist."}
	}
	if v, ok := body["external_customer_id"]; ok {
		loc := []any{"body", "external_customer_id"}
		ext, isStr := v.(string)
		if !isStr {
			return nil, &validationError{Loc: loc, Type: "string_type", Input: v, Msg: "Input should be a valid string"}
		}
		for _, c := range s.data.customers {
			if ext != "" && str(c, "external_id") == ext {
				return c, nil
			}
		}
		return nil, &validationError{Loc: loc, Type: "value_error", Input: ext, Msg: "Customer does not exist."}
	}
	return nil, &validationError{Loc: []any{"body", "customer_id"}, Type: "missing", Input: body, Msg: "Field required"}
}

// randomToken returns n random URL-safe alphanumeric characters.
func randomToken(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// randomUUID4 returns a random version 4 UUID.
func randomUUID4() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
