package observe

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
)

// otlpRetry is the exponential backoff between attempts of one export,
// otlptracehttp's default: 5 s, times 1.5 each time up to 30 s, each
// wait ±50 % at random, no retry once a minute has passed.
type otlpRetry struct {
	initial, maxInterval, maxElapsed time.Duration
}

var defaultOTLPRetry = otlpRetry{initial: 5 * time.Second, maxInterval: 30 * time.Second, maxElapsed: time.Minute}

// otlpExporter is an sdktrace.SpanExporter sending spans to an OTLP/HTTP
// collector in protobuf, without the gRPC and protobuf runtimes the
// official exporter links.
type otlpExporter struct {
	cfg       otlpConfig
	retry     otlpRetry
	client    *http.Client
	userAgent string

	stopOnce sync.Once
	stop     chan struct{} // closed by Shutdown: cancels exports in flight
}

var _ sdktrace.SpanExporter = (*otlpExporter)(nil)

// newOTLPExporter returns an exporter for cfg.
func newOTLPExporter(cfg otlpConfig) *otlpExporter {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       cfg.tls,
	}
	return &otlpExporter{cfg: cfg, retry: defaultOTLPRetry, client: &http.Client{Transport: tr},
		userAgent: "polar-mcp/" + buildinfo.Read().Version + " OTLP/HTTP", stop: make(chan struct{})}
}

// errExporterShutdown is ExportSpans' answer once Shutdown was called.
var errExporterShutdown = errors.New("OTLP trace exporter is shut down")

// ExportSpans sends spans in one request, retrying while the collector
// is throttled or unavailable, within the configured timeout and ctx.
func (e *otlpExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	select {
	case <-e.stop:
		return errExporterShutdown
	default:
	}
	body := encodeTraces(nil, spans)
	if len(body) == 0 {
		return nil
	}
	if len(body) > e.cfg.maxRequest {
		return fmt.Errorf("traces export: request of %d bytes exceeds %d", len(body), e.cfg.maxRequest)
	}
	if e.cfg.gzip {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		if _, err := zw.Write(body); err != nil {
			return fmt.Errorf("traces export: gzip: %w", err)
		}
		if err := zw.Close(); err != nil {
			return fmt.Errorf("traces export: gzip: %w", err)
		}
		body = buf.Bytes()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if e.cfg.timeout > 0 {
		var cancelT context.CancelFunc
		ctx, cancelT = context.WithTimeout(ctx, e.cfg.timeout)
		defer cancelT()
	}
	go func() {
		select {
		case <-e.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := e.send(ctx, body); err != nil {
		return fmt.Errorf("traces export: %w", err)
	}
	return nil
}

// send posts body until an attempt succeeds, fails for good, or the
// next wait would pass ctx's deadline or the retry's maximum.
func (e *otlpExporter) send(ctx context.Context, body []byte) error {
	start := time.Now()
	interval := e.retry.initial
	for {
		throttle, err := e.attempt(ctx, body)
		var retry *retryableError
		if err == nil || !errors.As(err, &retry) {
			return err
		}
		if ctx.Err() != nil {
			return e.gaveUp(ctx, err)
		}
		if time.Since(start) > e.retry.maxElapsed {
			return fmt.Errorf("%w; retried for %s, giving up", err, e.retry.maxElapsed)
		}
		wait := max(throttle, jitter(interval))
		interval = min(time.Duration(float64(interval)*1.5), e.retry.maxInterval)
		if time.Since(start)+throttle > e.retry.maxElapsed {
			return fmt.Errorf("%w; the collector asks to retry after %s, past the %s retries may take", err, throttle, e.retry.maxElapsed)
		}
		if d, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(d) {
			return fmt.Errorf("%w; giving up: the next attempt, in %s, would pass the export's deadline%s", err, wait.Round(time.Millisecond), e.timeoutNote())
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return e.gaveUp(ctx, err)
		case <-t.C:
		}
	}
}

// gaveUp is err once ctx ended while retrying.
func (e *otlpExporter) gaveUp(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w; gave up at the export's deadline%s", err, e.timeoutNote())
	}
	return fmt.Errorf("%w; gave up: %w", err, context.Cause(ctx))
}

// timeoutNote names the configured timeout, if any, for messages.
func (e *otlpExporter) timeoutNote() string {
	if e.cfg.timeout <= 0 {
		return ""
	}
	return " (timeout " + e.cfg.timeout.String() + ")"
}

// jitter is d ±50 %, as the official exporter's backoff randomises it.
func jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.5 + rand.Float64()))
}

