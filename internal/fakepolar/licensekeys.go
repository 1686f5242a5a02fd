package fakepolar

import "net/http"

// GET /v1/license-keys/{id} answers a LicenseKeyWithActivations as Polar
// does, full `key` included: hiding it is the client's job. The fixture
// keys are placeholders (…-DEMO-FAKE-KEY-NOT-REAL-…), never real keys.
func (s *Server) getLicenseKey(w http.ResponseWriter, _ *http.Request, id string) {
	canon, verr := parseUUID4(id, []any{"path", "id"})
	if verr != nil {
		writeValidation(w, []validationError{*verr})
		return
	}
	lk := findByID(s.data.licenseKeys, canon)
	if lk == nil {
		writeNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, lk)
}

// activeMeters is the customer state's active_meters: every customer meter
// of the customer (customer_meters.json), as CustomerStateMeter objects.
func (s *Server) activeMeters(customerID string) []object {
	fields := []string{"id", "created_at", "modified_at", "meter_id", "consumed_units", "credited_units", "balance"}
	out := []object{}
	for _, m := range s.data.meters {
		if str(m, "customer_id") == customerID {
			out = append(out, pick(m, fields))
		}
	}
	return out
}
