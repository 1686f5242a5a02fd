package observe

import (
	"compress/gzip"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// received is one request a collector got.
type received struct {
	at     time.Time
	header http.Header
	body   *coltracepb.ExportTraceServiceRequest
	peer   string // the client certificate's common name, if any
}

// collector is an OTLP/HTTP collector on loopback answering with
// answer (200 when nil) and recording what it receives.
type collector struct {
	t      *testing.T
	srv    *httptest.Server
	answer func(n int, w http.ResponseWriter, r *http.Request)
	mu     sync.Mutex
	got    []received
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := received{at: time.Now(), header: r.Header.Clone(), body: &coltracepb.ExportTraceServiceRequest{}}
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		rec.peer = r.TLS.PeerCertificates[0].Subject.CommonName
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			c.t.Errorf("gzip body: %v", err)
			return
		}
		body = zr
	}
	data, err := io.ReadAll(body)
	if err == nil {
		err = proto.Unmarshal(data, rec.body)
	}
	if err != nil || r.Method != http.MethodPost || r.URL.Path != "/v1/traces" {
		c.t.Errorf("collector got %s %s: %v", r.Method, r.URL.Path, err)
	}
	c.mu.Lock()
	c.got = append(c.got, rec)
	n := len(c.got)
	c.mu.Unlock()
	if c.answer != nil {
		c.answer(n, w, r)
	}
}

func (c *collector) received() []received {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]received(nil), c.got...)
}

func newCollector(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request)) *collector {
	c := &collector{t: t, answer: answer}
	c.srv = httptest.NewServer(c)
	t.Cleanup(c.srv.Close)
	return c
}

// envOf is a getenv over vars.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// exporterFor is an exporter configured by vars, retrying quickly.
func exporterFor(t *testing.T, vars map[string]string) *otlpExporter {
	t.Helper()
	cfg, err := otlpConfigFromEnv(envOf(vars), os.ReadFile)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	e := newOTLPExporter(cfg)
	e.retry = otlpRetry{initial: 20 * time.Millisecond, maxInterval: 100 * time.Millisecond, maxElapsed: time.Minute}
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	return e
}

// oneSpan is a span to export.
func oneSpan(t *testing.T) []sdktrace.ReadOnlySpan {
	s := tracetest.SpanStub{Name: "tools/call get_subscription_status", SpanContext: spanContext(t, 1, 1, 1, "", false),
		StartTime: time.Unix(100, 0), EndTime: time.Unix(101, 0)}
	return []sdktrace.ReadOnlySpan{s.Snapshot()}
}

func spanName(r received) string {
	return r.body.GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()[0].GetName()
}

// TestOTLPExportSendsProtobufWithHeadersAndGzip posts to the base
// endpoint's /v1/traces with the headers of _TRACES_HEADERS (not the
// generic ones: the signal's wins), URL-decoded, and a gzip body the
// official types decode.
func TestOTLPExportSendsProtobufWithHeadersAndGzip(t *testing.T) {
	for _, gz := range []bool{false, true} {
		c := newCollector(t, nil)
		vars := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL,
			"OTEL_EXPORTER_OTLP_HEADERS":        "x-generic=1",
			"OTEL_EXPORTER_OTLP_TRACES_HEADERS": " api-key = s3cr%20t%2Ctoken ,x-tenant=acme"}
		if gz {
			vars["OTEL_EXPORTER_OTLP_COMPRESSION"] = "gzip"
		}
		if err := exporterFor(t, vars).ExportSpans(context.Background(), oneSpan(t)); err != nil {
			t.Fatalf("gzip %v: %v", gz, err)
		}
		got := c.received()
		if len(got) != 1 {
			t.Fatalf("gzip %v: %d requests", gz, len(got))
		}
		h := got[0].header
		if h.Get("Content-Type") != "application/x-protobuf" || h.Get("Api-Key") != "s3cr t,token" || h.Get("X-Tenant") != "acme" || h.Get("X-Generic") != "" {
			t.Errorf("gzip %v: headers %v", gz, h)
		}
		if (h.Get("Content-Encoding") == "gzip") != gz {
			t.Errorf("gzip %v: Content-Encoding %q", gz, h.Get("Content-Encoding"))
		}
		if spanName(got[0]) != "tools/call get_subscription_status" {
			t.Errorf("gzip %v: body %v", gz, got[0].body)
		}
	}
}

