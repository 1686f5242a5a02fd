package tools

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/polar"
)

// NameFindCustomers is the agent-only customer finder.
const NameFindCustomers = "find_customers"

// The finder's bounds: it asks Polar for maxMatches customers, ranks
// them and shows the best shownMatches.
const (
	maxMatches   = 10
	shownMatches = 5
	maxQuery     = 200
)

// What a match was found by, besides "name" and "email".
const (
	byCustomerID = "customer_id"
	byOrderID    = "order_id"
	byExternalID = "external_id"
)

// uuidShaped reports whether s has the shape of Polar's ids: hex digits
// in groups of 8-4-4-4-12 joined by hyphens. (A loop, not a regexp with
// counted repetitions, which every start would compile.)
func uuidShaped(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
}

// FindCustomersInput is find_customers's input.
type FindCustomersInput struct {
	Query string `json:"query"`
}

// FindCustomersOutput is find_customers's structured answer.
type FindCustomersOutput struct {
	Customers []CustomerMatch `json:"customers"`

	query string
}

// CustomerMatch is one customer the finder found, best match first.
type CustomerMatch struct {
	ID           string `json:"id"`
	Name         string `json:"name,omitempty"`
	Email        string `json:"email"`
	ExternalID   string `json:"external_id,omitempty"`
	CustomerType string `json:"customer_type"`
	Plan         string `json:"plan,omitempty"`
	Status       string `json:"status,omitempty"`
	MatchedBy    string `json:"matched_by"`
	OrderID      string `json:"order_id,omitempty"`

	rank int
}

// FindCustomers is the agent-only find_customers tool. What a query
// costs in Polar requests, by its shape:
//
//   - text (a name, part of an email, an external id): one customer
//     search (customers:list ?query=, which matches names, emails and
//     external ids);
//   - a UUID: a read as a customer id (customers:get); on a 404, as an
//     order id (orders:get, whose answer embeds the customer); on a 404
//     again, the text search: one, two or three requests;
//
// plus, when anything matched, one subscriptions:list for the live plans
// of all the matches together (and the product list, kept a minute, only
// when a plan has a pending change to name).
func FindCustomers(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameFindCustomers,
		mcp.WithDescription("Agents only: find customers by name, email, or customer, order or external id."),
		input[FindCustomersInput](),
		output[FindCustomersOutput](),
		readOnly("Find customers"),
	)
	return server.ServerTool{Tool: tool, Handler: typed(deps, NameFindCustomers,
		func(ctx context.Context, in FindCustomersInput) *mcp.CallToolResult {
			if id, _ := caller.From(ctx); id.Role != caller.Agent {
				return failure(ctx, deps, NameFindCustomers, errors.New("find_customers is for support agents only"))
			}
			q, err := findArgs(in)
			if err != nil {
				res := failure(ctx, deps, NameFindCustomers, err)
				deps.Observer.ToolFailed(ctx, err, true)
				return res
			}
			c, err := FromContext(ctx)
			if err != nil {
				return failure(ctx, deps, NameFindCustomers, err)
			}
			desk, ok := c.(polar.Desk)
			if !ok {
				return failure(ctx, deps, NameFindCustomers, errors.New("this server's Polar adapter cannot search customers"))
			}
			matches, err := find(ctx, desk, q)
			if err == nil {
				err = livePlans(ctx, formatOf(ctx), c, desk, matches)
			}
			if err != nil {
				return failure(ctx, deps, NameFindCustomers, err)
			}
			deps.Observer.Searched(ctx, matchIDs(matches))
			out := FindCustomersOutput{Customers: matches, query: q}
			return answer(findText(out), out)
		})}
}

// findArgs checks find_customers's query.
func findArgs(in FindCustomersInput) (string, error) {
	q := strings.TrimSpace(in.Query)
	switch {
	case q == "":
		return "", errors.New("query is required: a name, part of an email, or a customer, order or external id")
	case len(q) > maxQuery:
		return "", fmt.Errorf("the query is too long (at most %d characters)", maxQuery)
	case strings.IndexFunc(q, unicode.IsControl) >= 0:
		return "", errors.New("the query has control characters")
	}
	return q, nil
}

