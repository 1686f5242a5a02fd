package fakepolar

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"time"
)

// WithDemoToken builds a fake Polar API serving fsys (the embedded demo
// organization when nil) whose one valid token, DemoToken, carries scopes
// (all when empty): what `polar-mcp fake-polar` serves.
func WithDemoToken(fsys fs.FS, opts Options, scopes []string) (*Server, error) {
	if fsys == nil {
		fsys = DemoFS()
	}
	if len(scopes) == 0 {
		scopes = AllScopes()
	}
	opts.Tokens = map[string][]string{DemoToken: scopes}
	return New(fsys, opts)
}

// ListenAndServe serves s on addr until ctx ends, then shuts down within
// 5 seconds.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 10 * time.Second}
	stop := context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	})
	defer stop()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
