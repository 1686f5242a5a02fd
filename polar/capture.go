package polar

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxBodyBytes bounds a response body held in memory.
const maxBodyBytes = 16 << 20

// capture is one upstream request's recorder: the HTTP client polar-go
// is given for that one attempt (SDKClient.do builds a polar-go client
// around it), which adds what polar-go cannot express about the request
// (the Polar-Version and User-Agent headers, query parameters) and
// records what came back. It is read only after the polar-go call that
// used it has returned.
type capture struct {
	next      HTTPDoer
	version   string
	userAgent string     // replaces polar-go's when set
	query     url.Values // query parameters to set on the request
	// path, when set, replaces the request's /v1/... path and its whole
	// query (then query alone): an endpoint polar-go v0.5.0 does not have.
	path string
	// reqBody, when set, replaces the request's body (an endpoint
	// polar-go v0.5.0 has no body type for).
	reqBody []byte

	sent     bool        // the request reached Do
	method   string      // the request's method
	err      error       // transport failure, when there is no response
	redirect int         // status of a redirect refused with ErrRedirected
	status   int         // HTTP status, 0 without a response
	header   http.Header // response headers
	body     []byte      // the full response body

	// report, when set, is told how decoding the body went: the list
	// items skipped, and the error that failed it.
	report func(skipped int, err error)
}

// Do sends req with the Polar-Version (and User-Agent) header and records
// the response, returning it with a fresh body reader.
func (slot *capture) Do(req *http.Request) (*http.Response, error) {
	d := slot
	req = req.Clone(req.Context())
	req.Header.Set("Polar-Version", d.version)
	if d.userAgent != "" {
		req.Header.Set("User-Agent", d.userAgent)
	}
	if slot.reqBody != nil {
		req.Body = io.NopCloser(bytes.NewReader(slot.reqBody))
		req.ContentLength = int64(len(slot.reqBody))
		req.GetBody = nil
		req.Header.Set("Content-Type", "application/json")
	}
	if slot.path != "" {
		if i := strings.Index(req.URL.Path, "/v1/"); i >= 0 {
			req.URL.Path = req.URL.Path[:i] + slot.path
			req.URL.RawPath = ""
			req.URL.RawQuery = slot.query.Encode()
		}
	} else if len(slot.query) > 0 {
		q := req.URL.Query()
		for k, vs := range slot.query {
			q[k] = vs
		}
		req.URL.RawQuery = q.Encode()
	}
	res, err := d.next.Do(req)
	slot.sent, slot.method = true, req.Method
	if err == nil && res.Request != nil && res.Request.URL != nil && !sameServer(res.Request.URL, req.URL) {
		// A doer that followed a redirect to another server itself.
		res.Body.Close()
		err = ErrRedirected
	}
	if err != nil {
		if errors.Is(err, ErrRedirected) && res != nil {
			slot.redirect = res.StatusCode
		}
		slot.err = err
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxBodyBytes+1))
	res.Body.Close()
	if err == nil && len(body) > maxBodyBytes {
		err = fmt.Errorf("response body larger than %d bytes", maxBodyBytes)
	}
	if err != nil {
		slot.err = fmt.Errorf("reading response: %w", err)
		return nil, slot.err
	}
	slot.status, slot.header, slot.body = res.StatusCode, res.Header, body
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		// The adapter decodes 2xx bodies itself from the capture and ignores
		// polar-go's verdict, so polar-go gets an empty object to decode:
		// decoding the real body twice cost about a third of the server's
		// CPU per call (docs/BENCHMARKS.md).
		body = []byte(emptyObject)
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	res.ContentLength = int64(len(body))
	return res, nil
}

// emptyObject is what polar-go decodes in place of a 2xx body.
const emptyObject = "{}"
