package tools

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/polar-mcp/polar-mcp/polar"
)

// Where a match's plan comes from (CustomerMatch.PlanSource).
const (
	planFromPolar = "polar"
	planFromKept  = "kept"
)

// findQuery is what a query names: an id of a kind (by), or text.
type findQuery struct {
	raw  string // as typed, trimmed
	by   string // byCustomerID, byOrderID, byExternalID; "": text
	id   string // the id, when by is set
	bare bool   // a bare UUID, read as a customer id
}

// parseQuery reads what q names: a dashboard link to a customer or an
// order, a kind and an id ("order 5b0c…", "external:usr_1"), a bare UUID
// (a customer id), or else text to search.
func parseQuery(q string) findQuery {
	fq := findQuery{raw: q}
	if m := dashboardPath().FindStringSubmatch(q); m != nil && uuidShaped(m[2]) {
		fq.by, fq.id = byCustomerID, strings.ToLower(m[2])
		if m[1] == "sales" {
			fq.by = byOrderID
		}
		return fq
	}
	if m := kindPrefix().FindStringSubmatch(q); m != nil {
		kind, named, sep, val := strings.ToLower(m[1]), m[2] != "", m[3], m[4]
		switch {
		case kind == "order" && uuidShaped(val):
			fq.by, fq.id = byOrderID, strings.ToLower(val)
			return fq
		case kind == "customer" && uuidShaped(val):
			fq.by, fq.id = byCustomerID, strings.ToLower(val)
			return fq
		case kind == "external" && (named || sep == ":"):
			fq.by, fq.id = byExternalID, val
			return fq
		}
	}
	if uuidShaped(q) {
		fq.by, fq.id, fq.bare = byCustomerID, strings.ToLower(q), true
	}
	return fq
}

// alsoTry are the queries reading a bare UUID as the other kinds of id.
func (q findQuery) alsoTry() []string {
	if !q.bare {
		return nil
	}
	return []string{"order " + q.id, "external:" + q.id}
}

// find makes the one read the query calls for.
func find(ctx context.Context, f format, c polar.Client, d polar.Desk, q findQuery) ([]CustomerMatch, error) {
	switch q.by {
	case byCustomerID:
		return findByState(ctx, f, c, d, polar.ByID(q.id), byCustomerID)
	case byExternalID:
		return findByState(ctx, f, c, d, polar.ByExternalID(q.id), byExternalID)
	case byOrderID:
		return findByOrder(ctx, f, d, q.id)
	}
	found, err := d.SearchCustomers(ctx, q.raw, maxMatches)
	if err != nil {
		return nil, err
	}
	out := make([]CustomerMatch, 0, len(found))
	for _, c := range found {
		m := match(c, "")
		m.MatchedBy, m.rank = rank(c, q.raw)
		out = append(out, m)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].rank < out[j].rank })
	out = out[:min(len(out), shownMatches)]
	for i := range out {
		keptPlan(f, d, &out[i])
	}
	return out, nil
}

// findByState reads one customer by id or external id with their active
// subscriptions: one request. A 404 (or Polar's 422 for an id that is no
// UUID) is no match, and so is a record that is not the one asked for.
func findByState(ctx context.Context, f format, c polar.Client, d polar.Desk, ref polar.CustomerRef, by string) ([]CustomerMatch, error) {
	st, err := c.CustomerState(ctx, ref)
	if pe, ok := polar.AsError(err); ok && (pe.Kind == polar.KindNotFound || pe.Kind == polar.KindInvalid && pe.Status == 422) ||
		errors.Is(err, polar.ErrCustomerNotFound) {
		return []CustomerMatch{}, nil
	}
	if err != nil {
		return nil, err
	}
	if ref.ID != "" && st.ID != ref.ID || ref.ExternalID != "" && st.External() != ref.ExternalID {
		return []CustomerMatch{}, nil
	}
	m := match(st.Customer, by)
	m.activeOnly = true
	subs, _ := readable(st.ActiveSubscriptions, subUnreadable)
	planOf(f, &m, named(d, subs), planFromPolar)
	return []CustomerMatch{m}, nil
}

