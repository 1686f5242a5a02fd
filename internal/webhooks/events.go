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
	// ScopeMember: member MemberID of customer CustomerID in the member
	// index.
	ScopeMember Scope = "member"
)

// Change is what one event makes stale in organization Org.
type Change struct {
	Org        string
	Scope      Scope
	CustomerID string
	// Email is the customer's address as the event carries it, for
	// ScopeCustomer (to drop a kept "no such customer"); "" when none.
	Email string
	// MemberID is the member a ScopeMember change concerns.
	MemberID string
	// Event, Record and At carry the record of an event that has one, to
	// write through (Carries): its type, its data as Polar sent it, and
	// the event's timestamp, for ordering. A cache that cannot write it
	// drops what Scope names instead.
	Event  string
	Record string
	At     time.Time
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

// Carries reports whether events of type typ carry the record they are
// about (per Polar's OpenAPI webhooks: subscription.*, order.*,
// benefit_grant.*, refund.*, customer.*, member.*, customer_seat.*), so
// that caches may write it through instead of only dropping.
func Carries(typ string) bool {
	kind, _, _ := strings.Cut(typ, ".")
	switch kind {
	case "subscription", "order", "benefit_grant", "refund", "customer", "member", "customer_seat":
		return true
	}
	return false
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
//
// The first change of an event that Carries its record carries it too.
func Map(ev Event) []Change {
	cs := mapScopes(ev)
	if len(cs) > 0 && Carries(ev.Type) {
		cs[0].Event, cs[0].Record, cs[0].At = ev.Type, string(ev.Data), ev.Timestamp
	}
	return cs
}

func mapScopes(ev Event) []Change {
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
		return []Change{{Org: org, Scope: ScopeBilling, CustomerID: id}}
	case "member":
		if d.ID == "" {
			return nil
		}
		return []Change{{Org: org, Scope: ScopeMember, CustomerID: d.CustomerID, MemberID: d.ID}}
	case "customer_seat":
		// The billing change first: it carries the seat.
		var cs []Change
		if d.CustomerID != "" {
			cs = append(cs, Change{Org: org, Scope: ScopeBilling, CustomerID: d.CustomerID})
		}
		if d.MemberID != "" {
			cs = append(cs, Change{Org: org, Scope: ScopeMember, CustomerID: d.CustomerID, MemberID: d.MemberID})
		}
		return cs
	case "product", "benefit":
		return []Change{{Org: org, Scope: ScopeCatalog}}
	case "organization":
		if ev.Type == "organization.updated" {
			return []Change{{Org: org, Scope: ScopeOrganization}}
		}
	}
	return nil
}
