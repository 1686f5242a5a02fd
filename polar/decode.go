package polar

// Decoding 2xx bodies
//
// A 2xx body must have the shape its endpoint promises: a list page has
// "items" and "pagination", a single object is a JSON object with its id.
// Anything else ({}, null, an array, HTML) is a KindDecode *Error, never
// an empty answer: "no such customer" must not be made up from a broken
// answer.
//
// Within that shape, lists are decoded item by item: an item that cannot
// be decoded (a new variant reusing a known field name with another JSON
// type) or has no id is skipped, counted and logged, and the rest of the
// answer stands. The fast path decodes the whole body once; only a body
// that fails it is decoded again, item by item.

import (
	"encoding/json"
	"errors"
	"fmt"
)

// bodyDecoder is a response type that checks its own shape.
type bodyDecoder interface {
	// decodeBody decodes body into the receiver and returns how many
	// list items it skipped.
	decodeBody(body []byte) (skipped int, err error)
}

// identified is a listed type that has an id.
type identified interface{ identified() bool }

// decode decodes a captured 2xx body into T, checking its shape when T
// is a bodyDecoder, and reports skipped items and failures to the capture.
func decode[T any](o op, slot *capture) (T, error) {
	var v T
	var skipped int
	var err error
	if d, ok := any(&v).(bodyDecoder); ok {
		skipped, err = d.decodeBody(slot.body)
	} else {
		err = json.Unmarshal(slot.body, &v)
	}
	if slot.report != nil {
		slot.report(skipped, err)
	}
	if err != nil {
		var zero T
		return zero, &Error{
			Kind:      KindDecode,
			Status:    slot.status,
			Operation: o.id,
			Err:       fmt.Errorf("decoding response: %s", redact(err.Error(), "")),
		}
	}
	return v, nil
}

// errShape is a body of the wrong shape.
type errShape string

func (e errShape) Error() string { return string(e) }

func (p *Page[T]) decodeBody(body []byte) (int, error) {
	var fast struct {
		Items      *[]T        `json:"items"`
		Pagination *Pagination `json:"pagination"`
	}
	if err := json.Unmarshal(body, &fast); err == nil {
		if fast.Items == nil || fast.Pagination == nil {
			return 0, errShape("a list page without items and pagination")
		}
		p.Pagination = *fast.Pagination
		p.Items, p.Skipped = keepIdentified(*fast.Items)
		return p.Skipped, nil
	} else if !isTypeError(err) {
		return 0, err
	}
	var raw struct {
		Items      *[]json.RawMessage `json:"items"`
		Pagination *Pagination        `json:"pagination"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return 0, err
	}
	if raw.Items == nil || raw.Pagination == nil {
		return 0, errShape("a list page without items and pagination")
	}
	p.Pagination = *raw.Pagination
	p.Items, p.Skipped = decodeItems[T](*raw.Items)
	return p.Skipped, nil
}

func (s *CustomerState) decodeBody(body []byte) (int, error) {
	if !isObject(body) {
		return 0, errShape("a customer state that is not an object")
	}
	err := json.Unmarshal(body, s)
	if isTypeError(err) {
		*s, err = CustomerState{}, nil
		var raw struct {
			Customer
			ActiveSubscriptions []json.RawMessage `json:"active_subscriptions"`
			GrantedBenefits     []json.RawMessage `json:"granted_benefits"`
			ActiveMeters        []json.RawMessage `json:"active_meters"`
		}
		if err := json.Unmarshal(body, &raw); err != nil {
			return 0, err
		}
		var n, m int
		s.Customer = raw.Customer
		s.ActiveSubscriptions, n = decodeItems[Subscription](raw.ActiveSubscriptions)
		s.GrantedBenefits, m = decodeItems[BenefitGrant](raw.GrantedBenefits)
		s.ActiveMeters = decodeMeters(raw.ActiveMeters)
		s.Skipped = n + m
	} else if err == nil {
		var n, m int
		s.ActiveSubscriptions, n = keepIdentified(s.ActiveSubscriptions)
		s.GrantedBenefits, m = keepIdentified(s.GrantedBenefits)
		s.Skipped = n + m
	}
	if err == nil && s.ID == "" {
		err = errShape("a customer state without an id")
	}
	return s.Skipped, err
}

// DecodeCustomerState reads a customer state as Polar sends it (GET
// /v1/customers/{id}/state, or a customer.state_changed webhook's data),
// exactly as CustomerState reads it.
func DecodeCustomerState(body []byte) (*CustomerState, error) {
	var s CustomerState
	if _, err := s.decodeBody(body); err != nil {
		return nil, err
	}
	return &s, nil
}

func (s *CustomerSession) decodeBody(body []byte) (int, error) {
	if !isObject(body) {
		return 0, errShape("a customer session that is not an object")
	}
	if err := json.Unmarshal(body, s); err != nil {
		return 0, err
	}
	if s.ID == "" || s.CustomerPortalURL == "" {
		return 0, errShape("a customer session without an id or portal URL")
	}
	return 0, nil
}

// decodeItems decodes each raw item on its own. One that does not decode
// is kept minimally and marked Unreadable (unreadable.go) when its type
// allows and it has an id; it is skipped otherwise, as one without an id
// is. It returns the items and how many did not decode (kept minimally
// or skipped).
func decodeItems[T any](raw []json.RawMessage) ([]T, int) {
	undecoded := 0
	items := make([]T, 0, len(raw))
	for _, r := range raw {
		var v T
		if json.Unmarshal(r, &v) != nil {
			undecoded++
			if m, ok := any(&v).(minimal); !ok || !m.keepMinimal(r) {
				continue
			}
		} else if !hasID(&v) {
			undecoded++
			continue
		}
		items = append(items, v)
	}
	return items, undecoded
}

// keepIdentified drops the items without an id (null or {} items).
func keepIdentified[T any](items []T) ([]T, int) {
	kept := items[:0]
	for i := range items {
		if hasID(&items[i]) {
			kept = append(kept, items[i])
		}
	}
	return kept, len(items) - len(kept)
}

func hasID[T any](v *T) bool {
	id, ok := any(v).(identified)
	return !ok || id.identified()
}

func isTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

// isObject reports whether body is a JSON object (not null, not an
// array); a required id then tells {} apart.
func isObject(body []byte) bool {
	for _, b := range body {
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b == '{'
	}
	return false
}

func (c *Customer) identified() bool     { return c.ID != "" }
func (s *Subscription) identified() bool { return s.ID != "" }
func (o *Order) identified() bool        { return o.ID != "" }
func (p *Product) identified() bool      { return p.ID != "" }
func (b *Benefit) identified() bool      { return b.ID != "" }
func (g *BenefitGrant) identified() bool { return g.ID != "" }

// decodeMeters decodes the meters that decode; a meter is no answer's
// subject, so one that does not decode is simply left out.
func decodeMeters(raw []json.RawMessage) []StateMeter {
	out := make([]StateMeter, 0, len(raw))
	for _, r := range raw {
		var m StateMeter
		if json.Unmarshal(r, &m) == nil && m.MeterID != "" {
			out = append(out, m)
		}
	}
	return out
}
