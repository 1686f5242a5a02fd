package polar

import "sync/atomic"

// Stats are a client's counters since it was built, for load tests and
// metrics. Counters only grow; CacheEntries and CacheBytes are current
// values. The Rate* counters belong to the Limiter, so clients sharing one
// report the same values.
type Stats struct {
	// Requests is the number of HTTP requests sent to Polar (every page
	// and retry counts).
	Requests uint64
	// Throttled is the number of 429 answers received from Polar.
	Throttled uint64
	// Retries counts requests sent again after a 502, 503, 504 or a
	// connection failure (GETs only).
	Retries uint64
	// RateWaits counts requests that waited for a Limiter slot.
	RateWaits uint64
	// RateRefusals counts calls the Limiter refused without sending.
	RateRefusals uint64
	// RatePauses counts 429s that paused the Limiter.
	RatePauses uint64
	// CacheHits counts reads answered from the cache.
	CacheHits uint64
	// CacheMisses counts reads that were not, whether they called Polar
	// or joined an identical call already in flight.
	CacheMisses uint64
	// Coalesced counts the misses answered by another caller's call.
	Coalesced uint64
	// CacheEntries is the number of entries in the cache.
	CacheEntries int
	// CacheBytes is the estimated memory held by the cache.
	CacheBytes int64
}

// sdkCounters are SDKClient's own counters.
type sdkCounters struct {
	requests  atomic.Uint64
	throttled atomic.Uint64
	retries   atomic.Uint64
}

// Stats returns the client's counters.
func (c *SDKClient) Stats() Stats {
	s := Stats{
		Requests:  c.counters.requests.Load(),
		Throttled: c.counters.throttled.Load(),
		Retries:   c.counters.retries.Load(),
	}
	addRateStats(c.limiter, &s)
	return s
}
