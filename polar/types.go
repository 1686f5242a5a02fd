package polar

import (
	"encoding/json"
	"time"
)

// The types below mirror Polar's published response schemas (API version
// 2026-04/2026-10) but are tolerant: enums are plain strings, unions are
// flattened, and fields polar-mcp never shows (payment methods, billing
// addresses, tax ids, full license keys) are simply not declared, so they
// can never leak into an answer.

// Page is one page of a Polar list endpoint.
type Page[T any] struct {
	Items      []T        `json:"items"`
	Pagination Pagination `json:"pagination"`
	// Skipped counts the items of the page that could not be decoded:
	// left out of Items, or kept in it minimally as Unreadable.
	Skipped int `json:"-"`
}

// Pagination is Polar's pagination block.
type Pagination struct {
	TotalCount int `json:"total_count"`
	MaxPage    int `json:"max_page"`
}

// Customer is an individual or team customer.
type Customer struct {
	ID             string    `json:"id"`
	Type           string    `json:"type"` // individual | team
	Email          string    `json:"email"`
	EmailVerified  bool      `json:"email_verified"`
	Name           string    `json:"name"`
	ExternalID     *string   `json:"external_id"` // the merchant's own user id
	OrganizationID string    `json:"organization_id"`
	CreatedAt      time.Time `json:"created_at"`
	// Kept is set when the record is one a cache kept from an earlier
	// call, not one Polar returned during this one, and no webhook
	// arriving since vouches that it still holds.
	Kept bool `json:"-"`
}

// External returns the customer's external id, "" when it has none.
func (c *Customer) External() string {
	if c == nil || c.ExternalID == nil {
		return ""
	}
	return *c.ExternalID
}

// Subscription is one of a customer's subscriptions.
type Subscription struct {
	ID                 string     `json:"id"`
	Status             string     `json:"status"`
	Amount             int64      `json:"amount"`
	Currency           string     `json:"currency"`
	RecurringInterval  string     `json:"recurring_interval"`
	IntervalCount      int        `json:"recurring_interval_count"`
	CurrentPeriodStart *time.Time `json:"current_period_start"`
	CurrentPeriodEnd   *time.Time `json:"current_period_end"`
	TrialStart         *time.Time `json:"trial_start"`
	TrialEnd           *time.Time `json:"trial_end"`
	CancelAtPeriodEnd  bool       `json:"cancel_at_period_end"`
	CanceledAt         *time.Time `json:"canceled_at"`
	StartedAt          *time.Time `json:"started_at"`
	EndsAt             *time.Time `json:"ends_at"`
	EndedAt            *time.Time `json:"ended_at"`
	PauseAtPeriodEnd   bool       `json:"pause_at_period_end"`
	PausedAt           *time.Time `json:"paused_at"`
	ResumesAt          *time.Time `json:"resumes_at"`
	PastDueAt          *time.Time `json:"past_due_at"`
	Seats              *int       `json:"seats"`
	// CancellationReason is the reason the customer picked when
	// canceling (too_expensive, unused...); CancellationComment is their
	// own words, free text to be shown only through textsafe.
	CancellationReason  *string   `json:"customer_cancellation_reason"`
	CancellationComment *string   `json:"customer_cancellation_comment"`
	CustomerID          string    `json:"customer_id"`
	Customer            *Customer `json:"customer"` // as Polar holds it now
	ProductID           string    `json:"product_id"`
	Product             *Product  `json:"product"`
	// Prices are the subscription's prices (a fixed fee and a metered
	// price may both be charged).
	Prices        []Price             `json:"prices"`
	Meters        []SubscriptionMeter `json:"meters"`
	Discount      *Discount           `json:"discount"`
	PendingUpdate *PendingUpdate      `json:"pending_update"`
	// Unreadable marks an item Polar sent in a shape polar-mcp cannot
	// decode: only its id (and its customer, when that decodes) is set.
	Unreadable bool `json:"-"`
}