// TestOTLPRetriesThrottlingAndUnavailability retries 429, 502, 503 and
// 504, waiting as long as Retry-After says, and sends the same body.
func TestOTLPRetriesThrottlingAndUnavailability(t *testing.T) {
	for _, code := range []int{http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		c := newCollector(t, func(n int, w http.ResponseWriter, _ *http.Request) {
			if n == 1 {
				w.WriteHeader(code)
			}
		})
		if err := exporterFor(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL}).ExportSpans(context.Background(), oneSpan(t)); err != nil {
			t.Errorf("%d then 200: %v", code, err)
		}
		if got := c.received(); len(got) != 2 || !proto.Equal(got[0].body, got[1].body) {
			t.Errorf("%d then 200: %d requests", code, len(got))
		}
	}
	c := newCollector(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	if err := exporterFor(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL}).ExportSpans(context.Background(), oneSpan(t)); err != nil {
		t.Fatal(err)
	}
	got := c.received()
	if len(got) != 2 {
		t.Fatalf("%d requests after a 503 with Retry-After", len(got))
	}
	if d := got[1].at.Sub(got[0].at); d < 900*time.Millisecond {
		t.Errorf("retried after %s, Retry-After said 1 s", d)
	}
}

// TestOTLPFailuresNameTheStatusNeverTheHeaders: a refusal is not
// retried, an unavailable collector is retried until the timeout, and
// neither error carries a header's value, even when the collector
// echoes the request's headers in its answer.
func TestOTLPFailuresNameTheStatusNeverTheHeaders(t *testing.T) {
	const token = "Bearer polar_oat_SECRETtoken123"
	echo := func(code int, retryAfter string) func(int, http.ResponseWriter, *http.Request) {
		return func(_ int, w http.ResponseWriter, r *http.Request) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(code)
			_, _ = io.WriteString(w, "refused: authorization="+r.Header.Get("Authorization")+" tenant="+r.Header.Get("X-Tenant"))
		}
	}
	cases := []struct {
		name              string
		answer            func(int, http.ResponseWriter, *http.Request)
		timeout           string
		want              []string
		minTries, maxTook int
	}{
		{"400 is final", echo(http.StatusBadRequest, ""), "", []string{"400 Bad Request", "refused: authorization=[redacted]"}, 1, 1},
		{"401 is final", echo(http.StatusUnauthorized, ""), "", []string{"401 Unauthorized"}, 1, 1},
		{"503 until the timeout", echo(http.StatusServiceUnavailable, ""), "400", []string{"503 Service Unavailable", "deadline (timeout 400ms)"}, 3, 3000},
		{"a Retry-After past the timeout", echo(http.StatusTooManyRequests, "30"), "400", []string{"429 Too Many Requests", "in 30s, would pass the export's deadline (timeout 400ms)"}, 1, 1},
	}
	for _, tc := range cases {
		c := newCollector(t, tc.answer)
		e := exporterFor(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL + "/",
			"OTEL_EXPORTER_OTLP_HEADERS": "Authorization=" + strings.ReplaceAll(token, " ", "%20") + ",x-tenant=acme-private",
			"OTEL_EXPORTER_OTLP_TIMEOUT": tc.timeout})
		start := time.Now()
		err := e.ExportSpans(context.Background(), oneSpan(t))
		took := time.Since(start)
		if err == nil {
			t.Fatalf("%s: no error", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", tc.name, err, w)
			}
		}
		for _, secret := range []string{"SECRET", "polar_oat", "acme-private"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s: the error shows a header: %q", tc.name, err)
			}
		}
		if n := len(c.received()); n < tc.minTries || (tc.maxTook == 1 && n != 1) {
			t.Errorf("%s: %d requests", tc.name, n)
		}
		if tc.maxTook > 1 && took > time.Duration(tc.maxTook)*time.Millisecond {
			t.Errorf("%s: gave up after %s", tc.name, took)
		}
	}
}

// TestOTLPRespectsContextAndShutdown: an export ends when its context
// does or when the exporter is shut down, and none runs after.
func TestOTLPRespectsContextAndShutdown(t *testing.T) {
	release := make(chan struct{})
	c := newCollector(t, func(_ int, _ http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	e := exporterFor(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := e.ExportSpans(ctx, oneSpan(t)); err == nil || !strings.Contains(err.Error(), "deadline") {
		t.Errorf("export past its context's deadline: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- e.ExportSpans(context.Background(), oneSpan(t)) }()
	for len(c.received()) < 2 {
		time.Sleep(5 * time.Millisecond)
	}
	if err := e.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("an export cut by Shutdown reported success")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown did not end the export in flight")
	}
	if err := e.ExportSpans(context.Background(), oneSpan(t)); err == nil {
		t.Error("export after Shutdown succeeded")
	}
}

// TestOTLPReportsPartialSuccess turns a collector's partial success
// into an error naming the rejected spans.
func TestOTLPReportsPartialSuccess(t *testing.T) {
	c := newCollector(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		b, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{RejectedSpans: 2, ErrorMessage: "spans too old"}})
		w.Header().Set("Content-Type", "application/x-protobuf")
		_, _ = w.Write(b)
	})
	err := exporterFor(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL}).ExportSpans(context.Background(), oneSpan(t))
	if err == nil || !strings.Contains(err.Error(), "spans too old (2 spans rejected)") {
		t.Errorf("partial success: %v", err)
	}
}

