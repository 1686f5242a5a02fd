package tools

import (
	"fmt"

	"github.com/polar-mcp/polar-mcp/polar"
)

// readable drops the items Polar sent in a shape polar-mcp cannot decode
// (kept by the adapter by id only, so identity checks still saw them)
// and returns how many it dropped.
func readable[T any](items []T, unreadable func(*T) bool) ([]T, int) {
	kept := make([]T, 0, len(items))
	for i := range items {
		if !unreadable(&items[i]) {
			kept = append(kept, items[i])
		}
	}
	return kept, len(items) - len(kept)
}

// unreadableNote tells the reader that n items could not be shown, ""
// when n is 0.
func unreadableNote(n int, one, many string) string {
	switch {
	case n == 0:
		return ""
	case n == 1:
		return fmt.Sprintf("\n1 %s could not be shown: Polar sent a shape polar-mcp does not know yet.", one)
	}
	return fmt.Sprintf("\n%d %s could not be shown: Polar sent a shape polar-mcp does not know yet.", n, many)
}

func subUnreadable(s *polar.Subscription) bool   { return s.Unreadable }
func orderUnreadable(o *polar.Order) bool        { return o.Unreadable }
func productUnreadable(p *polar.Product) bool    { return p.Unreadable }
func benefitUnreadable(b *polar.Benefit) bool    { return b.Unreadable }
func grantUnreadable(g *polar.BenefitGrant) bool { return g.Unreadable }