// Order is one order (a purchase, a renewal, a metered cycle...).
type Order struct {
	ID             string    `json:"id"`
	CreatedAt      time.Time `json:"created_at"`
	Status         string    `json:"status"`
	Paid           bool      `json:"paid"`
	TotalAmount    int64     `json:"total_amount"`
	RefundedAmount int64     `json:"refunded_amount"` // net of tax
	// RefundedTaxAmount is the tax refunded on top of RefundedAmount.
	RefundedTaxAmount int64 `json:"refunded_tax_amount"`
	SubtotalAmount    int64 `json:"subtotal_amount"`
	DiscountAmount    int64 `json:"discount_amount"`
	TaxAmount         int64 `json:"tax_amount"`
	// AppliedBalanceAmount is the customer's balance applied to the
	// order (positive: paid from balance); DueAmount what is still owed.
	AppliedBalanceAmount int64 `json:"applied_balance_amount"`
	DueAmount            int64 `json:"due_amount"`
	// Seats is the number of seats a seat-based one-time order bought.
	Seats *int `json:"seats"`
	// NextPaymentAttemptAt is when Polar retries a failed payment.
	NextPaymentAttemptAt *time.Time   `json:"next_payment_attempt_at"`
	Discount             *Discount    `json:"discount"`
	IsInvoiceGenerated   bool         `json:"is_invoice_generated"`
	Currency             string       `json:"currency"`
	BillingReason        string       `json:"billing_reason"`
	InvoiceNumber        *string      `json:"invoice_number"`
	Description          string       `json:"description"`
	CustomerID           string       `json:"customer_id"`
	Customer             *Customer    `json:"customer"` // as Polar holds it now
	ProductID            *string      `json:"product_id"`
	Product              *Product     `json:"product"`
	Items                []OrderItem  `json:"items"`
	Subscription         *OrderSubRef `json:"subscription"`
	// Unreadable marks an item Polar sent in a shape polar-mcp cannot
	// decode: only its id (and its customer, when that decodes) is set.
	Unreadable bool `json:"-"`
}

// OrderItem is an order line.
type OrderItem struct {
	Label  string `json:"label"`
	Amount int64  `json:"amount"`
}

// OrderSubRef is the subscription an order belongs to, as Polar holds
// it at the time of the answer (OrderSubscription).
type OrderSubRef struct {
	ID                string `json:"id"`
	Status            string `json:"status"`
	ProductID         string `json:"product_id"`
	Amount            int64  `json:"amount"`
	Currency          string `json:"currency"`
	RecurringInterval string `json:"recurring_interval"`
	IntervalCount     int    `json:"recurring_interval_count"`
}

// Product is a product with its prices.
type Product struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	Visibility  string  `json:"visibility"`
	// TrialInterval and TrialIntervalCount are the free trial a new
	// subscriber gets (day, week, month or year), when there is one.
	TrialInterval      *string `json:"trial_interval"`
	TrialIntervalCount *int    `json:"trial_interval_count"`
	RecurringInterval  *string `json:"recurring_interval"`
	IntervalCount      *int    `json:"recurring_interval_count"`
	IsRecurring        bool    `json:"is_recurring"`
	IsArchived         bool    `json:"is_archived"`
	OrganizationID     string  `json:"organization_id"`
	Prices             []Price `json:"prices"`
	// Unreadable marks an item Polar sent in a shape polar-mcp cannot
	// decode: only its id (and its customer, when that decodes) is set.
	Unreadable bool `json:"-"`
}

