package polar_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
)

// syncBuffer is a log sink safe for the client's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logTo sends the client's logs to buf.
func logTo(buf *syncBuffer) func(*polar.Config) {
	return func(c *polar.Config) { c.Logger = slog.New(slog.NewTextHandler(buf, nil)) }
}

func wantDecodeError(t *testing.T, err error) {
	t.Helper()
	pe, ok := polar.AsError(err)
	if !ok || pe.Kind != polar.KindDecode || pe.Status != http.StatusOK {
		t.Fatalf("err = %v, want KindDecode (HTTP 200)", err)
	}
}

// TestWrongShapeIsADecodeError: a 2xx body without the promised shape is
// a decode error, never an empty answer or "no such customer".
func TestWrongShapeIsADecodeError(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(polar.Client) error{
		"customers": func(c polar.Client) error { _, err := c.FindCustomerByEmail(ctx, "ada@example.com"); return err },
		"subscriptions": func(c polar.Client) error {
			_, err := c.ListSubscriptions(ctx, polar.ByID(customerID))
			return err
		},
		"orders":   func(c polar.Client) error { _, err := c.ListOrders(ctx, polar.ByID(customerID), 10); return err },
		"products": func(c polar.Client) error { _, err := c.ListProducts(ctx); return err },
		"benefits": func(c polar.Client) error { _, err := c.ListBenefits(ctx); return err },
		"state":    func(c polar.Client) error { _, err := c.CustomerState(ctx, polar.ByID(customerID)); return err },
		"session":  func(c polar.Client) error { _, err := c.CreateCustomerSession(ctx, polar.ByID(customerID)); return err },
	}
	for _, body := range []string{`{}`, `null`, `[]`, `[{"id":"x"}]`, `{"items":[]}`, `{"pagination":{"max_page":1}}`,
		`{"items":{},"pagination":{"max_page":1}}`, `"ok"`} {
		for name, call := range calls {
			t.Run(name+" "+body, func(t *testing.T) {
				var logs syncBuffer
				c, _ := newClient(t, always(ok(body)), logTo(&logs))
				err := call(c)
				if errors.Is(err, polar.ErrCustomerNotFound) {
					t.Fatalf("a broken answer became %v", err)
				}
				wantDecodeError(t, err)
				if !strings.Contains(logs.String(), "could not be decoded") {
					t.Errorf("no log line for the broken answer: %s", logs.String())
				}
			})
		}
	}
}

// TestUndecodableItemsAreSkipped: an item reusing a known field name with
// another JSON type is kept by id only, marked Unreadable, and logged; the
// rest of the list stands.
func TestUndecodableItemsAreSkipped(t *testing.T) {
	ctx := context.Background()

	t.Run("unit_amount as a number", func(t *testing.T) {
		body := mutated(t, "products_list.json", func(d map[string]any) {
			item(item(d, "items", 2), "prices", 0)["unit_amount"] = 0.5
		})
		var logs syncBuffer
		c, _ := newClient(t, always(ok(body)), logTo(&logs))
		products, err := c.ListProducts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := pluck(products, func(p polar.Product) string { return p.Name }); strings.Join(got, ",") != "Pro,Team,,Tip jar" {
			t.Errorf("products = %v, want all, the undecodable one without its name", got)
		}
		if !products[2].Unreadable || products[2].ID == "" || products[0].Unreadable {
			t.Errorf("undecodable product not marked by id: %+v", products[2])
		}
		if l := logs.String(); !strings.Contains(l, "operation=products:list") || !strings.Contains(l, "skipped=1") {
			t.Errorf("log does not name the operation and the count: %s", l)
		}
	})

	t.Run("price amount as a string", func(t *testing.T) {
		body := mutated(t, "subscriptions_list.json", func(d map[string]any) {
			item(d, "items", 0)["amount"] = "19.00"
		})
		c, _ := newClient(t, always(ok(body)))
		subs, err := c.ListSubscriptions(ctx, polar.ByID(customerID))
		if err != nil || len(subs) != 3 || !subs[0].Unreadable || subs[0].Customer == nil || subs[0].CustomerID != customerID || subs[1].Status != "paused" {
			t.Fatalf("got %+v, err %v; want the undecodable one by id and customer, then the paused and trialing ones", subs, err)
		}
	})

	t.Run("null and empty items", func(t *testing.T) {
		body := mutated(t, "orders_list.json", func(d map[string]any) {
			d["items"] = append(d["items"].([]any), nil, map[string]any{})
		})
		c, _ := newClient(t, always(ok(body)))
		orders, err := c.ListOrders(ctx, polar.ByID(customerID), 10)
		if err != nil || len(orders) != 4 {
			t.Fatalf("got %d orders, err %v; want the 4 real ones", len(orders), err)
		}
	})

	t.Run("a page of undecodable items does not end the list", func(t *testing.T) {
		bad := `{"id":"p1","name":"Odd","prices":[{"id":"x","amount_type":"fixed","price_amount":"19"}]}`
		good := `{"id":"p2","name":"Fine","prices":[]}`
		c, up := newClient(t, func(n int, _ *http.Request) reply {
			if n == 0 {
				return ok(page(2, bad))
			}
			return ok(page(2, good))
		})
		products, err := c.ListProducts(ctx)
		if err != nil || len(products) != 2 || !products[0].Unreadable || products[1].Name != "Fine" || len(up.requests()) != 2 {
			t.Fatalf("products %+v, err %v, %d requests", products, err, len(up.requests()))
		}
	})

	t.Run("grant files holding objects", func(t *testing.T) {
		body := mutated(t, "customer_state.json", func(d map[string]any) {
			g := item(d, "granted_benefits", 1)
			g["benefit_type"] = "downloadables"
			g["properties"] = map[string]any{"files": []any{map[string]any{"id": "f1", "name": "book.pdf"}}}
		})
		var logs syncBuffer
		c, _ := newClient(t, always(ok(body)), logTo(&logs))
		state, err := c.CustomerState(ctx, polar.ByID(customerID))
		if err != nil {
			t.Fatal(err)
		}
		if len(state.GrantedBenefits) != 3 || !state.GrantedBenefits[1].Unreadable || state.Skipped != 1 || len(state.ActiveSubscriptions) == 0 || state.ID == "" {
			t.Errorf("state kept %d grants, skipped %d; want 3 (one unreadable) and 1, with the rest intact", len(state.GrantedBenefits), state.Skipped)
		}
		if !strings.Contains(logs.String(), "operation=customers:get_state") {
			t.Errorf("no log line for the skipped grant: %s", logs.String())
		}
	})

	t.Run("the customer itself undecodable", func(t *testing.T) {
		body := mutated(t, "customer_state.json", func(d map[string]any) { d["email"] = 42 })
		var logs syncBuffer
		c, _ := newClient(t, always(ok(body)), logTo(&logs))
		_, err := c.CustomerState(ctx, polar.ByID(customerID))
		wantDecodeError(t, err)
		if !strings.Contains(logs.String(), "could not be decoded") {
			t.Errorf("no log line: %s", logs.String())
		}
	})
}
