package hosted

// Draining reports whether Shutdown has begun: new requests are refused
// while calls in flight finish (polarmcp_draining).
func (h *Handler) Draining() bool { return h.drain.closing() }
