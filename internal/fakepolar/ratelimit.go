package fakepolar

import (
	"math"
	"time"
)

// window counts one token's requests in the current minute.
type window struct {
	start time.Time
	count int
}

// rateLimited counts a request of token and reports whether it exceeds
// Options.RateLimit, with the seconds until the window resets. Unknown
// tokens are not counted: they get 401.
func (s *Server) rateLimited(token string) (int, bool) {
	if s.opts.RateLimit <= 0 {
		return 0, false
	}
	if _, ok := s.tokens[token]; !ok {
		return 0, false
	}
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	win := s.windows[token]
	if win == nil || now.Sub(win.start) >= time.Minute {
		win = &window{start: now}
		s.windows[token] = win
	}
	win.count++
	if win.count <= s.opts.RateLimit {
		return 0, false
	}
	left := win.start.Add(time.Minute).Sub(now)
	return max(int(math.Ceil(left.Seconds())), 1), true
}
