package polarmcp

import (
	"log/slog"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/fleet"
)

// demoServerURL is where demo requests claim to go; they never leave the
// process.
const demoServerURL = "http://demo.polar.invalid"

// NewAdapters is the builder of every Polar adapter cfg (validated)
// describes (fleet.Adapters); with --demo the single merchant is the
// embedded fake Polar API's organization, served in memory (no network
// at all).
func NewAdapters(cfg config.Config, log *slog.Logger) (*fleet.Adapters, error) {
	var demo *fleet.Upstream
	if cfg.Demo {
		// The demo's dates follow today: fixtures written for
		// fakepolar.Anchor move by whole days to the clock's day.
		fake, err := fakepolar.Demo(fakepolar.Options{DatesFollowClock: true})
		if err != nil {
			return nil, err
		}
		demo = &fleet.Upstream{Token: fakepolar.DemoToken, ServerURL: demoServerURL, Client: fakepolar.InMemory(fake)}
	}
	return fleet.NewAdapters(cfg, log, demo), nil
}
