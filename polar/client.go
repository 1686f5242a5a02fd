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
//
// Subscriptions, orders, customer state and customer sessions embed the
// customer as Polar holds it at the time of the answer; callers check it
// against who is asking before showing anything.
type Client interface {
	// FindCustomerByEmail returns the customer whose email is the same
	// mailbox (caller.SameEmail: trimmed, ASCII letters folded, anything
	// else exact). It returns ErrCustomerNotFound when none is.
	FindCustomerByEmail(ctx context.Context, email string) (*Customer, error)
	// FindCustomerByExternalID returns the customer with the merchant's own
	// user id externalID, or ErrCustomerNotFound.
	FindCustomerByExternalID(ctx context.Context, externalID string) (*Customer, error)
	// ListSubscriptions returns every subscription of a customer, whatever
	// its status (paused and past_due included), newest first.
	ListSubscriptions(ctx context.Context, customer CustomerRef) ([]Subscription, error)
	// ListOrders returns a customer's most recent orders, newest first.
	ListOrders(ctx context.Context, customer CustomerRef, limit int) ([]Order, error)
	// CustomerState returns the customer's active subscriptions and granted
	// benefits.
	CustomerState(ctx context.Context, customer CustomerRef) (*CustomerState, error)
	// ListProducts returns the organization's public, non-archived products.
	ListProducts(ctx context.Context) ([]Product, error)
	// ListBenefits returns the organization's benefits (for their names).
	ListBenefits(ctx context.Context) ([]Benefit, error)
	// OrderInvoice returns an order's invoice link, or ErrNoInvoice when
	// Polar has not generated one. It never generates one.
	OrderInvoice(ctx context.Context, orderID string) (*Invoice, error)
	// LicenseKey returns a license key's status, activations, usage and
	// expiry (never the key itself). It needs license_keys:read.
	LicenseKey(ctx context.Context, id string) (*LicenseKey, error)
	// GetProduct returns any of the organization's products by id,
	// private and archived ones included (a plan change's target).
	GetProduct(ctx context.Context, id string) (*Product, error)
	// ListDisputes returns the disputes of the given orders. It needs the
	// optional disputes:read scope.
	ListDisputes(ctx context.Context, orderIDs []string) ([]Dispute, error)
	// ListBenefitGrants returns every benefit grant of a customer, in any
	// state: granted, pending, errored or revoked.
	ListBenefitGrants(ctx context.Context, customer CustomerRef) ([]Grant, error)
	// CreateCustomerSession creates a customer portal session. It is the
	// only write polar-mcp ever makes.
	CreateCustomerSession(ctx context.Context, customer CustomerRef) (*CustomerSession, error)
}

// CustomerRef names one customer: by Polar's id, or by the merchant's own
// user id (Polar's external_id), which Polar's external-id endpoints and
// filters take directly, so no lookup is needed first.
type CustomerRef struct {
	ID         string
	ExternalID string
}

// ByID names the customer with Polar id id.
func ByID(id string) CustomerRef { return CustomerRef{ID: id} }

// ByExternalID names the customer with the merchant's user id ext.
func ByExternalID(ext string) CustomerRef { return CustomerRef{ExternalID: ext} }

// Invalidator drops cached answers when Polar's data changes (a webhook,
// or an answer showing a cached lookup went stale). *cache.Client (package
// polar/cache) is one.
type Invalidator interface {
	// ForgetCustomer drops everything kept about the customer with Polar
	// id customerID, including the email lookup that led to it.
	ForgetCustomer(customerID string)
	// ForgetExternalID drops everything kept about the customer with the
	// merchant's user id ext.
	ForgetExternalID(ext string)
	// ForgetCatalog drops the product and benefit lists.
	ForgetCatalog()
}

// Refresher looks a customer up again, bypassing what is kept, and keeps
// the answer. *cache.Client is one; an uncached Client is always fresh.
type Refresher interface {
	RefreshCustomerByEmail(ctx context.Context, email string) (*Customer, error)
}
