package tenants_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/polar"
)

// A connection's own rate limit paces its adapter from its next request,
// with the request refused before it is sent once the budget is spent.
func TestAConnectionsOwnRateLimitPacesIt(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		r := newRouted(t, b.NewDB(t), 0)
		ctx := context.Background()
		spend := func() (sent, refused int) {
			_, client, err := r.router.Resolve(ctx, r.a)
			if err != nil {
				t.Fatal(err)
			}
			for range 5 {
				_, err := client.ListSubscriptions(ctx, polar.ByID(randomUUID(t)))
				if pe, ok := polar.AsError(err); ok && pe.Kind == polar.KindRateLimited {
					refused++
				} else {
					sent++
				}
			}
			return sent, refused
		}
		if sent, refused := spend(); refused != 0 || sent != 5 {
			t.Fatalf("with the server's budget: %d sent, %d refused", sent, refused)
		}
		builds := r.builds.Load()
		if _, err := r.svc.SetRateLimit(ctx, r.a, 2); err != nil { // 2/min less 10%: 1 a minute
			t.Fatal(err)
		}
		if sent, refused := spend(); sent != 1 || refused != 4 {
			t.Errorf("with its own budget of 2/min: %d sent, %d refused; want 1 and 4", sent, refused)
		}
		if r.builds.Load() == builds {
			t.Error("the adapter was not built again with the new budget")
		}
	})
}

func randomUUID(t *testing.T) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
