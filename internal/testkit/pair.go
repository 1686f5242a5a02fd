package fakepolar

import (
	"fmt"
	"net/http"
)

// Demo returns a server for the embedded demo organization (Northwind
// Cloud, fixtures/demo).
func Demo(opts Options) (*Server, error) {
	return New(DemoFS(), opts)
}

// Pair is Polar with two organizations behind one URL: Demo (Northwind
// Cloud) and Other (Kestrel Analytics Ltd, fixtures/other), each its own
// fake. A request goes to Other when Other accepts its bearer token, and
// to Demo otherwise (so unknown tokens get Demo's 401, and the control
// surface, which takes no token, reaches Demo).
type Pair struct {
	Demo, Other *Server
}

// NewPair builds a Pair. demo and other are the two fakes' options; their
// Tokens must be disjoint (and set: the default DemoToken cannot serve
// both).
func NewPair(demo, other Options) (*Pair, error) {
	if demo.Tokens == nil || other.Tokens == nil {
		return nil, fmt.Errorf("fakepolar: NewPair needs Tokens for both organizations")
	}
	for tok := range other.Tokens {
		if _, ok := demo.Tokens[tok]; ok {
			return nil, fmt.Errorf("fakepolar: NewPair: a token is accepted by both organizations")
		}
	}
	d, err := Demo(demo)
	if err != nil {
		return nil, err
	}
	o, err := New(OtherFS(), other)
	if err != nil {
		return nil, err
	}
	return &Pair{Demo: d, Other: o}, nil
}

// ServeHTTP routes the request to the organization its token belongs to.
func (p *Pair) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, ok := p.Other.tokens[bearerToken(r)]; ok {
		p.Other.ServeHTTP(w, r)
		return
	}
	p.Demo.ServeHTTP(w, r)
}

// RequestCount returns the requests both organizations received.
func (p *Pair) RequestCount() int { return p.Demo.RequestCount() + p.Other.RequestCount() }
