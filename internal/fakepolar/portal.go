package fakepolar

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// The customer portal's own API, as far as a test needs it to follow a
// portal link: the customer session token in the link's query
// authenticates GET /v1/customer-portal/customer-session/introspect (the
// session's expiry) and GET /v1/customer-portal/customer-session/user
// (whom it opens the portal as: a customer, or a team's member), until
// the session expires. Polar's security scheme for these is the
// customer or member session, not an organization token.

// scopeCustomerPortalRead is what a customer session grants.
const scopeCustomerPortalRead = "customer_portal:read"

// portalPrefix starts every customer-portal path.
const portalPrefix = "/v1/customer-portal/"

// portalSession is one customer session created by
// POST /v1/customer-sessions/.
type portalSession struct {
	customerID string
	memberID   string // "": a customer session, no member
	expires    time.Time
	returnURL  any
}

// portalSessions are the sessions created so far, by token.
type portalSessions struct {
	mu sync.Mutex
	m  map[string]portalSession
}

func (p *portalSessions) add(token string, s portalSession) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]portalSession{}
	}
	p.m[token] = s
}

func (p *portalSessions) get(token string) (portalSession, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.m[token]
	return s, ok
}

// portalRoutes are the customer-portal operations the fake serves.
func (s *Server) portalRoutes() []route {
	scopes := []string{scopeCustomerPortalRead}
	return []route{
		{http.MethodGet, portalPrefix + "customer-session/introspect", scopes, s.introspectPortalSession},
		{http.MethodGet, portalPrefix + "customer-session/user", scopes, s.portalUser},
	}
}

// portalSessionOf authenticates a customer-portal request by its
// customer session token, answering 401 as Polar does when the token is
// unknown or expired.
func (s *Server) portalSessionOf(w http.ResponseWriter, r *http.Request) (portalSession, bool) {
	ps, ok := s.portal.get(bearerToken(r))
	if !ok || !s.opts.Now().Before(ps.expires) {
		writeInvalidToken(w)
		return portalSession{}, false
	}
	return ps, true
}

// GET /v1/customer-portal/customer-session/introspect
func (s *Server) introspectPortalSession(w http.ResponseWriter, r *http.Request, _ string) {
	ps, ok := s.portalSessionOf(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, object{"expires_at": ps.expires.UTC().Format(time.RFC3339Nano), "return_url": ps.returnURL})
}

// GET /v1/customer-portal/customer-session/user
func (s *Server) portalUser(w http.ResponseWriter, r *http.Request, _ string) {
	ps, ok := s.portalSessionOf(w, r)
	if !ok {
		return
	}
	c := s.data.customer(ps.customerID)
	if c == nil {
		writeInvalidToken(w) // the customer was deleted since
		return
	}
	user := object{"type": "customer", "name": c["name"], "email": c["email"], "customer_id": ps.customerID,
		"member_id": nil, "role": nil}
	if m := s.data.member(ps.customerID, ps.memberID); ps.memberID != "" && m != nil {
		user = object{"type": "member", "name": m["name"], "email": m["email"], "customer_id": ps.customerID,
			"member_id": m["id"], "role": m["role"]}
	}
	writeJSON(w, http.StatusOK, user)
}

// sessionMemberID is the id of the member a session body names (by
// member_id or external_member_id); naming none, with the member model
// on, the customer's owner member, as Polar does; else "".
func (s *Server) sessionMemberID(c object, body map[string]any) string {
	if id, ok := body["member_id"].(string); ok {
		if m := s.data.member(str(c, "id"), strings.ToLower(id)); m != nil {
			return str(m, "id")
		}
	}
	if ext, ok := body["external_member_id"].(string); ok {
		if m := s.data.memberByExternal(str(c, "id"), ext); m != nil {
			return str(m, "id")
		}
	}
	if s.data.memberModel() {
		for _, m := range s.data.members {
			if str(m, "customer_id") == str(c, "id") && str(m, "role") == "owner" {
				return str(m, "id")
			}
		}
	}
	return ""
}
