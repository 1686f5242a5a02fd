package connections

import (
	"context"
	"fmt"
)

// MaxRateLimit bounds a connection's own rate budget: no Polar plan
// allows more requests per minute.
const MaxRateLimit = 100_000

// SetRateLimit sets a connection's own Polar budget in requests per minute
// (0 returns it to the server's). Changing it changes UpdatedAt, so every
// instance builds the connection's adapter again with the new budget.
func (s *Store) SetRateLimit(ctx context.Context, id string, perMinute int) (Connection, error) {
	if perMinute < 0 || perMinute > MaxRateLimit {
		return Connection{}, fmt.Errorf("%w: the rate limit must be from 0 (the server's) to %d requests per minute", ErrInvalid, MaxRateLimit)
	}
	return s.update(ctx, id, `rate_limit = $2, updated_at = $3`, perMinute, s.timestamp())
}
