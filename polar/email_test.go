package polar_test

import (
	"context"
	"errors"
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
)

func TestFindCustomerByEmail(t *testing.T) {
	customer := func(email string) string {
		if email == "null" {
			return `{"id":"c-null","type":"team","email":null}`
		}
		return `{"id":"c-` + email + `","type":"individual","email":"` + email + `"}`
	}
	tests := []struct {
		name   string
		query  string
		listed []string
		wantID string // empty: ErrCustomerNotFound
	}{
		{"exact", "ada@example.com", []string{"ada@example.com"}, "c-ada@example.com"},
		{"query case and spaces", "  ADA@Example.com\t", []string{"ada@example.com"}, "c-ada@example.com"},
		{"stored case and spaces", "ada@example.com", []string{" Ada@Example.COM "}, "c- Ada@Example.COM "},
		{"picks the match among others", "ada@example.com",
			[]string{"bob@example.com", "ada@example.com"}, "c-ada@example.com"},
		{"no partial matches", "ada@example.com",
			[]string{"ada@example.com.au", "xada@example.com", "ada@example.co"}, ""},
		{"null email never matches", "ada@example.com", []string{"null"}, ""},
		{"empty list", "ada@example.com", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := make([]string, len(tt.listed))
			for i, e := range tt.listed {
				items[i] = customer(e)
			}
			c, _ := newClient(t, always(ok(page(1, items...))))
			got, err := c.FindCustomerByEmail(context.Background(), tt.query)
			if tt.wantID == "" {
				if !errors.Is(err, polar.ErrCustomerNotFound) {
					t.Fatalf("got %v, %v; want ErrCustomerNotFound", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.wantID {
				t.Errorf("found %q, want %q", got.ID, tt.wantID)
			}
		})
	}
}

func TestFindCustomerByEmptyEmailSendsNothing(t *testing.T) {
	c, up := newClient(t, always(ok(page(1, `{"id":"c1","email":""}`))))
	_, err := c.FindCustomerByEmail(context.Background(), "   ")
	if !errors.Is(err, polar.ErrCustomerNotFound) {
		t.Fatalf("err = %v, want ErrCustomerNotFound", err)
	}
	if n := len(up.requests()); n != 0 {
		t.Errorf("sent %d requests for an empty email (it would list every customer)", n)
	}
}
