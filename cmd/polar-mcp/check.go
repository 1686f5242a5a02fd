package main

import (
	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/internal/polarmcp"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
)

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
			adapter, env, err := polarmcp.MerchantAdapter(cfg)
			if err != nil {
				return err
			}
			where := string(env)
			if cfg.ServerURL != "" {
				where += " at " + cfg.ServerURL
			}
			v, err := tenants.VerifyToken(cmd.Context(), adapter, env)
			return tenants.ReportCheck(cmd.OutOrStdout(), where, v, err)
		},
	}
}
