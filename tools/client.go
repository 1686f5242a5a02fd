package tools

import (
	"context"
	"errors"

	"github.com/polar-mcp/polar-mcp/polar"
)

type clientKey struct{}

// WithClient returns ctx carrying the Polar adapter of the organization a
// call is for: the hosted edge binds it once per request, stdio and the
// call command once per session.
func WithClient(ctx context.Context, c polar.Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// FromContext returns the adapter bound with WithClient.
func FromContext(ctx context.Context) (polar.Client, error) {
	if c, ok := ctx.Value(clientKey{}).(polar.Client); ok && c != nil {
		return c, nil
	}
	return nil, errors.New("this request was not routed to a merchant connection")
}
