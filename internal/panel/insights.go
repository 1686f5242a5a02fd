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

	ScheduledChanges []Change  `json:"scheduled_changes,omitempty"`
	Meters           []Meter   `json:"meters,omitempty"`
	Subscriptions    []string  `json:"subscriptions"`
	RecentOrders     []Order   `json:"recent_orders"`
	ActiveBenefits   []Benefit `json:"active_benefits"`
	Desk             *Desk     `json:"desk,omitempty"`
}

// Order is one recent order.
type Order struct {
	Date    string `json:"date"`
	Item    string `json:"item"`
	Total   string `json:"total"`
	Status  string `json:"status" jsonschema:"paid, pending, refunded, partially_refunded, draft or void"`
	Invoice string `json:"invoice_number,omitempty"`
}

// Benefit is one active benefit. LicenseKey is Polar's masked display
// key, never the full key.
type Benefit struct {
	Name       string   `json:"name"`
	Type       string   `json:"type,omitempty"`
	Detail     string   `json:"detail,omitempty"`
	LicenseKey string   `json:"license_key,omitempty"`
	License    *License `json:"license,omitempty"`
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
}
