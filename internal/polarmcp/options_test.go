package polarmcp

// withMetricsReady makes ServeHTTP send the metrics listener's address
// (cfg.MetricsListen, tests listen on port 0) to ready once it is up,
// before the endpoint's.
func withMetricsReady(ready chan<- string) Option {
	return func(o *options) { o.metricsReady = ready }
}
