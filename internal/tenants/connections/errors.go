package connections

import "errors"

// Errors returned by the store. Test for them with errors.Is. No error
// from this package contains a plaintext token or secret.
var (
	// ErrNotFound means no connection has the id.
	ErrNotFound = errors.New("connection not found")
	// ErrDisabled means the connection exists but is disabled.
	ErrDisabled = errors.New("connection is disabled")
	// ErrInvalid means a NewConnection or an argument was refused.
	ErrInvalid = errors.New("invalid connection")
	// ErrWrongKey means a configured master key does not decrypt what this
	// database holds under the same key id.
	ErrWrongKey = errors.New("wrong master key for this database")
	// ErrKeyMissing means the database holds data encrypted under a key id
	// that is not configured.
	ErrKeyMissing = errors.New("master key needed by this database is not configured")
	// ErrUnsupportedURL means the database URL names no supported store.
	ErrUnsupportedURL = errors.New("unsupported database URL")
)
