package fakepolar

import "net/http"

// GET /v1/orders/{id}: the order as the list shows it (customer
// embedded), 422 for an id that is not a UUID, 404 for an unknown one.
func (s *Server) getOrder(w http.ResponseWriter, _ *http.Request, id string) {
	if o, ok := s.orderByPathID(w, id); ok {
		writeJSON(w, http.StatusOK, o)
	}
}
