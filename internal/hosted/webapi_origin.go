package hosted

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// sameSiteWeb is sameSite for the server's own web pages' APIs (the
// agent panel): besides the configured origins, a request from the very
// origin it is sent to is allowed, such as a POST from the panel page
// served by this server at whatever host the agent reached it by
// (localhost, or an address that is not the configured base URL). The
// Host itself is checked as always (DNS rebinding); the caller is still
// authenticated by the Bearer token alone, which a browser never sends
// on its own.
func (h *Handler) sameSiteWeb(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || h.origins.allows(origin) || !h.hostAllowed(r) {
		return h.sameSite(w, r)
	}
	if u, err := url.Parse(origin); err == nil && (u.Scheme == "http" || u.Scheme == "https") &&
		u.Path == "" && u.Host != "" && strings.EqualFold(u.Host, r.Host) {
		return true
	}
	writeError(w, http.StatusForbidden, "forbidden", fmt.Sprintf("origin %q is not allowed", origin))
	return false
}
