package main

import (
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// fakeWebhookSecretEnv holds the secret fake-polar signs webhooks with.
const fakeWebhookSecretEnv = "POLAR_MCP_FAKE_WEBHOOK_SECRET"

func newFakePolarCmd() *cobra.Command {
	var (
		listen  string
		dir     string
		latency time.Duration
		rate    int
		scopes  []string
		control bool
		hookURL string
	)
	cmd := &cobra.Command{
		Use:   "fake-polar",
		Short: "Serve the fake Polar API on loopback (demos, benchmarks, integration tests)",
		Long: "Serves the project's fake Polar API, which answers like Polar's published API, from the embedded demo\n" +
			"organization or a fixture directory. Its only valid token is " + fakepolar.DemoToken + ".",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var fsys fs.FS
			if dir != "" {
				fsys = os.DirFS(dir)
			}
			// The embedded demo's dates follow today, as --demo's do.
			opts := fakepolar.Options{Latency: latency, RateLimit: rate, Control: control, DatesFollowClock: dir == ""}
			if hookURL != "" {
				secret := os.Getenv(fakeWebhookSecretEnv)
				if secret == "" {
					return usageErr("--webhook-url needs the secret to sign with in " + fakeWebhookSecretEnv + " (never on the command line)")
				}
				opts.Webhook = fakepolar.Webhook{URL: hookURL, Secret: secret}
			}
			fake, err := fakepolar.WithDemoToken(fsys, opts, scopes)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "fake Polar API on http://%s (token %s)\n", listen, fakepolar.DemoToken)
			return fake.ListenAndServe(cmd.Context(), listen)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:8081", "address to listen on")
	f.StringVar(&dir, "fixtures", "", "fixture directory (default: the embedded demo organization)")
	f.DurationVar(&latency, "latency", 0, "added latency per response")
	f.IntVar(&rate, "rate-limit", 0, "requests per minute per token before 429 (0: none)")
	f.StringSliceVar(&scopes, "scopes", nil, "scopes granted to the token (default: all)")
	f.BoolVar(&control, "control", false, "serve the control surface under /__fake/ (change customers, subscriptions, orders while running)")
	f.StringVar(&hookURL, "webhook-url", "", "send a signed Polar webhook for every change to this URL (secret from "+fakeWebhookSecretEnv+")")
	return cmd
}
