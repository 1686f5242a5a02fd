package observe

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// otlpConfig is where and how the OTLP/HTTP exporter sends traces.
type otlpConfig struct {
	url         string // scheme, host and path only, as the official exporter builds it
	headers     map[string]string
	timeout     time.Duration // for one export, retries included; 0 is none
	gzip        bool
	tls         *tls.Config // nil: the system's roots, no client certificate
	maxRequest  int
	maxResponse int64
}

const (
	otlpDefaultTimeout     = 10 * time.Second
	otlpDefaultTracesPath  = "/v1/traces"
	otlpMaxRequestSize     = 64 << 20
	otlpMaxResponseSize    = 4 << 20
	otlpEnvPrefix          = "OTEL_EXPORTER_OTLP_"
	otlpDefaultCollectorEP = "localhost:4318"
)

// otlpConfigFromEnv reads the OTEL_EXPORTER_OTLP_* variables getenv
// returns with the rules of otlptracehttp v1.47's internal/otlpconfig:
// values are trimmed and an empty one is unset; every signal-specific
// TRACES_ variable is read after its generic twin and so wins;
// _ENDPOINT is a base URL that /v1/traces is joined to, _TRACES_ENDPOINT
// is used as is (its empty path is /); the scheme http means plain HTTP,
// any other TLS, and _INSECURE (true or not) overrides the scheme; the
// URL's user, query and fragment are not sent; _CERTIFICATE is a PEM CA
// file replacing the system's roots; _CLIENT_CERTIFICATE and _CLIENT_KEY
// are read only as a pair; _HEADERS are comma-separated key=value with
// URL-escaped values; _TIMEOUT is in milliseconds (10 s by default);
// _COMPRESSION is gzip or none. Where the official exporter logs a
// malformed value and goes on without it, this refuses to start, naming
// the variable but never a header's value (an endpoint without a host,
// which it would send to https:///v1/traces, is refused too). readFile
// reads the
// certificate files.
func otlpConfigFromEnv(getenv func(string) string, readFile func(string) ([]byte, error)) (otlpConfig, error) {
	env := func(key string) (string, bool) {
		v := strings.TrimSpace(getenv(otlpEnvPrefix + key))
		return v, v != ""
	}
	cfg := otlpConfig{timeout: otlpDefaultTimeout, maxRequest: otlpMaxRequestSize, maxResponse: otlpMaxResponseSize}
	host, urlPath, insecure := otlpDefaultCollectorEP, otlpDefaultTracesPath, false
	for _, key := range []string{"ENDPOINT", "TRACES_ENDPOINT"} {
		v, ok := env(key)
		if !ok {
			continue
		}
		u, err := url.Parse(v)
		if err != nil || u.Host == "" {
			return otlpConfig{}, fmt.Errorf("%s%s is not a URL with a host, such as http://collector:4318", otlpEnvPrefix, key)
		}
		insecure = strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "unix")
		host, urlPath = u.Host, u.Path
		switch {
		case key == "ENDPOINT":
			urlPath = path.Join(u.Path, otlpDefaultTracesPath)
		case urlPath == "":
			urlPath = "/"
		}
	}
	var roots *x509.CertPool
	var certs []tls.Certificate
	for _, key := range []string{"CERTIFICATE", "TRACES_CERTIFICATE"} {
		if v, ok := env(key); ok {
			pem, err := readFile(v)
			if err != nil {
				return otlpConfig{}, fmt.Errorf("%s%s: %w", otlpEnvPrefix, key, err)
			}
			roots = x509.NewCertPool()
			if !roots.AppendCertsFromPEM(pem) {
				return otlpConfig{}, fmt.Errorf("%s%s: %s holds no PEM certificate", otlpEnvPrefix, key, v)
			}
		}
	}
	for _, prefix := range []string{"", "TRACES_"} {
		c, okc := env(prefix + "CLIENT_CERTIFICATE")
		k, okk := env(prefix + "CLIENT_KEY")
		if !okc || !okk {
			continue
		}
		crt, err := readFile(c)
		if err != nil {
			return otlpConfig{}, fmt.Errorf("%s%sCLIENT_CERTIFICATE: %w", otlpEnvPrefix, prefix, err)
		}
		key, err := readFile(k)
		if err != nil {
			return otlpConfig{}, fmt.Errorf("%s%sCLIENT_KEY: %w", otlpEnvPrefix, prefix, err)
		}
		pair, err := tls.X509KeyPair(crt, key)
		if err != nil {
			return otlpConfig{}, fmt.Errorf("%s%sCLIENT_CERTIFICATE and _CLIENT_KEY: %w", otlpEnvPrefix, prefix, err)
		}
		certs = []tls.Certificate{pair}
	}
	if roots != nil || certs != nil {
		cfg.tls = &tls.Config{RootCAs: roots, Certificates: certs, MinVersion: tls.VersionTLS12}
	}
	for _, key := range []string{"INSECURE", "TRACES_INSECURE"} {
		if v, ok := env(key); ok {
			insecure = strings.EqualFold(v, "true")
		}
	}
	for _, key := range []string{"HEADERS", "TRACES_HEADERS"} {
		if v, ok := env(key); ok {
			h, err := parseOTLPHeaders(v)
			if err != nil {
				return otlpConfig{}, fmt.Errorf("%s%s: %w", otlpEnvPrefix, key, err)
			}
			cfg.headers = h
		}
	}
	for _, key := range []string{"COMPRESSION", "TRACES_COMPRESSION"} {
		if v, ok := env(key); ok {
			if v != "gzip" && v != "none" {
				return otlpConfig{}, fmt.Errorf("%s%s=%q: gzip or none", otlpEnvPrefix, key, v)
			}
			cfg.gzip = v == "gzip"
		}
	}
	for _, key := range []string{"TIMEOUT", "TRACES_TIMEOUT"} {
		if v, ok := env(key); ok {
			ms, err := strconv.Atoi(v)
			if err != nil || ms < 0 {
				return otlpConfig{}, fmt.Errorf("%s%s=%q: milliseconds, a whole number", otlpEnvPrefix, key, v)
			}
			cfg.timeout = time.Duration(ms) * time.Millisecond
		}
	}
	if insecure && cfg.tls != nil {
		return otlpConfig{}, fmt.Errorf("%sCERTIFICATE or _CLIENT_CERTIFICATE: an insecure (http) endpoint cannot use TLS client configuration", otlpEnvPrefix)
	}
	if urlPath = strings.TrimSpace(urlPath); urlPath == "" || urlPath == "." {
		urlPath = otlpDefaultTracesPath
	} else if !path.IsAbs(urlPath) {
		urlPath = "/" + urlPath
	}
	scheme := "https"
	if insecure {
		scheme = "http"
	}
	cfg.url = (&url.URL{Scheme: scheme, Host: host, Path: urlPath}).String()
	return cfg, nil
}

// parseOTLPHeaders parses the W3C-baggage-like list of _HEADERS:
// comma-separated key=value pairs, keys HTTP tokens, values URL-escaped
// and trimmed; an empty entry (a trailing comma) is skipped. Errors name
// the pair's position, never its value.
func parseOTLPHeaders(v string) (map[string]string, error) {
	h := map[string]string{}
	for i, pair := range strings.Split(v, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		k, val, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("header %d has no '='", i+1)
		}
		k = strings.TrimSpace(k)
		if !isHTTPToken(k) {
			return nil, fmt.Errorf("header %d: its name is not an HTTP token", i+1)
		}
		dec, err := url.PathUnescape(val)
		if err != nil {
			return nil, fmt.Errorf("header %s: its value is not URL-escaped", k)
		}
		h[k] = strings.TrimSpace(dec)
	}
	return h, nil
}

// isHTTPToken reports whether s is a non-empty RFC 9110 token.
func isHTTPToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c > unicode.MaxASCII || !(unicode.IsLetter(c) || unicode.IsDigit(c) || strings.ContainsRune("!#$%&'*+-.^_`|~", c)) {
			return false
		}
	}
	return true
}
