// Package connections stores the Polar organizations that merchants connect
// to polar-mcp, one connection per merchant.
//
// A connection names a Polar environment (never a server URL), the
// organization its token belongs to, the scopes found to work, and two
// secrets: the merchant's Polar access token and the secret that signs its
// callers' tokens. Both secrets are encrypted at rest with AES-256-GCM
// under the master keys of a keyring.Ring, each bound to its connection
// and field. Get and List return Connection values, which hold neither
// plaintext and are safe to log or serve as JSON; Credentials is the only
// way to read them back.
//
// The store is SQLite in a file by default and PostgreSQL when the
// database URL starts with postgres:// or postgresql://. Its schema is
// migrated at Open, which also refuses a missing or wrong master key.
//
// Rotating the master key:
//
//  1. Generate a key (keyring.GenerateKey) and configure it first, with
//     the old key after it: "k2:<new>,k1:<old>". Restart every process.
//  2. Call RotateKey, which re-encrypts everything under k2 in one
//     transaction.
//  3. When KeyIDsInUse lists only k2, remove k1 from the configuration.
package connections
