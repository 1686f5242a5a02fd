package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/polar-mcp/polar-mcp/config"
)

// settings maps each configuration key to its environment variable and,
// where it is safe to pass on a command line, its flag. The access token
// has no flag: argv is visible to every user of the machine.
var settings = []struct {
	key, env, flag, usage string
	boolean               bool
}{
	{"access_token", "POLAR_ACCESS_TOKEN", "", "", false},
	{"environment", "POLAR_ENVIRONMENT", "environment", "Polar environment: production or sandbox", false},
	{"server_url", "POLAR_SERVER_URL", "server-url", "override the Polar API URL (tests, proxies)", false},
	{"api_version", "POLAR_API_VERSION", "api-version", "Polar-Version header (default " + config.DefaultAPIVersion + ")", false},
	{"customer_email", "POLAR_MCP_CUSTOMER_EMAIL", "customer-email", "on stdio, act as this verified customer", false},
	{"role", "POLAR_MCP_ROLE", "role", "on stdio: customer or agent", false},
	{"read_only", "POLAR_MCP_READ_ONLY", "read-only", "remove the tools that create portal sessions", true},
}

// addConfigFlags declares the persistent flags every command shares.
func addConfigFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String("config", "", "config file (default: ./polar-mcp.yaml, then $HOME/.config/polar-mcp/polar-mcp.yaml)")
	f.Bool("demo", false, "serve the embedded demo organization: no token, no network")
	for _, s := range settings {
		switch {
		case s.flag == "":
		case s.boolean:
			f.Bool(s.flag, false, s.usage)
		default:
			f.String(s.flag, "", s.usage)
		}
	}
}

// loadConfig reads flags, then environment, then the config file, in that
// order of precedence, into a validated config.Config.
func loadConfig(cmd *cobra.Command) (config.Config, error) {
	v := viper.New()
	for _, s := range settings {
		if err := v.BindEnv(s.key, s.env); err != nil {
			return config.Config{}, err
		}
		if s.flag != "" {
			if err := v.BindPFlag(s.key, cmd.Flags().Lookup(s.flag)); err != nil {
				return config.Config{}, err
			}
		}
	}
	file, _ := cmd.Flags().GetString("config")
	if file != "" {
		v.SetConfigFile(file)
	} else {
		v.SetConfigName("polar-mcp")
		v.SetConfigType("yaml")
		v.AddConfigPath(".")
		v.AddConfigPath("$HOME/.config/polar-mcp")
	}
	if err := v.ReadInConfig(); err != nil {
		var notFound viper.ConfigFileNotFoundError
		if file != "" || !errors.As(err, &notFound) {
			return config.Config{}, fmt.Errorf("%w: reading config file: %v", config.ErrInvalid, err)
		}
	}
	demo, _ := cmd.Flags().GetBool("demo")
	cfg := config.Config{
		AccessToken:   strings.TrimSpace(v.GetString("access_token")),
		Environment:   v.GetString("environment"),
		ServerURL:     v.GetString("server_url"),
		APIVersion:    v.GetString("api_version"),
		CustomerEmail: v.GetString("customer_email"),
		Role:          v.GetString("role"),
		ReadOnly:      v.GetBool("read_only"),
		Demo:          demo,
	}
	return cfg, cfg.Validate()
}
