package testkit

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

func TestPairRoutesByToken(t *testing.T) {
	p, err := NewPair(fakepolar.Options{Tokens: map[string][]string{"tok_north": fakepolar.AllScopes()}},
		fakepolar.Options{Tokens: map[string][]string{"tok_kestrel": fakepolar.AllScopes()}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(p)
	t.Cleanup(hs.Close)
	orgs := func(token string) (int, []string) {
		t.Helper()
		req, _ := http.NewRequest("GET", hs.URL+"/v1/organizations/", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		_ = json.NewDecoder(res.Body).Decode(&page)
		var ids []string
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		return res.StatusCode, ids
	}
	_, north := orgs("tok_north")
	_, kestrel := orgs("tok_kestrel")
	if len(north) == 0 || len(kestrel) == 0 || north[0] != p.Demo.OrganizationID() || kestrel[0] != p.Other.OrganizationID() ||
		p.Demo.OrganizationID() == p.Other.OrganizationID() {
		t.Errorf("organizations: northwind token sees %v, kestrel token %v", north, kestrel)
	}
	if status, _ := orgs("tok_stranger"); status != 401 {
		t.Errorf("unknown token: %d", status)
	}
	if p.RequestCount() != 3 {
		t.Errorf("RequestCount %d, want 3", p.RequestCount())
	}
	if _, err := NewPair(fakepolar.Options{Tokens: map[string][]string{"t": nil}}, fakepolar.Options{Tokens: map[string][]string{"t": nil}}); err == nil {
		t.Error("NewPair accepted a token shared by both organizations")
	}
}
