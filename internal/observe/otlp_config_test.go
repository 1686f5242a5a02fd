package observe

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
)

// TestOTLPConfigFollowsTheOfficialExportersRules checks the variables
// as otlptracehttp v1.47's internal/otlpconfig reads them.
func TestOTLPConfigFollowsTheOfficialExportersRules(t *testing.T) {
	const p = "OTEL_EXPORTER_OTLP_"
	cases := []struct {
		name    string
		vars    map[string]string
		url     string
		headers map[string]string
		timeout time.Duration
		gzip    bool
	}{
		{"base endpoint gets /v1/traces", map[string]string{p + "ENDPOINT": "http://collector:4318"},
			"http://collector:4318/v1/traces", nil, 10 * time.Second, false},
		{"base endpoint's path is kept", map[string]string{p + "ENDPOINT": "https://otlp.example.com/api/otlp/"},
			"https://otlp.example.com/api/otlp/v1/traces", nil, 10 * time.Second, false},
		{"signal endpoint as is", map[string]string{p + "TRACES_ENDPOINT": "https://otlp.example.com:4318/custom/path"},
			"https://otlp.example.com:4318/custom/path", nil, 10 * time.Second, false},
		{"signal endpoint without path is /", map[string]string{p + "TRACES_ENDPOINT": "http://collector:4318"},
			"http://collector:4318/", nil, 10 * time.Second, false},
		{"signal endpoint wins", map[string]string{p + "ENDPOINT": "http://generic:4318", p + "TRACES_ENDPOINT": " https://traces:4318/t "},
			"https://traces:4318/t", nil, 10 * time.Second, false},
		{"user, query and fragment are not sent", map[string]string{p + "ENDPOINT": "http://u:pw@collector:4318/x?token=1#f"},
			"http://collector:4318/x/v1/traces", nil, 10 * time.Second, false},
		{"any scheme but http is TLS", map[string]string{p + "ENDPOINT": "grpcs://collector:4318"},
			"https://collector:4318/v1/traces", nil, 10 * time.Second, false},
		{"INSECURE=true overrides https", map[string]string{p + "ENDPOINT": "https://collector", p + "INSECURE": "TRUE"},
			"http://collector/v1/traces", nil, 10 * time.Second, false},
		{"INSECURE other than true means TLS", map[string]string{p + "ENDPOINT": "http://collector", p + "INSECURE": "no"},
			"https://collector/v1/traces", nil, 10 * time.Second, false},
		{"TRACES_INSECURE wins", map[string]string{p + "ENDPOINT": "https://collector", p + "INSECURE": "false", p + "TRACES_INSECURE": "true"},
			"http://collector/v1/traces", nil, 10 * time.Second, false},
		{"headers, timeout, gzip", map[string]string{p + "ENDPOINT": "http://c", p + "HEADERS": "a=1, b = x%3Dy ,c=", p + "TIMEOUT": "2500", p + "COMPRESSION": "gzip"},
			"http://c/v1/traces", map[string]string{"a": "1", "b": "x=y", "c": ""}, 2500 * time.Millisecond, true},
		{"signal headers, timeout and compression win", map[string]string{p + "ENDPOINT": "http://c", p + "HEADERS": "a=1", p + "TRACES_HEADERS": "b=2",
			p + "TIMEOUT": "2500", p + "TRACES_TIMEOUT": "0", p + "COMPRESSION": "gzip", p + "TRACES_COMPRESSION": "none"},
			"http://c/v1/traces", map[string]string{"b": "2"}, 0, false},
		{"empty header entries (a trailing comma) are skipped", map[string]string{p + "ENDPOINT": "http://c", p + "HEADERS": "api-key=k,, ,"},
			"http://c/v1/traces", map[string]string{"api-key": "k"}, 10 * time.Second, false},
		{"blank is unset", map[string]string{p + "ENDPOINT": "http://c", p + "TRACES_ENDPOINT": "  ", p + "TIMEOUT": " ", p + "COMPRESSION": ""},
			"http://c/v1/traces", nil, 10 * time.Second, false},
	}
	for _, tc := range cases {
		cfg, err := otlpConfigFromEnv(envOf(tc.vars), os.ReadFile)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if cfg.url != tc.url || cfg.timeout != tc.timeout || cfg.gzip != tc.gzip || cfg.tls != nil || len(cfg.headers) != len(tc.headers) {
			t.Errorf("%s: got %s timeout %s gzip %v headers %v tls %v", tc.name, cfg.url, cfg.timeout, cfg.gzip, cfg.headers, cfg.tls != nil)
		}
		for k, v := range tc.headers {
			if got, ok := cfg.headers[k]; !ok || got != v {
				t.Errorf("%s: header %s = %q, want %q", tc.name, k, got, v)
			}
		}
	}
}

