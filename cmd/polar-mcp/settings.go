package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/polar-mcp/polar-mcp/config"
)

// addConfigFlags declares the persistent flags every command shares
// (config.Settings with a flag). Boolean flags accept the same spellings
// as the environment (config.ParseBool).
func addConfigFlags(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.String("config", "", "config file (default: ./polar-mcp.yaml, then $HOME/.config/polar-mcp/polar-mcp.yaml)")
	addBoolFlag(f, "demo", "serve the embedded demo organization: no token, no network")
	for _, s := range config.Settings() {
		switch {
		case s.Flag == "":
		case s.IsBool():
			addBoolFlag(f, s.Flag, s.Usage)
		default:
			f.String(s.Flag, "", s.Usage)
		}
	}
}

// loadConfig reads the configuration (see readConfig) and validates it.
func loadConfig(cmd *cobra.Command) (config.Config, error) {
	cfg, where, err := readConfigFrom(cmd)
	if err != nil {
		return cfg, err
	}
	return cfg, config.NameSources(cfg.Validate(), where)
}

// readConfig is readConfigFrom without where each setting came from.
func readConfig(cmd *cobra.Command) (config.Config, error) {
	cfg, _, err := readConfigFrom(cmd)
	return cfg, err
}

// readConfigFrom reads flags, then environment, then the config file, in
// that order of precedence, into a config.Config, without validating it
// (config.Read). An unknown key in the config file is an error too.
func readConfigFrom(cmd *cobra.Command) (config.Config, map[string]string, error) {
	file, path, err := readConfigFile(cmd)
	if err != nil {
		return config.Config{}, map[string]string{}, err
	}
	flags := cmd.Flags()
	src := config.Sources{Getenv: os.Getenv, Path: path, Flag: func(name string) (config.Value, bool) {
		f := flags.Lookup(name)
		if f == nil || !f.Changed {
			return config.Value{}, false
		}
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			return config.Value{List: sv.GetSlice(), IsList: true, Where: "--" + name}, true
		}
		return config.Value{Text: f.Value.String(), Where: "--" + name}, true
	}}
	if file != nil {
		src.File = file.Get
	}
	cfg, where, err := config.Read(src)
	cfg.Demo, _ = flags.GetBool("demo")
	return cfg, where, err
}

// readConfigFile reads the config file given with --config, or the first
// one config.FindFile finds, refusing unknown keys. It returns nil when
// there is none.
func readConfigFile(cmd *cobra.Command) (*viper.Viper, string, error) {
	file, _ := cmd.Flags().GetString("config")
	if file == "" {
		file = config.FindFile()
	}
	if file == "" {
		return nil, "", nil
	}
	if err := config.CheckFile(file); err != nil {
		return nil, "", err
	}
	v := viper.New()
	v.SetConfigFile(file)
	if err := v.ReadInConfig(); err != nil {
		return nil, "", fmt.Errorf("%w: reading config file %s: %v", config.ErrInvalid, file, err)
	}
	if err := config.UnknownKeys(v.AllKeys()); err != nil {
		return nil, "", fmt.Errorf("%w: config file %s: %v", config.ErrInvalid, file, err)
	}
	return v, file, nil
}

// boolFlag is a boolean flag parsed by config.ParseBool. Its type is
// "bool", so pflag's GetBool reads it and --flag alone means true.
type boolFlag bool

func (b *boolFlag) String() string { return strconv.FormatBool(bool(*b)) }
func (b *boolFlag) Type() string   { return "bool" }

// Set implements pflag.Value.
func (b *boolFlag) Set(s string) error {
	v, err := config.ParseBool(s)
	if err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "is "))
	}
	*b = boolFlag(v)
	return nil
}

// addBoolFlag declares a boolean flag parsed by config.ParseBool.
func addBoolFlag(f *pflag.FlagSet, name, usage string) {
	f.Var(new(boolFlag), name, usage)
	f.Lookup(name).NoOptDefVal = "true"
}

// cliLogger is the configured logger for a one-shot CLI command (text
// unless POLAR_MCP_LOG_FORMAT says otherwise), at quiet when
// POLAR_MCP_LOG_LEVEL is unset: such commands print their answer, not the
// server's logs.
func cliLogger(cfg config.Config, w io.Writer, quiet slog.Level) *slog.Logger {
	if cfg.LogLevel == "" {
		cfg.LogLevel = quiet.String()
	}
	return cfg.NewLogger(w, config.LogText)
}
