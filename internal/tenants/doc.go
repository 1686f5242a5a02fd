// Package tenants serves many Polar organizations from one polar-mcp:
// one connection per merchant, each with its own Polar access token,
// environment and caller-token signing secret, kept by package
// connections.
//
//   - Service connects a merchant: it refuses a token that is not a Polar
//     token before any request, asks Polar what the token can do
//     (polar.SDKClient.Probe), and saves the connection only when the token
//     works and has the scopes the tools read with. It also checks, rotates,
//     disables, enables and removes connections. The CLI and the admin API
//     (package admin) both use it.
//   - Router routes each hosted request to its connection: it gives the
//     edge the connection's token secret and its adapter (or
//     ErrUnknownConnection), once per request. It keeps one cached,
//     rate-limited adapter per connection
//     for as long as the connection lives, and drops it as soon as the
//     connection is disabled or removed, by this process or another.
//
// A connection names an environment, never a server URL: the Polar API a
// connection reaches is decided by the AdapterFunc, which the operator
// configures (POLAR_SERVER_URL applies to every connection). No secret
// (Polar token, signing secret, admin key) is ever logged, and the Polar
// token is never shown again once saved.
package tenants
