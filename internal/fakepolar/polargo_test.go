package fakepolar

import (
	"context"
	"testing"

	polargo "github.com/polarsource/polar-go"
	"github.com/polarsource/polar-go/models/operations"
)

// TestPolarGoClient proves polar-go (the SDK polar-mcp uses) reaches the
// fake with its own URL joining and bearer authentication.
func TestPolarGoClient(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	client := polargo.New(polargo.WithServerURL(hs.URL), polargo.WithSecurity(DemoToken))
	email := "alice@example.com"
	res, err := client.Customers.List(context.Background(), operations.CustomersListRequest{Email: &email})
	if err != nil {
		t.Fatal(err)
	}
	list := res.GetListResourceCustomer()
	if list == nil || len(list.Items) != 1 || list.Pagination.TotalCount != 1 {
		t.Fatalf("polar-go list: %+v", list)
	}
	if got := list.Items[0].Email; got != email {
		t.Errorf("customer email %q, want %q", got, email)
	}

	bad := polargo.New(polargo.WithServerURL(hs.URL), polargo.WithSecurity("polar_oat_wrong"))
	if _, err := bad.Customers.List(context.Background(), operations.CustomersListRequest{Email: &email}); err == nil {
		t.Error("polar-go with a wrong token: no error")
	}
}
