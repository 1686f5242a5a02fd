// Package panel holds the Visitor Insights card in its two forms: the MCP
// App (an HTML resource a host renders in a sandboxed iframe beside
// get_visitor_insights's result) and the agent web panel (a page a
// helpdesk embeds, with its JSON API and live-update stream). Both render
// the same card from an Insights value; neither loads anything from
// another origin.
package panel

// Insights is the card's data: get_visitor_insights's structuredContent
// and the body of GET api/insights. Dates are RFC 3339 strings. Every
// field but email is optional: the card leaves out what is missing, and
// shows a date it cannot parse as given.
type Insights struct {
	Email        string `json:"email"`
	Found        bool   `json:"customer_found"`
	Name         string `json:"name,omitempty"`
	CustomerType string `json:"customer_type,omitempty" jsonschema:"individual or team"`

	// The main subscription.
	Plan              string `json:"plan,omitempty"`
	Status            string `json:"status,omitempty" jsonschema:"active, trialing, past_due, paused, canceled, unpaid or incomplete"`
	Price             string `json:"price,omitempty" jsonschema:"e.g. €24.00 / month"`
	Discount          string `json:"discount,omitempty" jsonschema:"e.g. 20% off for 3 months"`
	Seats             int    `json:"seats,omitempty"`
	CancelAtPeriodEnd bool   `json:"cancel_at_period_end,omitempty"`
	NextBillingAt     string `json:"next_billing_at,omitempty"`
	TrialEndsAt       string `json:"trial_ends_at,omitempty"`
	CancelsAt         string `json:"cancels_at,omitempty"`
	PausedAt          string `json:"paused_at,omitempty"`
	ResumesAt         string `json:"resumes_at,omitempty"`

	// PaymentDue is a failed payment on the main subscription;
	// Cancellation why the customer canceled it.
	PaymentDue   *PaymentDue   `json:"payment_due,omitempty"`
	Cancellation *Cancellation `json:"cancellation,omitempty"`

	ScheduledChanges []Change  `json:"scheduled_changes,omitempty"`
	Meters           []Meter   `json:"meters,omitempty"`
	Subscriptions    []string  `json:"subscriptions"`
	RecentOrders     []Order   `json:"recent_orders"`
	ActiveBenefits   []Benefit `json:"active_benefits"`
	// Teams are the memberships of team customers the email holds
	// (Polar's member model): role and own seat.
	Teams []Team `json:"teams,omitempty"`
	// InactiveBenefits are grants that give no access now (pending,
	// errored, revoked), each with its status.
	InactiveBenefits []Benefit `json:"inactive_benefits,omitempty"`
	Desk             *Desk     `json:"desk,omitempty"`
}

// Team is one membership of a team customer.
type Team struct {
	Team string `json:"team"`
	Role string `json:"role" jsonschema:"owner, billing_manager or member"`
	Seat *Seat  `json:"seat,omitempty"`
	// Answered is true for the team the card's plan and orders are of.
	Answered bool `json:"answered"`
}

// Seat is a member's own seat.
type Seat struct {
	Status              string `json:"status" jsonschema:"pending, claimed or revoked"`
	InvitationExpiresAt string `json:"invitation_expires_at,omitempty"`
	ClaimedAt           string `json:"claimed_at,omitempty"`
	RevokedAt           string `json:"revoked_at,omitempty"`
}

// PaymentDue is what the main subscription owes after a failed payment.
type PaymentDue struct {
	PastDueSince string `json:"past_due_since,omitempty"`
	Amount       int64  `json:"amount_outstanding,omitempty"`
	Outstanding  string `json:"outstanding,omitempty" jsonschema:"e.g. £27.84"`
	Currency     string `json:"currency,omitempty"`
	RetryAt      string `json:"payment_retry_at,omitempty"`
}

// Cancellation is the reason a customer gave for canceling, and their
// comment when it can be shown.
type Cancellation struct {
	Reason  string `json:"reason"`
	Comment string `json:"comment,omitempty"`
}

// Dispute is a chargeback on an order.
type Dispute struct {
	Status      string `json:"status"`
	Amount      int64  `json:"amount,omitempty"`
	Currency    string `json:"currency,omitempty"`
	Reason      string `json:"reason,omitempty"`
	ResponseDue string `json:"response_due_at,omitempty"`
	Closed      bool   `json:"closed,omitempty"`
}

// Order is one recent order.
type Order struct {
	Date    string `json:"date"`
	Item    string `json:"item"`
	Total   string `json:"total"`
	Status  string `json:"status" jsonschema:"paid, pending, refunded, partially_refunded, draft or void"`
	Invoice string `json:"invoice_number,omitempty"`
	// Currency and the amounts below (minor units) explain an order that
	// was not simply charged: paid from balance, still due, disputed.
	Currency       string   `json:"currency,omitempty"`
	Amount         int64    `json:"amount,omitempty" jsonschema:"total incl. tax, minor units"`
	AppliedBalance int64    `json:"applied_balance,omitempty"`
	Discount       string   `json:"discount,omitempty"`
	DiscountAmount int64    `json:"discount_amount,omitempty"`
	Seats          int      `json:"seats,omitempty"`
	Due            int64    `json:"amount_due,omitempty"`
	RetryAt        string   `json:"payment_retry_at,omitempty"`
	Dispute        *Dispute `json:"dispute,omitempty"`
}

// Benefit is one active benefit. LicenseKey is Polar's masked display
// key, never the full key.
type Benefit struct {
	Name       string   `json:"name"`
	Type       string   `json:"type,omitempty"`
	Detail     string   `json:"detail,omitempty"`
	LicenseKey string   `json:"license_key,omitempty"`
	License    *License `json:"license,omitempty"`
	Status     string   `json:"status,omitempty" jsonschema:"granted, pending, errored or revoked"`
}

// Change is a change scheduled on the main subscription.
type Change struct {
	Description string `json:"description"`
	At          string `json:"at,omitempty"`
}

// Meter is one usage meter on the main subscription.
type Meter struct {
	Name     string  `json:"name"`
	Consumed float64 `json:"consumed"`
	Credited float64 `json:"credited,omitempty"`
	Balance  float64 `json:"balance,omitempty"`
	// Usage says it in words ("12,840 used of 10,000 credited (2,840
	// over)"); without it the card writes the same from the numbers.
	Usage string `json:"usage,omitempty"`
}