// Price is any product price: fixed, custom, seat_based, metered_unit or
// a type added later (kept with its AmountType and otherwise empty).
type Price struct {
	ID            string     `json:"id"`
	AmountType    string     `json:"amount_type"`
	Currency      string     `json:"price_currency"`
	IsArchived    bool       `json:"is_archived"`
	PriceAmount   *int64     `json:"price_amount"`   // fixed
	MinimumAmount *int64     `json:"minimum_amount"` // custom
	MaximumAmount *int64     `json:"maximum_amount"` // custom
	PresetAmount  *int64     `json:"preset_amount"`  // custom
	SeatTiers     *SeatTiers `json:"seat_tiers"`     // seat_based
	UnitAmount    *string    `json:"unit_amount"`    // metered_unit, decimal cents
	CapAmount     *int64     `json:"cap_amount"`     // metered_unit
	Meter         *Meter     `json:"meter"`          // metered_unit
	// Legacy recurring prices carry their own interval.
	RecurringInterval *string `json:"recurring_interval"`
}

// SeatTiers is a seat-based price's tier table.
type SeatTiers struct {
	// Type is "volume" (every seat at the matching tier's price, Polar's
	// default) or "graduated" (each tier's range at its own price).
	Type  string     `json:"seat_tier_type"`
	Tiers []SeatTier `json:"tiers"`
}

// SeatTier is one tier of a seat-based price.
type SeatTier struct {
	MinSeats     int   `json:"min_seats"`
	MaxSeats     *int  `json:"max_seats"`
	PricePerSeat int64 `json:"price_per_seat"`
}

// Meter names what a metered price counts.
type Meter struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CustomerState is a customer with their active subscriptions and granted
// benefits.
type CustomerState struct {
	Customer
	ActiveSubscriptions []Subscription `json:"active_subscriptions"`
	GrantedBenefits     []BenefitGrant `json:"granted_benefits"`
	ActiveMeters        []StateMeter   `json:"active_meters"`
	// Skipped counts the subscriptions and grants that could not be
	// decoded and were left out, so tools can say some are not shown.
	Skipped int `json:"-"`
}

// BenefitGrant is a benefit granted to a customer. Properties hold the
// type-specific grant data; only safe fields are ever read from them.
type BenefitGrant struct {
	ID          string          `json:"id"`
	GrantedAt   *time.Time      `json:"granted_at"`
	BenefitID   string          `json:"benefit_id"`
	BenefitType string          `json:"benefit_type"`
	Properties  GrantProperties `json:"properties"`
	// Unreadable marks an item Polar sent in a shape polar-mcp cannot
	// decode: only its id (and its customer, when that decodes) is set.
	Unreadable bool `json:"-"`
}

// GrantProperties is the union of every grant property polar-mcp may show.
// A full license key is deliberately not a field.
type GrantProperties struct {
	DisplayKey      string   `json:"display_key"`      // license_keys (masked)
	LicenseKeyID    string   `json:"license_key_id"`   // license_keys
	RepositoryOwner string   `json:"repository_owner"` // github_repository
	RepositoryName  string   `json:"repository_name"`  // github_repository
	Permission      string   `json:"permission"`       // github_repository
	GuildID         string   `json:"guild_id"`         // discord
	Files           []string `json:"files"`            // downloadables
	ChannelName     string   `json:"channel_name"`     // slack_shared_channel
	// LastCreditedMeterID is the meter a meter_credit grant credits.
	LastCreditedMeterID string `json:"last_credited_meter_id"`
}

// Benefit is an organization benefit; only what names it is kept.
type Benefit struct {
	ID          string          `json:"id"`
	Type        string          `json:"type"`
	Description string          `json:"description"`
	Properties  json.RawMessage `json:"properties"`
	// Unreadable marks an item Polar sent in a shape polar-mcp cannot
	// decode: only its id (and its customer, when that decodes) is set.
	Unreadable bool `json:"-"`
}

// CustomerSession is a customer portal session.
type CustomerSession struct {
	ID                string    `json:"id"`
	ExpiresAt         time.Time `json:"expires_at"`
	CustomerPortalURL string    `json:"customer_portal_url"`
	CustomerID        string    `json:"customer_id"`
	Customer          *Customer `json:"customer"` // as Polar holds it now
}
