package polar_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
)

func TestPagination(t *testing.T) {
	ctx := context.Background()
	// pages answers page n (from the query) with items named p<n>-a, p<n>-b.
	pages := func(maxPage int) func(int, *http.Request) reply {
		return func(_ int, r *http.Request) reply {
			n, _ := strconv.Atoi(r.URL.Query().Get("page"))
			return ok(page(maxPage,
				fmt.Sprintf(`{"id":"p%d-a","type":"custom","customer_id":%q}`, n, customerID),
				fmt.Sprintf(`{"id":"p%d-b","type":"custom","customer_id":%q}`, n, customerID)))
		}
	}

	t.Run("subscriptions follow every page in order", func(t *testing.T) {
		c, up := newClient(t, pages(3))
		subs, err := c.ListSubscriptions(ctx, polar.ByID(customerID))
		if err != nil {
			t.Fatal(err)
		}
		ids := pluck(subs, func(s polar.Subscription) string { return s.ID })
		if want := []string{"p1-a", "p1-b", "p2-a", "p2-b", "p3-a", "p3-b"}; !slices.Equal(ids, want) {
			t.Errorf("ids = %v, want %v", ids, want)
		}
		for i, h := range up.requests() {
			if got, want := h.Query.Get("page"), strconv.Itoa(i+1); got != want {
				t.Errorf("request %d asked page %s, want %s", i, got, want)
			}
			if got := h.Query.Get("customer_id"); got != customerID {
				t.Errorf("request %d lost the customer filter: %q", i, got)
			}
		}
	})

	t.Run("benefits follow pages", func(t *testing.T) {
		c, up := newClient(t, pages(2))
		benefits, err := c.ListBenefits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(benefits) != 4 || len(up.requests()) != 2 {
			t.Errorf("got %d benefits in %d requests, want 4 in 2", len(benefits), len(up.requests()))
		}
	})

	t.Run("products stop at an empty page", func(t *testing.T) {
		c, up := newClient(t, func(n int, r *http.Request) reply {
			if n == 0 {
				return pages(5)(n, r)
			}
			return ok(page(5))
		})
		products, err := c.ListProducts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(products) != 2 || len(up.requests()) != 2 {
			t.Errorf("got %d products in %d requests, want 2 in 2", len(products), len(up.requests()))
		}
	})

	t.Run("a huge max_page is not followed to the end", func(t *testing.T) {
		c, up := newClient(t, pages(100000))
		products, err := c.ListProducts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n := len(up.requests())
		if n < 2 || n > 100 {
			t.Errorf("followed %d pages of 100000", n)
		}
		if len(products) != 2*n {
			t.Errorf("got %d products from %d pages, want every fetched item", len(products), n)
		}
	})

	t.Run("an error on a later page fails the call", func(t *testing.T) {
		c, _ := newClient(t, func(n int, r *http.Request) reply {
			if n == 1 {
				return reply{status: 500, body: `{}`}
			}
			return pages(3)(n, r)
		})
		if subs, err := c.ListSubscriptions(ctx, polar.ByID(customerID)); err == nil {
			t.Errorf("got %d subscriptions and no error, want the page's error", len(subs))
		}
	})
}
