package identity

import (
	"context"
	"fmt"

	"github.com/polar-mcp/polar-mcp/config"
)

// SecretFunc returns the signing secret for the connection a token is
// presented to. audience is the connection id in multi-merchant mode and ""
// in single-merchant mode. It returns an *Error of KindUnknownAudience when
// there is no such connection.
type SecretFunc func(ctx context.Context, audience string) ([]byte, error)

// CheckSecret reports whether secret is long enough to sign tokens. The
// error never contains the secret.
func CheckSecret(secret []byte) error {
	if len(secret) < config.MinTokenSecret {
		return fmt.Errorf("auth: signing secret must be at least %d bytes, got %d", config.MinTokenSecret, len(secret))
	}
	return nil
}

// StaticSecret returns a SecretFunc that answers with secret for every
// audience: single-merchant mode, where POLAR_MCP_TOKEN_SECRET signs every
// token. The secret is copied.
func StaticSecret(secret []byte) (SecretFunc, error) {
	if err := CheckSecret(secret); err != nil {
		return nil, err
	}
	s := append([]byte(nil), secret...)
	return func(context.Context, string) ([]byte, error) { return s, nil }, nil
}
