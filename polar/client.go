// Package polar is polar-mcp's adapter to the Polar API.
//
// Tools depend only on the Client interface. The implementation built by
// New uses polar-go for authentication, server selection and error
// handling, and decodes every 2xx body with the tolerant types in this
// package, so that a new enum value or union variant never fails an answer.
package polar

import "context"

// Client is everything polar-mcp asks of a Polar organization.
// All methods are read-only except CreateCustomerSession.
type Client interface {
	// FindCustomerByEmail returns the customer whose email matches exactly
	// (trimmed, case folded). It returns ErrCustomerNotFound when none does.
	FindCustomerByEmail(ctx context.Context, email string) (*Customer, error)
	// ListSubscriptions returns every subscription of a customer, whatever
	// its status (paused and past_due included), newest first.
	ListSubscriptions(ctx context.Context, customerID string) ([]Subscription, error)
	// ListOrders returns a customer's most recent orders, newest first.
	ListOrders(ctx context.Context, customerID string, limit int) ([]Order, error)
	// CustomerState returns the customer's active subscriptions and granted
	// benefits.
	CustomerState(ctx context.Context, customerID string) (*CustomerState, error)
	// ListProducts returns the organization's public, non-archived products.
	ListProducts(ctx context.Context) ([]Product, error)
	// ListBenefits returns the organization's benefits (for their names).
	ListBenefits(ctx context.Context) ([]Benefit, error)
	// CreateCustomerSession creates a customer portal session. It is the
	// only write polar-mcp ever makes.
	CreateCustomerSession(ctx context.Context, customerID string) (*CustomerSession, error)
}
