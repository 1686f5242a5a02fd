package fakepolar

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors of the mutation API, wrapped with the detail.
var (
	// ErrNotFound: no object has the given id.
	ErrNotFound = errors.New("fakepolar: not found")
	// ErrInvalid: the patch or object would not be a valid Polar object.
	ErrInvalid = errors.New("fakepolar: invalid")
)

// customerFields are the Customer fields a patch may set.
func customerFields() map[string]check {
	return map[string]check{
		"email":          nonEmptyString,
		"email_verified": isBool,
		"name":           nullableString,
		"billing_name":   nullableString,
		"locale":         nullableString,
		"external_id":    nullable(nonEmptyString),
		"metadata":       metadataValue,
		"deleted_at":     nullable(dateTime),
	}
}

// mutation runs fn under the write lock and then queues the webhook
// events it produced. fn gets the mutation time and an emit function.
func (s *Server) mutation(fn func(now time.Time, emit func(typ string, data object)) error) error {
	now := s.opts.Now().UTC()
	var events []pendingEvent
	s.state.Lock()
	err := fn(now, func(typ string, data object) {
		if s.hooks != nil {
			events = append(events, s.hooks.encode(typ, now, data))
		}
	})
	s.state.Unlock()
	if err == nil && s.hooks != nil {
		s.hooks.enqueue(events)
	}
	return err
}

// UpdateCustomer applies patch (top-level fields; null sets a nullable
// field to null) to the customer with id, as Polar does on PATCH
// /v1/customers/{id}: email stays unique within the organization
// (case-insensitively), external_id can be set once and never changed.
// modified_at becomes now, and the copies of the customer embedded in
// subscriptions, orders and benefit grants follow. Sends customer.updated
// and customer.state_changed. It returns a copy of the updated customer.
func (s *Server) UpdateCustomer(id string, patch map[string]any) (map[string]any, error) {
	p, err := normalize(patch)
	if err != nil {
		return nil, err
	}
	if err := checkFields("customer", p, customerFields()); err != nil {
		return nil, err
	}
	var out object
	err = s.mutation(func(now time.Time, emit func(string, object)) error {
		i := indexByID(s.data.customers, id)
		if i < 0 {
			return fmt.Errorf("%w: customer %s", ErrNotFound, id)
		}
		old := s.data.customers[i]
		if ext, ok := p["external_id"]; ok && old["external_id"] != nil && ext != old["external_id"] {
			return fmt.Errorf("%w: customer external_id is already set and cannot be updated", ErrInvalid)
		}
		c := merge(old, p, now)
		if err := s.data.checkCustomerUnique(c, i); err != nil {
			return err
		}
		s.data.customers[i] = c
		s.data.refreshCustomer(c)
		emit("customer.updated", c)
		emit("customer.state_changed", s.customerState(c))
		out = deepCopy(c)
		return nil
	})
	return out, err
}

// AddCustomer adds a customer (a sign-up). obj needs an email; it may set
// the fields UpdateCustomer accepts plus id (a version 4 UUID, random when
// absent), type ("individual" or "team") and created_at (default now).
// Email and external_id must be unused by the organization's other
// customers. Sends customer.created and customer.state_changed. It
// returns a copy of the new customer.
func (s *Server) AddCustomer(obj map[string]any) (map[string]any, error) {
	p, err := normalize(obj)
	if err != nil {
		return nil, err
	}
	fields := customerFields()
	fields["id"], fields["type"], fields["created_at"] = uuid4, oneOf("individual", "team"), dateTime
	if err := checkFields("customer", p, fields); err != nil {
		return nil, err
	}
	if _, ok := p["email"]; !ok {
		return nil, fmt.Errorf("%w: customer.email is required", ErrInvalid)
	}
	var out object
	err = s.mutation(func(now time.Time, emit func(string, object)) error {
		c := merge(object{
			"id": randomUUID4(), "created_at": now.Format(time.RFC3339Nano), "modified_at": nil,
			"metadata": object{}, "external_id": nil, "email_verified": false, "type": "individual",
			"name": nil, "billing_name": nil, "billing_address": nil, "tax_id": nil, "locale": nil,
			"organization_id": s.data.orgID, "default_payment_method_id": nil, "deleted_at": nil,
			"first_user_event_at": nil, "avatar_url": nil,
		}, p, time.Time{})
		if indexByID(s.data.customers, str(c, "id")) >= 0 {
			return fmt.Errorf("%w: customer id %s is taken", ErrInvalid, str(c, "id"))
		}
		if err := s.data.checkCustomerUnique(c, -1); err != nil {
			return err
		}
		s.data.customers = append(s.data.customers, c)
		emit("customer.created", c)
		emit("customer.state_changed", s.customerState(c))
		out = deepCopy(c)
		return nil
	})
	return out, err
}

// checkCustomerUnique refuses c when another customer (not at index
// self) has its email or external_id.
func (d *dataset) checkCustomerUnique(c object, self int) error {
	for j, other := range d.customers {
		if j == self {
			continue
		}
		if strings.EqualFold(str(other, "email"), str(c, "email")) {
			return fmt.Errorf("%w: another customer has email %s", ErrInvalid, str(c, "email"))
		}
		if ext := str(c, "external_id"); ext != "" && str(other, "external_id") == ext {
			return fmt.Errorf("%w: another customer has external_id %s", ErrInvalid, ext)
		}
	}
	return nil
}

// refreshCustomer replaces the embedded copies of customer c, license
// keys' included (Polar embeds the customer as it is now).
func (d *dataset) refreshCustomer(c object) {
	id := str(c, "id")
	for _, list := range [][]object{d.subscriptions, d.orders, d.grants, d.licenseKeys} {
		for i, o := range list {
			if str(o, "customer_id") == id {
				list[i] = withField(o, "customer", refreshed(nested(o, "customer"), c))
			}
		}
	}
}

// merge returns a copy of old with patch's fields set, and modified_at
// set to now unless now is zero.
func merge(old, patch object, now time.Time) object {
	out := make(object, len(old)+1)
	for k, v := range old {
		out[k] = v
	}
	for k, v := range patch {
		out[k] = v
	}
	if !now.IsZero() {
		out["modified_at"] = now.Format(time.RFC3339Nano)
	}
	return out
}

// withField returns a copy of o with key set to v.
func withField(o object, key string, v any) object {
	return merge(o, object{key: v}, time.Time{})
}

// refreshed returns the fields of an embedded copy (those of embed, or all
// of src when embed is nil) with src's current values.
func refreshed(embed, src object) object {
	if embed == nil {
		return src
	}
	out := make(object, len(embed))
	for k, v := range embed {
		out[k] = v
		if nv, ok := src[k]; ok {
			out[k] = nv
		}
	}
	return out
}

// indexByID returns the index of the object with id, or -1.
func indexByID(objs []object, id string) int {
	for i, o := range objs {
		if strings.EqualFold(str(o, "id"), id) {
			return i
		}
	}
	return -1
}
