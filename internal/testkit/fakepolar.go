package testkit

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// DemoPolar serves the demo organization from a fake Polar API (its
// default options) until t ends.
func DemoPolar(t testing.TB) (*fakepolar.Server, *httptest.Server) {
	t.Helper()
	fake, err := fakepolar.Demo(fakepolar.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(fake)
	t.Cleanup(ts.Close)
	return fake, ts
}

// DemoOrderOf is the id of a demo order of the customer customerID, as
// the demo organization's orders.json holds it.
func DemoOrderOf(t testing.TB, customerID string) string {
	t.Helper()
	raw, err := fs.ReadFile(fakepolar.DemoFS(), "orders.json")
	if err != nil {
		t.Fatal(err)
	}
	var orders []struct {
		ID         string `json:"id"`
		CustomerID string `json:"customer_id"`
	}
	if err := json.Unmarshal(raw, &orders); err != nil {
		t.Fatal(err)
	}
	for _, o := range orders {
		if o.CustomerID == customerID {
			return o.ID
		}
	}
	t.Fatalf("no demo order of %s", customerID)
	return ""
}

// OtherFS is the second organization's fixture directory (Kestrel
// Analytics Ltd, the fake Polar API's fixtures/other), rooted at its JSON
// files: what a Pair serves as Other.
func OtherFS() fs.FS { return fakepolar.Fixtures(fakepolar.OrgOther) }

// Pair is Polar with two organizations behind one URL: Demo (Northwind
// Cloud) and Other (Kestrel Analytics Ltd, OtherFS), each its own fake. A
// request goes to Other when Other accepts its bearer token, and to Demo
// otherwise (so unknown tokens get Demo's 401, and the control surface,
// which takes no token, reaches Demo).
type Pair struct {
	Demo, Other *fakepolar.Server
	otherTokens map[string][]string
}

// NewPair builds a Pair. demo and other are the two fakes' options; their
// Tokens must be disjoint (and set: the default DemoToken cannot serve
// both).
func NewPair(demo, other fakepolar.Options) (*Pair, error) {
	if demo.Tokens == nil || other.Tokens == nil {
		return nil, fmt.Errorf("testkit: NewPair needs Tokens for both organizations")
	}
	for tok := range other.Tokens {
		if _, ok := demo.Tokens[tok]; ok {
			return nil, fmt.Errorf("testkit: NewPair: a token is accepted by both organizations")
		}
	}
	d, err := fakepolar.Demo(demo)
	if err != nil {
		return nil, err
	}
	o, err := fakepolar.New(OtherFS(), other)
	if err != nil {
		return nil, err
	}
	return &Pair{Demo: d, Other: o, otherTokens: other.Tokens}, nil
}

// ServeHTTP routes the request to the organization its token belongs to.
func (p *Pair) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if _, ok := p.otherTokens[strings.TrimSpace(tok)]; ok && strings.EqualFold(scheme, "Bearer") {
		p.Other.ServeHTTP(w, r)
		return
	}
	p.Demo.ServeHTTP(w, r)
}

// RequestCount returns the requests both organizations received.
func (p *Pair) RequestCount() int { return p.Demo.RequestCount() + p.Other.RequestCount() }
