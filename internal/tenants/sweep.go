package tenants

import (
	"context"
	"log/slog"
	"time"
)

// Sweep reads every connection once and drops the adapters of those that
// were removed or disabled, by any process, since they were last used. A
// connection nobody calls is thus not kept in memory, its token with it,
// after it is gone.
func (r *Router) Sweep(ctx context.Context) error {
	list, err := r.cfg.Store.List(ctx)
	if err != nil {
		return err
	}
	enabled := make(map[string]bool, len(list))
	for _, c := range list {
		enabled[c.ID] = !c.Disabled()
	}
	for _, id := range r.Live() {
		if !enabled[id] {
			r.Forget(id)
		}
	}
	return nil
}

// Run sweeps every interval until ctx ends. Failures are logged and the
// next sweep tries again.
func (r *Router) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := r.Sweep(ctx); err != nil && ctx.Err() == nil {
				r.log.Warn("connection sweep failed", slog.String("error", err.Error()))
			}
		}
	}
}
