package webhooks

import (
	"encoding/json"
	"strings"
	"time"
)

// Event is one verified delivery.
type Event struct {
	ID        string          // webhook-id
	Type      string          `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Data      json.RawMessage `json:"data"`
	// Org and Connection are the endpoint's (Endpoint).
	Org        string `json:"-"`
	Connection string `json:"-"`
}

// Scope says what a Change makes stale.
type Scope string

// The scopes of a Change.
const (
	// ScopeCustomer: the customer (email -> customer) and all that is
	// kept about them.
	ScopeCustomer Scope = "customer"
	// ScopeBilling: the customer's subscriptions, orders and state.
	ScopeBilling Scope = "billing"
	// ScopeCatalog: the organization's products and benefits.
	ScopeCatalog Scope = "catalog"
	// ScopeOrganization: the organization itself.
	ScopeOrganization Scope = "organization"
)

// Change is what one event makes stale in organization Org.
type Change struct {
	Org        string
	Scope      Scope
	CustomerID string
	// Email is the customer's address as the event carries it, for
	// ScopeCustomer (to drop a kept "no such customer"); "" when none.
	Email string
}

type eventData struct {
	ID             string `json:"id"`
	Email          string `json:"email"`
	CustomerID     string `json:"customer_id"`
	OrganizationID string `json:"organization_id"`
	Customer       struct {
		ID string `json:"id"`
	} `json:"customer"`
	MemberID string `json:"member_id"`
}

// Map returns what ev makes stale; nil for types that change nothing
// this server keeps (they are acknowledged and ignored).
//
//   - customer.*: the customer and all kept about it (data is the customer
//     or its state: data.id is the customer id);
//   - subscription.*, order.*, refund.*, benefit_grant.*: that customer's
//     billing (data.customer_id, else data.customer.id);
//   - product.*, benefit.*: the catalog;
//   - member.*: that member in the member index (data is the member);
//   - customer_seat.*: the seat holder in the member index and the
//     seat's customer's billing (data is the seat);
//   - organization.updated: the organization.
func Map(ev Event) []Change {
	var d eventData
	_ = json.Unmarshal(ev.Data, &d)
	org := ev.Org
	if org == "" {
		org = d.OrganizationID
	}
	kind, _, _ := strings.Cut(ev.Type, ".")
	switch kind {
	case "customer":
		if d.ID == "" {
			return nil
		}
		return []Change{{Org: org, Scope: ScopeCustomer, CustomerID: d.ID, Email: d.Email}}
	case "subscription", "order", "refund", "benefit_grant":
		id := d.CustomerID
		if id == "" {
			id = d.Customer.ID
		}
		if id == "" {
			return nil
		}
<<<<<<< HEAD
		inv := fleet.Invalidation{Org: org, Kind: fleet.KindBilling, CustomerID: id}
		if kind == "subscription" {
			// The event carries the subscription: caches write it through.
			inv.Event, inv.Record, inv.At = ev.Type, string(ev.Data), ev.Timestamp
		}
		return []fleet.Invalidation{inv}
	case "member":
		if d.ID == "" {
			return nil
		}
		return []fleet.Invalidation{{Org: org, Kind: fleet.KindMember, CustomerID: d.CustomerID, MemberID: d.ID}}
	case "customer_seat":
		var invs []fleet.Invalidation
		if d.MemberID != "" {
			invs = append(invs, fleet.Invalidation{Org: org, Kind: fleet.KindMember, CustomerID: d.CustomerID, MemberID: d.MemberID})
		}
		if d.CustomerID != "" {
			invs = append(invs, fleet.Invalidation{Org: org, Kind: fleet.KindBilling, CustomerID: d.CustomerID})
		}
		return invs
=======
		return []Change{{Org: org, Scope: ScopeBilling, CustomerID: id}}
>>>>>>> i17
	case "product", "benefit":
		return []Change{{Org: org, Scope: ScopeCatalog}}
	case "organization":
		if ev.Type == "organization.updated" {
			return []Change{{Org: org, Scope: ScopeOrganization}}
		}
	}
	return nil
}
