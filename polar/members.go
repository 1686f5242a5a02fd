package polar

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/components"
	"github.com/polarsource/polar-go/models/operations"
)

// Polar's member model: with the organization feature
// member_model_enabled, every customer has members (owner,
// billing_manager, member), and a team customer's seats are held by its
// members. polar-go v0.5.0 has none of these operations, so the adapter
// builds their requests itself and sends them through the same capture
// doer, limiter, retries and classification as every other call.

// Scopes of the member operations.
const (
	ScopeMembersRead       = "members:read"
	ScopeCustomerSeatsRead = "customer_seats:read"
)

// Member roles.
const (
	RoleOwner          = "owner"
	RoleBillingManager = "billing_manager"
	RoleMember         = "member"
)

// ErrMemberNotFound is returned when no member matches.
var ErrMemberNotFound = errors.New("polar: member not found")

// Member is a member of a customer.
type Member struct {
	ID         string    `json:"id"`
	CustomerID string    `json:"customer_id"`
	Email      string    `json:"email"`
	Name       *string   `json:"name"`
	ExternalID *string   `json:"external_id"`
	Role       string    `json:"role"` // owner | billing_manager | member
	CreatedAt  time.Time `json:"created_at"`
}

func (m *Member) identified() bool { return m.ID != "" }

// Manages reports whether the member may see the team's orders and
// invoices and change its plan (owner or billing manager), as Polar's
// customer portal allows.
func (m *Member) Manages() bool {
	return m != nil && (m.Role == RoleOwner || m.Role == RoleBillingManager)
}

// Seat is one seat of a seat-based subscription or order.
type Seat struct {
	ID                  string     `json:"id"`
	SubscriptionID      *string    `json:"subscription_id"`
	OrderID             *string    `json:"order_id"`
	Status              string     `json:"status"` // pending | claimed | revoked
	CustomerID          *string    `json:"customer_id"`
	MemberID            *string    `json:"member_id"`
	Email               *string    `json:"email"`
	InvitationExpiresAt *time.Time `json:"invitation_token_expires_at"`
	ClaimedAt           *time.Time `json:"claimed_at"`
	RevokedAt           *time.Time `json:"revoked_at"`
	CreatedAt           time.Time  `json:"created_at"`
}

// Seats is a subscription's (or order's) seats.
type Seats struct {
	Seats     []Seat `json:"seats"`
	Available int    `json:"available_seats"`
	Total     int    `json:"total_seats"`
}

// MemberGrant is who a customer's benefit grant was granted to.
type MemberGrant struct {
	ID         string  `json:"id"`
	CustomerID string  `json:"customer_id"`
	MemberID   *string `json:"member_id"`
	IsGranted  bool    `json:"is_granted"`
}

func (g *MemberGrant) identified() bool { return g.ID != "" }

// Members is what polar-mcp asks of Polar's member model. *SDKClient and
// *cache.Client implement it.
type Members interface {
	// ListMembers returns one page of members as q asks.
	ListMembers(ctx context.Context, q MemberQuery) (Page[Member], error)
	// MemberByExternalID returns the member with the merchant's own id
	// memberExt of the customer with the merchant's id customerExt, or
	// ErrMemberNotFound.
	MemberByExternalID(ctx context.Context, customerExt, memberExt string) (*Member, error)
	// GetMember returns member memberID of customer customerID, or
	// ErrMemberNotFound.
	GetMember(ctx context.Context, customerID, memberID string) (*Member, error)
	// SubscriptionSeats returns a seat-based subscription's seats.
	SubscriptionSeats(ctx context.Context, subscriptionID string) (*Seats, error)
	// MemberGrants returns the customer's granted benefit grants with the
	// member each was granted to.
	MemberGrants(ctx context.Context, customer CustomerRef) ([]MemberGrant, error)
	// CreateMemberSession creates a customer portal session for member
	// memberID of the customer (Polar requires one for a team customer).
	CreateMemberSession(ctx context.Context, customer CustomerRef, memberID string) (*CustomerSession, error)
}

var _ Members = (*SDKClient)(nil)

// doRaw sends one request polar-go has no operation for, riding on a
// polar-go call of the same method whose path, query and body the
// capture replaces (capture.path, capture.reqBody), so that it takes the
// same limiter, retries and classification as every other call. The
// path is built by the caller from checked ids.
func (c *SDKClient) doRaw(ctx context.Context, o op, method, path string, query url.Values, body any) (*capture, error) {
	o.path, o.query = path, query
	if o.query == nil {
		o.query = url.Values{}
	}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		o.body = b
	}
	return c.do(ctx, o, func(ctx context.Context, sdk *polargo.Polar) error {
		if method == http.MethodPost {
			_, err := sdk.CustomerSessions.Create(ctx, operations.CreateCustomerSessionsCreateCustomerSessionCreateCustomerSessionCustomerIDCreate(
				components.CustomerSessionCustomerIDCreate{}))
			return err
		}
		_, err := sdk.Customers.List(ctx, operations.CustomersListRequest{})
		return err
	})
}

// MemberQuery is one page of /v1/members/: the organization's members, or
// one customer's when CustomerID is set; pages are 1-based and hold up to
// 100 members, oldest first unless NewestFirst.
type MemberQuery struct {
	CustomerID  string
	Page        int
	NewestFirst bool
}

