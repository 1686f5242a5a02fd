package polar

import "encoding/json"

// Items that do not decode
//
// A list item that does not decode (a new variant reusing a known field
// name with another JSON type) is kept, decoded minimally: its id, and
// for a customer's records its customer_id and embedded customer, so
// that the record is still checked against the caller (and filtered to
// them) rather than silently dropped. It is marked Unreadable; tools
// leave its content out and tell the reader one item could not be shown.

// minimal is a listed type that can keep an undecodable item minimally.
type minimal interface {
	// keepMinimal decodes raw's id (and customer) into the receiver,
	// marks it Unreadable, and reports whether it had an id.
	keepMinimal(raw json.RawMessage) bool
}

// minimalFields are the fields kept of an item that does not decode.
type minimalFields struct {
	ID         string          `json:"id"`
	CustomerID string          `json:"customer_id"`
	Customer   json.RawMessage `json:"customer"`
}

func decodeMinimal(raw json.RawMessage) (minimalFields, *Customer, bool) {
	var m minimalFields
	if json.Unmarshal(raw, &m) != nil || m.ID == "" {
		return m, nil, false
	}
	var c Customer
	if len(m.Customer) == 0 || json.Unmarshal(m.Customer, &c) != nil || c.ID == "" {
		return m, nil, true // no customer to check: the check refuses it
	}
	return m, &c, true
}

func (s *Subscription) keepMinimal(raw json.RawMessage) bool {
	m, c, ok := decodeMinimal(raw)
	*s = Subscription{ID: m.ID, CustomerID: m.CustomerID, Customer: c, Unreadable: true}
	return ok
}

func (o *Order) keepMinimal(raw json.RawMessage) bool {
	m, c, ok := decodeMinimal(raw)
	*o = Order{ID: m.ID, CustomerID: m.CustomerID, Customer: c, Unreadable: true}
	return ok
}

func (p *Product) keepMinimal(raw json.RawMessage) bool {
	m, _, ok := decodeMinimal(raw)
	*p = Product{ID: m.ID, Unreadable: true}
	return ok
}

func (b *Benefit) keepMinimal(raw json.RawMessage) bool {
	m, _, ok := decodeMinimal(raw)
	*b = Benefit{ID: m.ID, Unreadable: true}
	return ok
}

func (g *BenefitGrant) keepMinimal(raw json.RawMessage) bool {
	m, _, ok := decodeMinimal(raw)
	*g = BenefitGrant{ID: m.ID, Unreadable: true}
	return ok
}
