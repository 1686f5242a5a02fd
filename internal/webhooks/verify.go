// Package webhooks receives Polar's webhooks: it checks their Standard
// Webhooks signature, processes each delivery once, and maps each event
// to the cached answers it makes stale.
package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Verification defaults.
const (
	// DefaultTolerance is how far a delivery's timestamp may be from now.
	DefaultTolerance = 5 * time.Minute
	// MaxBody bounds a delivery's body.
	MaxBody = 1 << 20
)

// Verification errors; none of them carries a secret or the body.
var (
	ErrMissingHeaders = errors.New("webhook: webhook-id, webhook-timestamp or webhook-signature is missing")
	ErrBadTimestamp   = errors.New("webhook: webhook-timestamp is not a Unix time within 5 minutes of now")
	ErrBadSignature   = errors.New("webhook: no webhook-signature matches")
)

// Verifier checks Standard Webhooks signatures as Polar sends them:
// HMAC-SHA256 over "id.timestamp.body", keyed with the endpoint secret's
// UTF-8 bytes (Polar's SDKs base64-encode the secret before handing it
// to a Standard Webhooks verifier, which decodes it again).
type Verifier struct {
	// Secret is the endpoint's secret as Polar shows it.
	Secret string
	// Tolerance is how far the timestamp may be from now; zero means
	// DefaultTolerance.
	Tolerance time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func mac(key []byte, id, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write([]byte(ts))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// CheckHeaders checks what can be checked of a delivery before its body
// is read: the three headers are there, with a timestamp within
// Tolerance of now. A request failing it carries no credential, and is
// refused without reading its body.
func (v Verifier) CheckHeaders(h http.Header) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" || v.Secret == "" {
		return ErrMissingHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	tol := v.Tolerance
	if tol <= 0 {
		tol = DefaultTolerance
	}
	if d := now().Sub(time.Unix(sec, 0)); d > tol || d < -tol {
		return ErrBadTimestamp
	}
	return nil
}

// Verify checks the headers of a delivery of body and returns its id.
func (v Verifier) Verify(h http.Header, body []byte) (string, error) {
	if err := v.CheckHeaders(h); err != nil {
		return "", err
	}
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	want := mac([]byte(v.Secret), id, ts, body)
	for _, sig := range strings.Fields(sigs) {
		version, b64, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return id, nil
		}
	}
	return "", ErrBadSignature
}
