package polar

import "time"

// SubscriptionMeter is a subscription's usage of one meter in the current
// billing period.
type SubscriptionMeter struct {
	ConsumedUnits float64 `json:"consumed_units"`
	CreditedUnits float64 `json:"credited_units"`
	Amount        int64   `json:"amount"` // charged so far, minor units
	MeterID       string  `json:"meter_id"`
	Meter         *Meter  `json:"meter"`
}

// StateMeter is one of the customer state's active meters.
type StateMeter struct {
	MeterID       string  `json:"meter_id"`
	ConsumedUnits float64 `json:"consumed_units"`
	CreditedUnits float64 `json:"credited_units"`
	Balance       float64 `json:"balance"` // credited minus consumed
}

// Discount is the discount applied to a subscription (any of Polar's
// discount variants, flattened).
type Discount struct {
	Name             string `json:"name"`
	Type             string `json:"type"`     // percentage | fixed
	Duration         string `json:"duration"` // once | forever | repeating
	DurationInMonths int    `json:"duration_in_months"`
	BasisPoints      int    `json:"basis_points"`
	Amount           int64  `json:"amount"`
	Currency         string `json:"currency"`
}

// PendingUpdate is a change scheduled for a subscription's next period.
type PendingUpdate struct {
	AppliesAt *time.Time `json:"applies_at"`
	ProductID *string    `json:"product_id"`
	Seats     *int       `json:"seats"`
}

// Invoice is an order's invoice: a short-lived download URL.
type Invoice struct {
	URL string `json:"url"`
}

// LicenseKey is a license key with its activations. The key itself is
// deliberately not a field: only the masked DisplayKey is ever read.
type LicenseKey struct {
	ID               string       `json:"id"`
	CustomerID       string       `json:"customer_id"`
	Customer         *Customer    `json:"customer"` // as Polar holds it now
	BenefitID        string       `json:"benefit_id"`
	DisplayKey       string       `json:"display_key"`
	Status           string       `json:"status"` // granted | revoked | disabled
	LimitActivations *int         `json:"limit_activations"`
	Usage            int          `json:"usage"`
	LimitUsage       *int         `json:"limit_usage"`
	ExpiresAt        *time.Time   `json:"expires_at"`
	Activations      []Activation `json:"activations"`
}

// Activation is one activation of a license key (a device, a seat).
type Activation struct {
	Label string `json:"label"`
}

// Dispute is a chargeback on one of an order's payments.
type Dispute struct {
	ID        string  `json:"id"`
	Status    string  `json:"status"` // prevented | early_warning | needs_response | under_review | lost | won
	Closed    bool    `json:"closed"`
	Amount    int64   `json:"amount"`
	TaxAmount int64   `json:"tax_amount"`
	Currency  string  `json:"currency"`
	Reason    *string `json:"reason"`
	// EvidenceDueBy is when the merchant's response is due.
	EvidenceDueBy *time.Time `json:"evidence_due_by"`
	OrderID       string     `json:"order_id"`
}

// Grant is one of a customer's benefit grants as Polar's benefit-grants
// list has it: granted, pending, errored or revoked.
type Grant struct {
	BenefitGrant
	CreatedAt  time.Time   `json:"created_at"`
	IsGranted  bool        `json:"is_granted"`
	IsRevoked  bool        `json:"is_revoked"`
	RevokedAt  *time.Time  `json:"revoked_at"`
	Error      *GrantError `json:"error"`
	CustomerID string      `json:"customer_id"`
	Customer   *Customer   `json:"customer"` // as Polar holds it now
	Benefit    *Benefit    `json:"benefit"`
	// MemberID is the team member the grant is for (Polar's member
	// model); nil for an individual customer's or the team's own grant.
	MemberID *string `json:"member_id"`
}

// GrantError is why Polar could not grant a benefit (a GitHub invitation
// that failed...). Only its type is shown; the message may quote others.
type GrantError struct {
	Type string `json:"type"`
}