// retryableError is a failed attempt worth another: 429, 502, 503, 504
// or a temporary network error.
type retryableError struct{ err error }

func (r *retryableError) Error() string { return r.err.Error() }
func (r *retryableError) Unwrap() error { return r.err }

// attempt posts body once. It returns the collector's Retry-After, if
// any, with a retryable error.
func (e *otlpExporter) attempt(ctx context.Context, body []byte) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.cfg.url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("request to %s: %w", e.cfg.url, err)
	}
	req.Header.Set("User-Agent", e.userAgent)
	for k, v := range e.cfg.headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	if e.cfg.gzip {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		// url.Error names the method and the URL, which carries no header.
		var temp interface{ Temporary() bool }
		if errors.As(err, &temp) && temp.Temporary() && ctx.Err() == nil {
			return 0, &retryableError{err}
		}
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, e.cfg.maxResponse+1))
	if err != nil {
		return 0, fmt.Errorf("reading the answer of %s: %w", e.cfg.url, err)
	}
	if int64(len(data)) > e.cfg.maxResponse {
		return 0, fmt.Errorf("the answer of %s exceeds %d bytes", e.cfg.url, e.cfg.maxResponse)
	}
	isProto := resp.Header.Get("Content-Type") == "application/x-protobuf"
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		if isProto {
			return 0, partialSuccess(data)
		}
		return 0, nil
	}
	err = fmt.Errorf("%s answered %s%s", e.cfg.url, resp.Status, e.describeBody(data, isProto))
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return retryAfter(resp.Header.Get("Retry-After")), &retryableError{err}
	}
	return 0, err
}

// describeBody is ": " and the collector's explanation of a refusal:
// the message of the google.rpc.Status OTLP collectors answer with, or
// the start of a text body. Header values the exporter sent are masked
// in it, so a collector echoing the request cannot leak a token.
func (e *otlpExporter) describeBody(data []byte, isProto bool) string {
	msg := string(data)
	if isProto {
		msg = protoStringField(data, 2) // google.rpc.Status.message
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	for _, v := range e.cfg.headers {
		if v != "" {
			msg = strings.ReplaceAll(msg, v, "[redacted]")
		}
	}
	if msg == "" {
		return ""
	}
	return ": " + msg
}

// partialSuccess is the error an ExportTraceServiceResponse reports
// when the collector rejected some spans, nil otherwise.
func partialSuccess(data []byte) error {
	ps, ok := protoField(data, 1) // ExportTraceServiceResponse.partial_success
	if !ok {
		return nil
	}
	rejected, _ := protoVarintField(ps, 1)
	msg := protoStringField(ps, 2)
	if rejected == 0 && msg == "" {
		return nil
	}
	if msg == "" {
		msg = "empty message"
	}
	return fmt.Errorf("OTLP partial success: %s (%d spans rejected)", msg, int64(rejected))
}

// protoField returns the last length-delimited field num of message
// data (a malformed message ends the search).
func protoField(data []byte, num int) (field []byte, found bool) {
	for len(data) > 0 {
		n, typ, _, v, rest, ok := nextField(data)
		if !ok {
			break
		}
		if n == num && typ == wireBytes {
			field, found = v, true
		}
		data = rest
	}
	return field, found
}

// protoStringField is field num of data as a string, empty if absent.
func protoStringField(data []byte, num int) string {
	v, _ := protoField(data, num)
	return string(v)
}

// protoVarintField returns the last varint field num of data.
func protoVarintField(data []byte, num int) (v uint64, found bool) {
	for len(data) > 0 {
		n, typ, x, _, rest, ok := nextField(data)
		if !ok {
			break
		}
		if n == num && typ == wireVarint {
			v, found = x, true
		}
		data = rest
	}
	return v, found
}

// retryAfter parses a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(v, 10, 64); err == nil && s >= 0 {
		if s > int64(1<<63-1)/int64(time.Second) {
			return time.Duration(1<<63 - 1)
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// Shutdown cancels exports in flight and makes later ones fail; the
// tracer provider flushes its batch before calling it.
func (e *otlpExporter) Shutdown(ctx context.Context) error {
	e.stopOnce.Do(func() {
		close(e.stop)
		e.client.CloseIdleConnections()
	})
	return ctx.Err()
}