// find runs the reads the query's shape calls for, fewest first: a UUID
// is read as a customer id, then as an order id, then searched as text;
// anything else is one text search (Polar's covers names, emails and
// external ids).
func find(ctx context.Context, d polar.Desk, q string) ([]CustomerMatch, error) {
	if uuidShaped(q) {
		for _, by := range []string{byCustomerID, byOrderID} {
			m, err := findByID(ctx, d, strings.ToLower(q), by)
			if err != nil || len(m) > 0 {
				return m, err
			}
		}
	}
	found, err := d.SearchCustomers(ctx, q, maxMatches)
	if err != nil {
		return nil, err
	}
	out := make([]CustomerMatch, 0, len(found))
	for _, c := range found {
		m := match(c, "")
		m.MatchedBy, m.rank = rank(c, q)
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].rank < out[j].rank })
	return out[:min(len(out), shownMatches)], nil
}

// findByID reads one customer by an id: at most one request.
func findByID(ctx context.Context, d polar.Desk, id, by string) ([]CustomerMatch, error) {
	var (
		c     *polar.Customer
		order string
		err   error
	)
	switch by {
	case byCustomerID:
		c, err = d.GetCustomer(ctx, id)
	case byOrderID:
		var o *polar.Order
		if o, err = d.GetOrder(ctx, id); err == nil {
			if c, order = o.Customer, o.ID; c == nil || c.ID != o.CustomerID {
				err = errors.New("the order came from Polar without its customer")
			}
		}
	}
	if errors.Is(err, polar.ErrCustomerNotFound) || errors.Is(err, polar.ErrOrderNotFound) {
		return []CustomerMatch{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := match(*c, by)
	m.OrderID = order
	return []CustomerMatch{m}, nil
}

func match(c polar.Customer, by string) CustomerMatch {
	typ := clean(c.Type)
	if typ == "" {
		typ = "individual"
	}
	return CustomerMatch{ID: c.ID, Name: clean(c.Name), Email: clean(c.Email), ExternalID: clean(c.External()),
		CustomerType: typ, MatchedBy: by}
}

// rank orders a text search's matches: the exact email or external id
// first, then the exact name, a word of the name (a surname), the start
// of the email, and anything else Polar matched.
func rank(c polar.Customer, q string) (string, int) {
	lq := strings.ToLower(q)
	name, email := strings.ToLower(c.Name), strings.ToLower(c.Email)
	switch {
	case email == lq:
		return "email", 0
	case c.External() != "" && c.External() == q:
		return byExternalID, 0
	case name == lq:
		return "name", 1
	}
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' || r == '\'' }) {
		if strings.HasPrefix(w, lq) {
			return "name", 2
		}
	}
	switch {
	case strings.HasPrefix(email, lq):
		return "email", 3
	case strings.Contains(name, lq):
		return "name", 4
	case strings.Contains(email, lq):
		return "email", 4
	}
	return byExternalID, 5
}

// livePlans names each match's live plan from one subscriptions request
// for all of them.
func livePlans(ctx context.Context, f format, c polar.Client, d polar.Desk, ms []CustomerMatch) error {
	if len(ms) == 0 {
		return nil
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	subs, err := d.CustomersSubscriptions(ctx, ids)
	if err != nil {
		return err
	}
	subs, _ = readable(subs, subUnreadable)
	per := map[string][]polar.Subscription{}
	for _, s := range subs {
		per[s.CustomerID] = append(per[s.CustomerID], s)
	}
	for i := range ms {
		own := per[ms[i].ID]
		if v := livePlan(subscriptionViews(f, own, nil)); v != nil {
			ms[i].Plan, ms[i].Status = v.Plan, v.Status
		}
	}
	return nil
}

// findText is the finder's answer for the model.
func findText(out FindCustomersOutput) string {
	if len(out.Customers) == 0 {
		return fmt.Sprintf("No customer matches %q: no name, email, external id, customer id or order id.", out.query)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d customer(s) match %q, best first:", len(out.Customers), out.query)
	for _, m := range out.Customers {
		who := m.Email
		if m.Name != "" {
			who = m.Name + " <" + m.Email + ">"
		}
		plan := "no live plan"
		if m.Plan != "" {
			plan = m.Plan + " (" + strings.ReplaceAll(m.Status, "_", " ") + ")"
		}
		fmt.Fprintf(&b, "\n- %s, %s, %s; customer id %s", who, m.CustomerType, plan, m.ID)
		if m.OrderID != "" {
			fmt.Fprintf(&b, " (order %s)", m.OrderID)
		}
	}
	return b.String()
}

// matchIDs are the Polar ids of the matches, for the audit line.
func matchIDs(ms []CustomerMatch) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}
