package hosted

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
)

// ShutdownGrace bounds how long a SIGTERM waits for calls in flight.
const ShutdownGrace = 30 * time.Second

// Serve serves h on ln until ctx ends, then drains: drain (the handlers'
// Shutdown: new requests refused, calls in flight answered, streams
// closed), then the server's own Shutdown, both within ShutdownGrace. It
// returns the server's error when serving stops before ctx ends.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, drain func(context.Context) error, log *slog.Logger) error {
	// No WriteTimeout: SSE streams are long-lived.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: HeaderReadTimeout, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining calls in flight")
	dctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	if err := drain(dctx); err != nil {
		log.Warn("drain incomplete", slog.String("error", err.Error()))
	}
	if err := srv.Shutdown(dctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// HeaderReadTimeout bounds the reading of a request's headers (the
// http.Server's ReadHeaderTimeout): a client trickling its headers holds
// a connection slot at most this long.
const HeaderReadTimeout = 10 * time.Second

// MaxEdgeBody bounds every request body the server reads, on any route;
// routes bound their own bodies further (the admin API at 64 KiB, a
// webhook and an MCP message at 1 MiB).
const MaxEdgeBody = maxBodyBytes

// Edge guards every route one listener serves, before any of them runs
// (the MCP endpoints, webhooks, the admin API, the agent panel, health,
// readiness and the 404s): a request body must arrive within bodyTimeout
// (config.DefaultBodyReadTimeout when zero) and be at most MaxEdgeBody; a GET,
// HEAD, DELETE or OPTIONS request carrying a body is refused before it is
// read; and every refusal (a 4xx) is final: it is written with
// "Connection: close" and the connection is closed without draining what
// the client still sends (see refusing). A route refuses a request that
// carries no credential before reading its body, so a client trickling
// bodies without one loses its connection at once; one with a credential
// loses it after bodyTimeout at most.
func Edge(next http.Handler, bodyTimeout time.Duration) http.Handler {
	if bodyTimeout <= 0 {
		bodyTimeout = config.DefaultBodyReadTimeout
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &refusing{ResponseWriter: w}
		if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(rw, r)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodDelete, http.MethodOptions:
			WriteJSON(rw, http.StatusBadRequest, errorBody{Error: "invalid_request",
				Description: "a " + r.Method + " request carries no body"})
			return
		}
		if r.ContentLength > MaxEdgeBody {
			WriteJSON(rw, http.StatusRequestEntityTooLarge, errorBody{Error: "invalid_request",
				Description: "request body over 1 MiB"})
			return
		}
		rc := http.NewResponseController(rw)
		_ = rc.SetReadDeadline(time.Now().Add(bodyTimeout))
		r.Body = &deadlineBody{ReadCloser: http.MaxBytesReader(rw, r.Body, MaxEdgeBody), rc: rc}
		next.ServeHTTP(rw, r)
	})
}

// deadlineBody clears the connection's read deadline once the body has
// been read whole: the handler may then answer for long (a stream, a
// Polar call), and net/http's watch for a closed connection must not hit
// the body's deadline.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

// Read implements io.Reader.
func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}
