package fakepolar

import (
	"fmt"
	"time"
)

// AddMember adds a member with email and role to the customer with id
// customerID, as Polar does when a member is added to a customer, and
// sends member.created. It returns a copy of the new member.
func (s *Server) AddMember(customerID, email, role string) (map[string]any, error) {
	var out object
	err := s.mutation(func(now time.Time, emit func(string, object)) error {
		if s.data.customer(customerID) == nil {
			return fmt.Errorf("%w: customer %s", ErrNotFound, customerID)
		}
		if role != "owner" && role != "billing_manager" && role != "member" {
			return fmt.Errorf("%w: role %q", ErrInvalid, role)
		}
		ts := now.Format(time.RFC3339Nano)
		m := object{"id": randomUUID4(), "created_at": ts, "modified_at": ts, "customer_id": customerID,
			"email": email, "name": nil, "external_id": nil, "role": role}
		s.data.members = append(s.data.members, m)
		out = deepCopy(m)
		emit("member.created", m)
		return nil
	})
	return out, err
}

// UpdateMemberEmail changes the email of the member with id, as Polar does
// on PATCH /v1/customers/{id}/members/{member_id}, and sends
// member.updated.
func (s *Server) UpdateMemberEmail(id, email string) error {
	return s.mutation(func(now time.Time, emit func(string, object)) error {
		for i, m := range s.data.members {
			if str(m, "id") == id {
				m = deepCopy(m)
				m["email"], m["modified_at"] = email, now.Format(time.RFC3339Nano)
				s.data.members[i] = m
				emit("member.updated", m)
				return nil
			}
		}
		return fmt.Errorf("%w: member %s", ErrNotFound, id)
	})
}

// AddMembers adds n members to the customer with id customerID without
// sending webhooks, for benchmarks of organizations with many members:
// member-<i>@<domain>, created a second apart from 2026-01-01.
func (s *Server) AddMembers(customerID, domain string, n int) error {
	return s.mutation(func(now time.Time, _ func(string, object)) error {
		if s.data.customer(customerID) == nil {
			return fmt.Errorf("%w: customer %s", ErrNotFound, customerID)
		}
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			ts := base.Add(time.Duration(i) * time.Second).Format(time.RFC3339)
			s.data.members = append(s.data.members, object{
				"id": randomUUID4(), "created_at": ts, "modified_at": ts, "customer_id": customerID,
				"email": fmt.Sprintf("member-%d@%s", i, domain), "name": nil, "external_id": nil, "role": "member",
			})
		}
		return nil
	})
}
