package fakepolar

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Fixture IDs used across the tests (see fixtures/demo/README.md).
const (
	demoOrgID   = "a0000000-0001-4000-8001-000000000001"
	aliceID     = "c1000000-0001-4000-8001-000000000001"
	bobID       = "c1000000-0001-4000-8002-000000000002"
	carolID     = "c1000000-0001-4000-8003-000000000003"
	teamID      = "c1000000-0001-4000-8004-000000000004"
	daveID      = "c1000000-0001-4000-8005-000000000005"
	erinID      = "c1000000-0001-4000-8006-000000000006"
	frankID     = "c1000000-0001-4000-8007-000000000007"
	unknownUUID = "c1000000-0001-4000-8fff-000000000fff"
)

// Sizes of the demo fixture set (fixtures/demo/README.md lists them).
const (
	demoCustomers = 19
	demoOrders    = 44
)

// demoFS returns the embedded demo fixtures, as polar-mcp --demo uses them.
func demoFS(t testing.TB) fs.FS {
	t.Helper()
	return DemoFS()
}

// otherFS returns the second organization's embedded fixtures.
func otherFS(t testing.TB) fs.FS {
	t.Helper()
	return Fixtures(OrgOther)
}

// newTestServer starts the fake over fsys behind an httptest server.
func newTestServer(t testing.TB, fsys fs.FS, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(fsys, opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs
}

// response is a decoded answer of the fake.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// items returns the ids of a list response's items.
func (r response) ids() []string {
	var out []string
	items, _ := r.body["items"].([]any)
	for _, it := range items {
		out = append(out, it.(map[string]any)["id"].(string))
	}
	return out
}

// total returns pagination.total_count.
func (r response) total() int {
	p, _ := r.body["pagination"].(map[string]any)
	n, _ := p["total_count"].(float64)
	return int(n)
}

// do sends a request with token (none when empty) and decodes the JSON.
func do(t testing.TB, method, url, token, body string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	if err := json.Unmarshal(raw, &r.body); err != nil {
		t.Fatalf("%s %s: body is not a JSON object: %v: %s", method, url, err, raw)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json", method, url, ct)
	}
	return r
}

// get sends an authenticated GET with the demo token.
func get(t testing.TB, hs *httptest.Server, path string) response {
	t.Helper()
	return do(t, http.MethodGet, hs.URL+path, DemoToken, "")
}

// newHTTPServer serves h on loopback for the test.
func newHTTPServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs
}
