package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/internal/polarmcp"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// tokenPage is where merchants create organization access tokens.
const tokenPage = "Polar → Settings → General → Developers → New Token"

func newCheckCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Check POLAR_ACCESS_TOKEN with Polar: its environment, organization and scopes, and what to fix",
		Long: "Probe the single merchant's token (POLAR_ACCESS_TOKEN in POLAR_ENVIRONMENT, or at POLAR_SERVER_URL) " +
			"as `connections check` does, with requests that change nothing, and print each scope the tools use.\n" +
			"Exits 0 when the tools can work (optional scopes may be missing), 1 when the token is refused or a " +
			"required scope is missing, 2 for a configuration error.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			if cfg.Demo {
				return usageErr("check probes a real POLAR_ACCESS_TOKEN; --demo has none to check")
			}
			log := slog.New(slog.DiscardHandler)
			adapters, err := polarmcp.NewAdapters(cfg, log)
			if err != nil {
				return err
			}
			env := connections.Environment(cfg.Environment)
			adapter, err := adapters.SDK(env, cfg.AccessToken, adapters.Limiter(env, "", 0))
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			where := string(env)
			if cfg.ServerURL != "" {
				where += " at " + cfg.ServerURL
			}
			fmt.Fprintf(out, "environment:  %s\n", where)
			v, err := tenants.VerifyToken(cmd.Context(), adapter, env)
			var missing *tenants.MissingScopesError
			if err != nil && !errors.As(err, &missing) {
				fmt.Fprintln(out, "token:        refused or not checked")
				return err
			}
			printVerdict(out, v)
			if missing != nil {
				return fmt.Errorf("required scope(s) missing: %s. Fix: in %s create a new token (the scopes of an "+
					"existing one cannot be edited) with %s, and set it as POLAR_ACCESS_TOKEN",
					strings.Join(missing.Scopes, ", "), tokenPage, strings.Join(wantedScopes(), ", "))
			}
			if len(v.Warnings) > 0 {
				fmt.Fprintln(out, "result:       the tools work; optional scopes are missing (see above)")
				return nil
			}
			fmt.Fprintln(out, "result:       every scope the tools use works")
			return nil
		},
	}
}

// printVerdict writes the organization and one line per scope.
func printVerdict(w io.Writer, v tenants.Verdict) {
	fmt.Fprintf(w, "organization: %s\n", tenants.OrgText(v.Organization))
	for _, s := range wantedScopes() {
		optional := slices.Contains(tenants.OptionalScopes(), s)
		switch {
		case slices.Contains(v.Scopes, s):
			fmt.Fprintf(w, "  ok       %s\n", s)
		case optional:
			fmt.Fprintf(w, "  missing  %s (optional)\n", s)
		default:
			fmt.Fprintf(w, "  MISSING  %s (required)\n", s)
		}
	}
	if v.Organization.ID != "" && v.Organization.Name == "" {
		fmt.Fprintln(w, "  note     organizations:read is not granted: optional, it only names the organization")
	}
	for _, warning := range v.Warnings {
		fmt.Fprintln(w, "warning:", warning)
	}
}

// wantedScopes are the scopes check reports: the required ones, then the
// optional license_keys:read.
func wantedScopes() []string {
	out := tenants.RequiredScopes()
	for _, s := range tenants.OptionalScopes() {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
