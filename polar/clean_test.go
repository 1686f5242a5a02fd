package polar_test

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/polar-mcp/polar-mcp/polar"
)

// TestUpstreamDetailIsCleaned: Polar's 422 detail (or a proxy's) may
// carry control, bidi and zero-width characters; none reach the *Error.
func TestUpstreamDetailIsCleaned(t *testing.T) {
	detail := "Input\u200b should\u202e be\x1b[31m a valid\u2066 UUID\u00ad\nnow\U000E0041"
	body := `{"detail":[{"loc":["query","customer_id"],"msg":"` + strings.ReplaceAll(detail, "\x1b", `\u001b`) +
		`","type":"uuid_parsing"}]}`
	body = strings.ReplaceAll(body, "\n", `\n`)
	c, _ := newClient(t, always(reply{status: 422, body: body}))
	_, err := c.ListOrders(context.Background(), polar.ByID(customerID), 10)
	pe, ok := polar.AsError(err)
	if !ok || pe.Kind != polar.KindInvalid {
		t.Fatalf("err = %v, want KindInvalid", err)
	}
	for _, s := range []string{pe.Detail, err.Error()} {
		for _, r := range s {
			if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) {
				t.Errorf("%q carries %U", s, r)
			}
		}
	}
	if pe.Detail != "Input should be ［31m a valid UUID now" {
		t.Errorf("Detail = %q", pe.Detail)
	}
}
