// Package polarmcp is polar-mcp's composition root: it turns a validated
// config.Config into the running server (stdio, the hosted endpoint, the
// connection store), the way github-mcp-server's internal/ghmcp does. The
// command in cmd/polar-mcp maps flags, environment and config file to a
// config.Config and calls it; nothing here reads flags or viper.
//
// It only builds and connects: budgets, invalidations and every Polar
// adapter (fleet.Adapters) are internal/fleet's.
package polarmcp
