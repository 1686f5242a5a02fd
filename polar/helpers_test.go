package polar_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
)

// testToken looks like a real organization token so that redaction of
// token-shaped strings is exercised too.
const testToken = "polar_oat_T3stT0kenThatMustNeverAppear0123456789"

// hit is one request the scripted upstream received.
type hit struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   string
}

// reply is one scripted answer.
type reply struct {
	status int
	header map[string]string
	body   string
}

func ok(body string) reply { return reply{status: http.StatusOK, body: body} }

// upstream is a scripted Polar: respond decides the answer to the n-th
// request (0-based).
type upstream struct {
	mu      sync.Mutex
	hits    []hit
	respond func(n int, r *http.Request) reply
}

func (u *upstream) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	u.mu.Lock()
	n := len(u.hits)
	u.hits = append(u.hits, hit{r.Method, r.URL.Path, r.URL.Query(), r.Header.Clone(), string(body)})
	u.mu.Unlock()
	rep := u.respond(n, r)
	w.Header().Set("Content-Type", "application/json")
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

func (u *upstream) requests() []hit {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]hit(nil), u.hits...)
}

// newClient starts a scripted upstream and a client for it. mod may adjust
// the Config before New.
func newClient(t *testing.T, respond func(n int, r *http.Request) reply, mod ...func(*polar.Config)) (*polar.SDKClient, *upstream) {
	t.Helper()
	u := &upstream{respond: respond}
	srv := httptest.NewServer(u)
	t.Cleanup(srv.Close)
	cfg := polar.Config{AccessToken: testToken, ServerURL: srv.URL}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := polar.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, u
}

// always answers every request with r.
func always(r reply) func(int, *http.Request) reply {
	return func(int, *http.Request) reply { return r }
}

// fixture returns a current-shape body from testdata/current.
func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "polar", "current", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// mutated returns a fixture after edit changed its decoded JSON.
func mutated(t *testing.T, name string, edit func(doc map[string]any)) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(fixture(t, name)), &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// items returns the i-th element of doc["items"], or of another array key.
func item(doc map[string]any, key string, i int) map[string]any {
	return doc[key].([]any)[i].(map[string]any)
}

// page builds a list body.
func page(maxPage int, items ...string) string {
	raw := make([]json.RawMessage, len(items))
	for i, it := range items {
		raw[i] = json.RawMessage(it)
	}
	b, _ := json.Marshal(map[string]any{
		"items":      raw,
		"pagination": map[string]int{"total_count": len(items) * maxPage, "max_page": maxPage},
	})
	return string(b)
}

// customerID is the customer of the testdata/current fixtures.
const customerID = "00000000-0000-4000-8000-000000000024"
