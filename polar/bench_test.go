package polar_test

import (
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/polar"
)

// BenchmarkDecodeSubscriptionsPage decodes a full page (100) of the demo
// organization's subscriptions, as the adapter decodes every list page.
func BenchmarkDecodeSubscriptionsPage(b *testing.B) {
	raw, err := fs.ReadFile(fakepolar.DemoFS(), "subscriptions.json")
	if err != nil {
		b.Fatal(err)
	}
	var subs []json.RawMessage
	if err := json.Unmarshal(raw, &subs); err != nil {
		b.Fatal(err)
	}
	items := make([]string, 100)
	for i := range items {
		items[i] = string(subs[i%len(subs)])
	}
	body := []byte(page(1, items...))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var p polar.Page[polar.Subscription]
		if err := json.Unmarshal(body, &p); err != nil || len(p.Items) != 100 {
			b.Fatalf("decoded %d items: %v", len(p.Items), err)
		}
	}
}