// TestOTLPConfigRefusesMalformedValues: where the official exporter
// logs and goes on without a value, polar-mcp refuses to start, and the
// message names the variable, never a header's value.
func TestOTLPConfigRefusesMalformedValues(t *testing.T) {
	const p = "OTEL_EXPORTER_OTLP_"
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("secret-looking text"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, crt, key := clientCert(t, dir, "c")
	cases := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{p + "ENDPOINT": "collector:4318"}, p + "ENDPOINT is not a URL with a host"},
		{map[string]string{p + "TRACES_ENDPOINT": "http://[::1"}, p + "TRACES_ENDPOINT is not a URL"},
		{map[string]string{p + "ENDPOINT": "http://c", p + "HEADERS": "authorization=Bearer%20tok,broken-SECRETVALUE"}, p + "HEADERS: header 2 has no '='"},
		{map[string]string{p + "ENDPOINT": "http://c", p + "TRACES_HEADERS": "bad key=SECRETVALUE"}, p + "TRACES_HEADERS: header 1: its name is not an HTTP token"},
		{map[string]string{p + "ENDPOINT": "http://c", p + "HEADERS": "k=SECRETVALUE%zz"}, p + "HEADERS: header k: its value is not URL-escaped"},
		{map[string]string{p + "ENDPOINT": "http://c", p + "TIMEOUT": "10s"}, p + "TIMEOUT=\"10s\": milliseconds"},
		{map[string]string{p + "ENDPOINT": "http://c", p + "TRACES_TIMEOUT": "-1"}, p + "TRACES_TIMEOUT=\"-1\": milliseconds"},
		{map[string]string{p + "ENDPOINT": "http://c", p + "COMPRESSION": "zstd"}, p + "COMPRESSION=\"zstd\": gzip or none"},
		{map[string]string{p + "ENDPOINT": "https://c", p + "CERTIFICATE": filepath.Join(dir, "missing.pem")}, p + "CERTIFICATE: open"},
		{map[string]string{p + "ENDPOINT": "https://c", p + "TRACES_CERTIFICATE": notPEM}, "holds no PEM certificate"},
		{map[string]string{p + "ENDPOINT": "https://c", p + "CLIENT_CERTIFICATE": crt, p + "CLIENT_KEY": notPEM}, p + "CLIENT_CERTIFICATE and _CLIENT_KEY"},
		{map[string]string{p + "ENDPOINT": "http://c", p + "CLIENT_CERTIFICATE": crt, p + "CLIENT_KEY": key}, "an insecure (http) endpoint cannot use TLS client configuration"},
	}
	for _, tc := range cases {
		_, err := otlpConfigFromEnv(envOf(tc.vars), os.ReadFile)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.vars, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), "SECRETVALUE") || strings.Contains(err.Error(), "secret-looking") {
			t.Errorf("%v: the error shows a value: %v", tc.vars, err)
		}
	}
	_, err := otlpConfigFromEnv(envOf(map[string]string{p + "ENDPOINT": "https://c", p + "CERTIFICATE": filepath.Join(dir, "missing.pem")}), os.ReadFile)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing certificate file: %v", err)
	}
	// A client certificate without its key is not read, as upstream.
	if cfg, err := otlpConfigFromEnv(envOf(map[string]string{p + "ENDPOINT": "http://c", p + "CLIENT_CERTIFICATE": crt}), os.ReadFile); err != nil || cfg.tls != nil {
		t.Errorf("a client certificate without key: %v, tls %v", err, cfg.tls != nil)
	}
}

// TestTracerProviderExportsAndFlushesAtShutdown: with an endpoint set,
// the tracer provider batches spans with polar-mcp's resource and its
// shutdown sends what is still buffered.
func TestTracerProviderExportsAndFlushesAtShutdown(t *testing.T) {
	c := newCollector(t, nil)
	tp, shutdown, err := NewTracerProvider(context.Background(), envOf(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL,
		"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf"}))
	if err != nil {
		t.Fatal(err)
	}
	_, span := tp.Tracer("polar-mcp").Start(context.Background(), "tools/call x")
	span.SetAttributes(attribute.String("tool", "x"))
	span.End()
	if n := len(c.received()); n != 0 {
		t.Fatalf("%d exports before shutdown: the batcher should hold the span", n)
	}
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := c.received()
	if len(got) != 1 || spanName(got[0]) != "tools/call x" {
		t.Fatalf("after shutdown the collector has %d exports", len(got))
	}
	rs := got[0].body.GetResourceSpans()[0]
	var service string
	for _, kv := range rs.GetResource().GetAttributes() {
		if kv.GetKey() == "service.name" {
			service = kv.GetValue().GetStringValue()
		}
	}
	if service != "polar-mcp" || rs.GetScopeSpans()[0].GetScope().GetName() != "polar-mcp" {
		t.Errorf("resource %v", rs.GetResource())
	}
}

// TestTracerProviderHonoursTheSamplerVariable: the SDK reads
// OTEL_TRACES_SAMPLER itself; always_off exports nothing.
func TestTracerProviderHonoursTheSamplerVariable(t *testing.T) {
	t.Setenv("OTEL_TRACES_SAMPLER", "always_off")
	c := newCollector(t, nil)
	tp, shutdown, err := NewTracerProvider(context.Background(), envOf(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": c.srv.URL}))
	if err != nil {
		t.Fatal(err)
	}
	_, span := tp.Tracer("polar-mcp").Start(context.Background(), "sampled out")
	span.End()
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(c.received()); n != 0 {
		t.Errorf("always_off exported %d requests", n)
	}
}

// TestTracerProviderRefusesOtherProtocols: http/protobuf only, the
// signal's variable winning over the generic one.
func TestTracerProviderRefusesOtherProtocols(t *testing.T) {
	for _, vars := range []map[string]string{
		{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"},
		{"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"},
		{"OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc"},
	} {
		vars["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9"
		if _, _, err := NewTracerProvider(context.Background(), envOf(vars)); err == nil || !strings.Contains(err.Error(), "http/protobuf only") {
			t.Errorf("%v: %v", vars, err)
		}
	}
	tp, shutdown, err := NewTracerProvider(context.Background(), envOf(map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c", "OTEL_SDK_DISABLED": "true"}))
	if err != nil || tp == nil || shutdown(context.Background()) != nil {
		t.Errorf("disabled SDK: %v", err)
	}
}
