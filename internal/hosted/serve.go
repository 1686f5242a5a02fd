package hosted

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"
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