// ListMembers implements Members.
func (c *SDKClient) ListMembers(ctx context.Context, mq MemberQuery) (Page[Member], error) {
	o := op{id: "members:list_members", scope: ScopeMembersRead}
	sorting := "created_at"
	if mq.NewestFirst {
		sorting = "-created_at"
	}
	customerID := mq.CustomerID
	q := url.Values{"page": {strconv.Itoa(max(mq.Page, 1))}, "limit": {strconv.Itoa(pageSize)}, "sorting": {sorting}}
	if customerID != "" {
		if err := checkID(o, customerID); err != nil {
			return Page[Member]{}, err
		}
		q.Set("customer_id", customerID)
	}
	slot, err := c.doRaw(ctx, o, http.MethodGet, "/v1/members/", q, nil)
	if err != nil {
		return Page[Member]{}, err
	}
	p, err := decode[Page[Member]](o, slot)
	if err != nil {
		return Page[Member]{}, err
	}
	if customerID != "" {
		p.Items = onlyCustomer(ctx, c, o, p.Items, func(m Member) bool { return m.CustomerID == customerID })
	}
	return p, nil
}

// MemberByExternalID implements Members.
func (c *SDKClient) MemberByExternalID(ctx context.Context, customerExt, memberExt string) (*Member, error) {
	o := op{id: "customers:members:get_external", scope: ScopeMembersRead}
	if err := checkExternalID(o, customerExt); err != nil {
		return nil, err
	}
	if err := checkExternalID(o, memberExt); err != nil {
		return nil, err
	}
	path := "/v1/customers/external/" + url.PathEscape(customerExt) + "/members/" + url.PathEscape(memberExt)
	return c.readMember(ctx, o, path, func(m Member) bool {
		return m.ID != "" && m.ExternalID != nil && *m.ExternalID == memberExt
	})
}

// GetMember implements Members.
func (c *SDKClient) GetMember(ctx context.Context, customerID, memberID string) (*Member, error) {
	o := op{id: "customers:members:get", scope: ScopeMembersRead}
	if err := checkID(o, customerID); err != nil {
		return nil, err
	}
	if err := checkID(o, memberID); err != nil {
		return nil, err
	}
	return c.readMember(ctx, o, "/v1/customers/"+customerID+"/members/"+memberID, func(m Member) bool {
		return m.ID == memberID && m.CustomerID == customerID
	})
}

// readMember reads the one member at path: ErrMemberNotFound for Polar's
// 404 and for a member that is not the one asked for (is false).
func (c *SDKClient) readMember(ctx context.Context, o op, path string, is func(Member) bool) (*Member, error) {
	slot, err := c.doRaw(ctx, o, http.MethodGet, path, nil, nil)
	if isNotFound(err) {
		return nil, ErrMemberNotFound
	}
	if err != nil {
		return nil, err
	}
	m, err := decode[Member](o, slot)
	if err != nil {
		return nil, err
	}
	if !is(m) {
		return nil, ErrMemberNotFound
	}
	return &m, nil
}

// SubscriptionSeats implements Members.
func (c *SDKClient) SubscriptionSeats(ctx context.Context, subscriptionID string) (*Seats, error) {
	o := op{id: "customer-seats:list_seats", scope: ScopeCustomerSeatsRead}
	if err := checkID(o, subscriptionID); err != nil {
		return nil, err
	}
	slot, err := c.doRaw(ctx, o, http.MethodGet, "/v1/customer-seats", url.Values{"subscription_id": {subscriptionID}}, nil)
	if err != nil {
		return nil, err
	}
	s, err := decode[Seats](o, slot)
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// MemberGrants implements Members: the customer's granted grants, every
// page, read by benefitGrants (the one reader of GET /v1/benefit-grants/).
func (c *SDKClient) MemberGrants(ctx context.Context, ref CustomerRef) ([]MemberGrant, error) {
	grants, err := c.benefitGrants(ctx, ref, true, maxPages)
	if err != nil {
		return nil, err
	}
	out := make([]MemberGrant, 0, len(grants))
	for _, g := range grants {
		// Polar answered is_granted=true: every one is granted, an
		// unreadable one too.
		out = append(out, MemberGrant{ID: g.ID, CustomerID: g.CustomerID, MemberID: g.MemberID, IsGranted: true})
	}
	return out, nil
}

// CreateMemberSession implements Members.
func (c *SDKClient) CreateMemberSession(ctx context.Context, ref CustomerRef, memberID string) (*CustomerSession, error) {
	o := op{id: "customer-sessions:create", scope: ScopeCustomerSessionsWrite}
	if err := checkRef(o, ref); err != nil {
		return nil, err
	}
	if err := checkID(o, memberID); err != nil {
		return nil, err
	}
	body := map[string]string{"member_id": memberID}
	if ref.ID != "" {
		body["customer_id"] = ref.ID
	} else {
		body["external_customer_id"] = ref.ExternalID
	}
	slot, err := c.doRaw(ctx, o, http.MethodPost, "/v1/customer-sessions/", nil, body)
	if err != nil {
		return nil, err
	}
	s, err := decode[CustomerSession](o, slot)
	if err != nil {
		return nil, err
	}
	return &s, nil
}
