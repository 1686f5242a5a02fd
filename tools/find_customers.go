package tools

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
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

// How a query names what it is, besides its shape. Compiled on first
// use, not at every start: only find_customers reads them.
var (
	// kindPrefix is "order 5b0c…", "order id: 5b0c…", "customer_id:…",
	// "external:usr_1": a kind, then the id.
	kindPrefix = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(?i)(order|customer|external)([ _-]?id)?(?:\s*([:#])\s*|\s+)(\S+)$`)
	})
	// dashboardPath is a customer's page (…/customers/{id}, and its
	// tabs) or an order's (…/sales/{id}) in Polar's dashboard, as an
	// agent pastes it.
	dashboardPath = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^https://[^/]+/dashboard/[^/]+/(sales|customers)/([0-9a-fA-F-]{36})(?:[/?#].*)?$`)
	})
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

	query findQuery
	// alsoTry are the queries reading the same text as another kind of
	// id, when it matched nobody as the kind it was read as (told in the
	// text only: tools/list has no bytes to spare for it).
	alsoTry []string
}

// CustomerMatch is one customer the finder found, best match first.
//
// PlanSource says where Plan, Status and Price come from: "polar" (read
// in the search's one request), "kept" (what this server already held
// from an earlier read, within the billing cache's limits), or nothing:
// the plan was not read, and looking the customer up shows it. With a
// PlanSource and no Status, the customer has no active plan.
type CustomerMatch struct {
	ID           string `json:"id"`
	Name         string `json:"name,omitempty"`
	Email        string `json:"email"`
	ExternalID   string `json:"external_id,omitempty"`
	CustomerType string `json:"customer_type"`
	Plan         string `json:"plan,omitempty"`
	Status       string `json:"status,omitempty"`
	Price        string `json:"price,omitempty"`
	PlanSource   string `json:"plan_source,omitempty"`
	MatchedBy    string `json:"matched_by"`
	OrderID      string `json:"order_id,omitempty"`

	rank int
	// activeOnly: the plan was read from the customer state, which lists
	// active and trialing subscriptions only.
	activeOnly bool
}

// FindCustomers is the agent-only find_customers tool. Every search is
// one Polar request, whatever the query names:
//
//   - text (a name, part of an email, an external id): the customer
//     search (customers:list ?query=, which matches names, emails and
//     external ids);
//   - a customer id (a bare UUID, "customer <id>" or a dashboard link):
//     the customer's state (customers:get_state), which carries their
//     active subscriptions;
//   - an external id ("external:<id>"): the same, by external id
//     (customers:get_state_external);
//   - an order id ("order <id>" or a dashboard link): the order
//     (orders:get), which embeds its customer, product and subscription.
//
// A live plan is named from that one answer, or from what the server
// already keeps (polar.Desk's Kept*), else left out and said so. A bare
// UUID that is no customer's id is answered with the queries that read
// it as an order id or an external id, each one more search.
func FindCustomers(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameFindCustomers,
		mcp.WithDescription("Agents only: find customers by name, email, or customer, order or external id."),
		schemas(deps, input[FindCustomersInput](), output[FindCustomersOutput]()),
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
			matches, err := find(ctx, formatOf(ctx), c, desk, q)
			if err != nil {
				return failure(ctx, deps, NameFindCustomers, err)
			}
			deps.Observer.Searched(ctx, matchIDs(matches))
			out := FindCustomersOutput{Customers: matches, query: q}
			if len(matches) == 0 {
				out.alsoTry = q.alsoTry()
			}
			return answer(findText(out), out)
		})}
}

// findArgs checks find_customers's query and reads what it names.
func findArgs(in FindCustomersInput) (findQuery, error) {
	q := strings.TrimSpace(in.Query)
	switch {
	case q == "":
		return findQuery{}, errors.New("query is required: a name, part of an email, or a customer, order or external id")
	case len(q) > maxQuery:
		return findQuery{}, fmt.Errorf("the query is too long (at most %d characters)", maxQuery)
	case strings.IndexFunc(q, unicode.IsControl) >= 0:
		return findQuery{}, errors.New("the query has control characters")
	}
	fq := parseQuery(q)
	if fq.by == byExternalID && config.CheckExternalID(fq.id) != nil {
		return findQuery{}, errors.New("that is not an external id Polar can hold")
	}
	return fq, nil
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

// matchIDs are the Polar ids of the matches, for the audit line.
func matchIDs(ms []CustomerMatch) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	return ids
}
