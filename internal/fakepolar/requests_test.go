package fakepolar

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestRequestAccounting(t *testing.T) {
	s, hs := newTestServer(t, demoFS(t), Options{})
	req, _ := http.NewRequest("GET", hs.URL+"/v1/subscriptions/?customer_id="+aliceID+"&customer_id="+bobID, nil)
	req.Header.Set("Authorization", "Bearer "+DemoToken)
	req.Header.Set("Polar-Version", "2026-10")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	do(t, "GET", hs.URL+"/v1/customers/", "", "")

	reqs := s.Requests()
	if len(reqs) != 2 || s.RequestCount() != 2 {
		t.Fatalf("recorded %d requests (count %d), want 2", len(reqs), s.RequestCount())
	}
	first := reqs[0]
	if first.Method != "GET" || first.Path != "/v1/subscriptions/" || first.PolarVersion != "2026-10" ||
		!first.Authorized || len(first.Query["customer_id"]) != 2 || first.Query.Get("customer_id") != aliceID {
		t.Errorf("first request recorded as %+v", first)
	}
	if reqs[1].Authorized || reqs[1].Path != "/v1/customers/" {
		t.Errorf("unauthenticated request recorded as %+v", reqs[1])
	}
	if dump := fmt.Sprintf("%#v", reqs); strings.Contains(dump, DemoToken) {
		t.Errorf("recorded requests hold the token: %s", dump)
	}
	// Callers get copies.
	reqs[0].Query.Set("customer_id", "changed")
	if s.Requests()[0].Query.Get("customer_id") != aliceID {
		t.Error("modifying a returned Request changed the record")
	}
	s.ResetRequests()
	if s.RequestCount() != 0 || len(s.Requests()) != 0 {
		t.Errorf("after ResetRequests: %d requests", s.RequestCount())
	}
}
