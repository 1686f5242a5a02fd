package tools

import (
	"context"
	"errors"

	"github.com/polar-mcp/polar-mcp/polar"
)

type clientKey struct{}

// WithClient returns ctx carrying the Polar adapter of the organization a
// request was routed to; the hosted edge binds it once per request.
func WithClient(ctx context.Context, c polar.Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

// FromContext is the ClientFunc of requests whose adapter was bound with
// WithClient.
func FromContext(ctx context.Context) (polar.Client, error) {
	if c, ok := ctx.Value(clientKey{}).(polar.Client); ok && c != nil {
		return c, nil
	}
	return nil, errors.New("this request was not routed to a merchant connection")
}