// findByOrder reads one order, which embeds its customer and its
// subscription: one request. The plan is the order's subscription's
// while it is live, else what is kept about the customer.
func findByOrder(ctx context.Context, f format, d polar.Desk, id string) ([]CustomerMatch, error) {
	o, err := d.GetOrder(ctx, id)
	if errors.Is(err, polar.ErrOrderNotFound) {
		return []CustomerMatch{}, nil
	}
	if err != nil {
		return nil, err
	}
	if o.Customer == nil || o.Customer.ID != o.CustomerID {
		return nil, errors.New("the order came from Polar without its customer")
	}
	m := match(*o.Customer, byOrderID)
	m.OrderID = o.ID
	if s := o.Subscription; s != nil && liveStatus(s.Status) {
		sub := polar.Subscription{ID: s.ID, Status: s.Status, ProductID: s.ProductID, Amount: s.Amount,
			Currency: s.Currency, RecurringInterval: s.RecurringInterval, IntervalCount: s.IntervalCount, CustomerID: o.CustomerID}
		if o.Product != nil && o.Product.ID == s.ProductID {
			sub.Product = o.Product
		}
		planOf(f, &m, named(d, []polar.Subscription{sub}), planFromPolar)
	} else {
		keptPlan(f, d, &m)
	}
	return []CustomerMatch{m}, nil
}

// liveStatus is a subscription status that bills or will again.
func liveStatus(s string) bool {
	return s == "active" || s == "trialing" || s == "past_due" || s == "paused"
}

// keptPlan names m's plan from the subscriptions the server already
// keeps, if it keeps them; else the plan is left unread.
func keptPlan(f format, d polar.Desk, m *CustomerMatch) {
	subs, ok := d.KeptSubscriptions(m.ID)
	if !ok {
		return
	}
	subs, _ = readable(subs, subUnreadable)
	own := subs[:0:0]
	for _, s := range subs {
		if s.CustomerID == "" || s.CustomerID == m.ID {
			own = append(own, s)
		}
	}
	planOf(f, m, named(d, own), planFromKept)
}

// named gives each subscription without its product the kept product.
func named(d polar.Desk, subs []polar.Subscription) []polar.Subscription {
	for i := range subs {
		if subs[i].Product == nil && subs[i].ProductID != "" {
			if p, ok := d.KeptProduct(subs[i].ProductID); ok {
				subs[i].Product = p
			}
		}
	}
	return subs
}

// planOf sets m's live plan from subs, read from source.
func planOf(f format, m *CustomerMatch, subs []polar.Subscription, source string) {
	m.PlanSource = source
	v := livePlan(subscriptionViews(f, subs, nil))
	if v == nil || !liveStatus(v.Status) && v.Status != "unpaid" && v.Status != "incomplete" {
		return
	}
	m.Status, m.Price = v.Status, v.Price
	for _, s := range subs {
		if s.ID == v.id && s.Product != nil {
			m.Plan = v.Plan
		}
	}
}

// findText is the finder's answer for the model.
func findText(out FindCustomersOutput) string {
	if len(out.Customers) == 0 {
		return noMatchText(out)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d customer(s) match %q, best first:", len(out.Customers), out.query.raw)
	for _, m := range out.Customers {
		who := m.Email
		if m.Name != "" {
			who = m.Name + " <" + m.Email + ">"
		}
		fmt.Fprintf(&b, "\n- %s, %s, %s; customer id %s", who, m.CustomerType, planText(m), m.ID)
		if m.OrderID != "" {
			fmt.Fprintf(&b, " (order %s)", m.OrderID)
		}
	}
	for _, m := range out.Customers {
		if m.PlanSource == "" {
			b.WriteString("\nA plan not read costs no request here: look the customer up (get_visitor_insights) to see it.")
			break
		}
	}
	return b.String()
}

// planText words a match's plan and where it comes from.
func planText(m CustomerMatch) string {
	status := strings.ReplaceAll(m.Status, "_", " ")
	switch {
	case m.PlanSource == "":
		return "plan not read"
	case m.Status == "" && m.activeOnly:
		return "no active or trialing plan (a paused or past-due one shows on lookup)"
	case m.Status == "":
		return "no live plan"
	case m.Plan != "" && m.PlanSource == planFromKept:
		return m.Plan + " (" + status + ", as last read)"
	case m.Plan != "":
		return m.Plan + " (" + status + ")"
	}
	return "a live plan at " + m.Price + " (" + status + ")"
}

// noMatchText says plainly that nothing matched, and what was looked at.
func noMatchText(out FindCustomersOutput) string {
	q := out.query
	s := fmt.Sprintf("No customer matches %q: ", q.raw)
	switch q.by {
	case byCustomerID:
		s += "no customer has that id."
		if len(out.alsoTry) > 0 {
			s += fmt.Sprintf(" If it is an order id, search %q; if it is an external id, %q.", out.alsoTry[0], out.alsoTry[1])
		}
	case byOrderID:
		s += "Polar has no order with that id."
	case byExternalID:
		s += "no customer has that external id."
	default:
		s += "no customer's name, email or external id contains it."
	}
	return s
}
