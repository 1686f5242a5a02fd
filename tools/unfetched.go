package tools

// unfetched is ", so <part> could not be fetched" for a request of Polar
// operation op refused for the budget: everything else the answer needed
// was known, only this part had to reach Polar. "" for an unknown op.
func unfetched(op string) string {
	var part string
	switch op {
	case "customers:list", "customers:get_external", "customers:get":
		part = "the customer's account"
	case "customers:members:get", "customers:members:get_external":
		part = "the team member's record"
	case "customers:get_state", "customers:get_state_external":
		part = "the customer's billing state"
	case "subscriptions:list":
		part = "the customer's subscriptions"
	case "orders:list":
		part = "the customer's orders"
	case "orders:get":
		part = "the order"
	case "orders:invoice":
		part = "the order's invoice"
	case "benefit-grants:list":
		part = "the customer's benefits"
	case "license_keys:get":
		part = "license-key details"
	case "customer-seats:list_seats":
		part = "the subscription's seats"
	case "members:list_members":
		part = "the team's members"
	case "customer-sessions:create":
		part = "a portal session"
	case "products:list", "products:get":
		part = "the product catalog"
	case "benefits:list":
		part = "the benefit names"
	case "organizations:list":
		part = "the organization's settings"
	case "disputes:list":
		part = "the orders' disputes"
	default:
		return ""
	}
	return ", so " + part + " could not be fetched"
}
