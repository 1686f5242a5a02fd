package panel

// Desk is the desk's facts about the customer (Insights.Desk, the "desk"
// object of get_visitor_insights): Polar's ids, since when they are a
// customer, what they have paid, and their page in Polar's dashboard.
type Desk struct {
	CustomerID    string    `json:"customer_id,omitempty"`
	ExternalID    string    `json:"external_id,omitempty"`
	CustomerSince string    `json:"customer_since,omitempty"`
	LifetimeValue *Lifetime `json:"lifetime_value,omitempty"`
	// DashboardURL is https://polar.sh/dashboard/{org}/customers/{id}
	// (sandbox.polar.sh in the sandbox); the card drops anything else.
	DashboardURL string `json:"dashboard_url,omitempty"`
}

// Lifetime is what a customer has paid: paid orders, tax included, net of
// refunds.
type Lifetime struct {
	Total      string   `json:"total"` // e.g. "€72.00"
	Amounts    []Amount `json:"amounts"`
	PaidOrders int      `json:"paid_orders"`
	Orders     int      `json:"orders"`
	Partial    bool     `json:"partial,omitempty"` // more orders than were read
}

// Amount is an amount in minor units of an upper-case currency.
type Amount struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// License is a license key's state: its activations (of the limit) and
// the labels of the activated devices.
type License struct {
	Status      string   `json:"status,omitempty"`
	Activations int      `json:"activations"`
	Limit       int      `json:"activation_limit,omitempty"`
	Devices     []string `json:"devices,omitempty"`
	Usage       int      `json:"usage,omitempty"`
	UsageLimit  int      `json:"usage_limit,omitempty"`
}
