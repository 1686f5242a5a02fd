package connections

import "time"

// WithClock makes the store read the time from now instead of time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}
