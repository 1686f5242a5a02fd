package polar_test

import (
	"testing"

	"github.com/polar-mcp/polar-mcp/polar"
)

func TestRateBudget(t *testing.T) {
	tests := []struct {
		name string
		cfg  polar.Config
		want int
	}{
		{"production", polar.Config{}, 450},
		{"sandbox", polar.Config{Environment: "Sandbox"}, 90},
		{"custom server URL", polar.Config{Environment: "sandbox", ServerURL: "http://localhost:1"}, 450},
		{"own limit", polar.Config{RequestsPerMinute: 1000}, 900},
		{"own headroom", polar.Config{Environment: "sandbox", Headroom: 0.5}, 50},
		{"no headroom", polar.Config{Headroom: -1}, 500},
		{"no limiting", polar.Config{RequestsPerMinute: -1}, 0},
	}
	for _, tt := range tests {
		if got := polar.RateBudget(tt.cfg); got != tt.want {
			t.Errorf("%s: RateBudget = %d, want %d", tt.name, got, tt.want)
		}
	}
	if _, err := polar.New(polar.Config{AccessToken: testToken, Headroom: 1}); err == nil {
		t.Error("New accepted a headroom of 1, which leaves no budget")
	}
}