// pemFile writes PEM blocks of the given type to a file in dir.
func pemFile(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// clientCert makes a self-signed client certificate named cn and writes
// it and its key to dir.
func clientCert(t *testing.T, dir, cn string) (cert *x509.Certificate, certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ = x509.ParseCertificate(der)
	return cert, pemFile(t, dir, cn+".crt", "CERTIFICATE", der), pemFile(t, dir, cn+".key", "PRIVATE KEY", keyDER)
}

// TestOTLPOverTLSWithCAFileAndClientCertificate exports to an https
// collector trusted through _CERTIFICATE (the signal's file winning),
// and to one requiring a client certificate given by _CLIENT_CERTIFICATE
// and _CLIENT_KEY (or their TRACES_ twins); without them it fails.
func TestOTLPOverTLSWithCAFileAndClientCertificate(t *testing.T) {
	dir := t.TempDir()
	c := &collector{t: t}
	c.srv = httptest.NewUnstartedServer(c)
	clientCA, _, _ := clientCert(t, dir, "unused") // a CA the server does not use
	alice, aliceCrt, aliceKey := clientCert(t, dir, "alice")
	bob, bobCrt, bobKey := clientCert(t, dir, "bob")
	pool := x509.NewCertPool()
	pool.AddCert(alice)
	pool.AddCert(bob)
	c.srv.TLS = &tls.Config{ClientAuth: tls.VerifyClientCertIfGiven, ClientCAs: pool, MinVersion: tls.VersionTLS12}
	c.srv.StartTLS()
	t.Cleanup(c.srv.Close)
	serverCA := pemFile(t, dir, "server-ca.pem", "CERTIFICATE", c.srv.Certificate().Raw)
	wrongCA := pemFile(t, dir, "wrong-ca.pem", "CERTIFICATE", clientCA.Raw)

	ok := []struct {
		name string
		vars map[string]string
		peer string
	}{
		{"CA file", map[string]string{"OTEL_EXPORTER_OTLP_CERTIFICATE": serverCA}, ""},
		{"the signal's CA file wins", map[string]string{"OTEL_EXPORTER_OTLP_CERTIFICATE": wrongCA, "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE": serverCA}, ""},
		{"client certificate", map[string]string{"OTEL_EXPORTER_OTLP_CERTIFICATE": serverCA,
			"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": aliceCrt, "OTEL_EXPORTER_OTLP_CLIENT_KEY": aliceKey}, "alice"},
		{"the signal's client certificate wins", map[string]string{"OTEL_EXPORTER_OTLP_CERTIFICATE": serverCA,
			"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": aliceCrt, "OTEL_EXPORTER_OTLP_CLIENT_KEY": aliceKey,
			"OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE": bobCrt, "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY": bobKey}, "bob"},
	}
	for _, tc := range ok {
		tc.vars["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = c.srv.URL + "/v1/traces"
		before := len(c.received())
		if err := exporterFor(t, tc.vars).ExportSpans(context.Background(), oneSpan(t)); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := c.received(); len(got) != before+1 || got[before].peer != tc.peer {
			t.Errorf("%s: the collector saw client %q", tc.name, got[len(got)-1].peer)
		}
	}
	// Without the CA file the collector is not trusted.
	err := exporterFor(t, map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": c.srv.URL + "/v1/traces"}).ExportSpans(context.Background(), oneSpan(t))
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("an untrusted collector: %v", err)
	}
	// A collector requiring a client certificate refuses an exporter
	// without one and takes one with it.
	strict := &collector{t: t}
	strict.srv = httptest.NewUnstartedServer(strict)
	strict.srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12}
	strict.srv.StartTLS()
	t.Cleanup(strict.srv.Close)
	strictCA := pemFile(t, dir, "strict-ca.pem", "CERTIFICATE", strict.srv.Certificate().Raw)
	vars := map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": strict.srv.URL + "/v1/traces", "OTEL_EXPORTER_OTLP_CERTIFICATE": strictCA}
	if err := exporterFor(t, vars).ExportSpans(context.Background(), oneSpan(t)); err == nil {
		t.Error("exported without the client certificate the collector requires")
	}
	vars["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"], vars["OTEL_EXPORTER_OTLP_CLIENT_KEY"] = aliceCrt, aliceKey
	if err := exporterFor(t, vars).ExportSpans(context.Background(), oneSpan(t)); err != nil {
		t.Errorf("mutual TLS: %v", err)
	}
	if got := strict.received(); len(got) != 1 || got[0].peer != "alice" {
		t.Errorf("the strict collector received %d exports", len(got))
	}
}
