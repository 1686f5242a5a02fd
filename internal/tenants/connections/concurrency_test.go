package connections

import (
	"context"
	"fmt"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/polar-mcp/polar-mcp/internal/testkit"
)

func TestConcurrentWrites(t *testing.T) {
	testkit.EachBackend(t, func(t *testing.T, b testkit.Backend) {
		ctx := context.Background()
		ring, _ := newRing(t, "k1")
		url := b.NewDB(t)
		// Two stores on one database stand for two processes.
		stores := []*Store{open(t, url, ring), open(t, url, ring)}
		const writers, each = 8, 5

		tokens := make([][]string, writers)
		var g errgroup.Group
		for w := range writers {
			s := stores[w%len(stores)]
			g.Go(func() error {
				for i := range each {
					n := newConn(t, fmt.Sprintf("w%d-%d", w, i))
					c, _, err := s.Create(ctx, n)
					if err != nil {
						return err
					}
					tokens[w] = append(tokens[w], c.ID+" "+n.Token)
					if _, err := s.RotateSecret(ctx, c.ID); err != nil {
						return err
					}
					if _, err := s.UpdateCheck(ctx, c.ID, []string{"orders:read"}, Organization{}); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			t.Fatalf("concurrent write failed: %v", err)
		}

		list, err := stores[0].List(ctx)
		if err != nil || len(list) != writers*each {
			t.Fatalf("List = %d connections, %v; want %d", len(list), err, writers*each)
		}
		for _, ws := range tokens {
			for _, entry := range ws {
				var id, token string
				fmt.Sscan(entry, &id, &token)
				creds, err := stores[1].Credentials(ctx, id)
				if err != nil || creds.Token.Reveal() != token {
					t.Fatalf("Credentials(%s) after concurrent writes: %v", id, err)
				}
			}
		}
	})
}
