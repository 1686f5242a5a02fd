package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/polar-mcp/polar-mcp/config"
)

// loadConfig reads the configuration (see readConfig) and validates it.
func loadConfig(cmd *cobra.Command) (config.Config, error) {
	cfg, where, err := readConfigFrom(cmd)
	if err != nil {
		return cfg, err
	}
	return cfg, nameSources(cfg.Validate(), where)
}

// readConfig is readConfigFrom without where each setting came from.
func readConfig(cmd *cobra.Command) (config.Config, error) {
	cfg, _, err := readConfigFrom(cmd)
	return cfg, err
}

// readConfig reads flags, then environment, then the config file, in that
// order of precedence, into a config.Config, without validating it. Every
// value is parsed strictly: a setting that does not parse, an unknown key
// in the config file or an unreadable secret file is an error wrapping
// config.ErrInvalid that names the setting, never a silent default.
// where maps a setting's environment variable to the place its value
// came from when that is not the variable itself (a flag, a config file
// key, a _FILE variable).
func readConfigFrom(cmd *cobra.Command) (config.Config, map[string]string, error) {
	var cfg config.Config
	where := map[string]string{}
	file, path, err := readConfigFile(cmd)
	if err != nil {
		return cfg, where, err
	}
	src := sources{flags: cmd.Flags(), getenv: os.Getenv, file: file, path: path}
	var errs []string
	for _, s := range settings() {
		v, ok, err := src.lookup(s)
		if ok && v.where != s.env {
			where[s.env] = v.where
		}
		if err == nil && ok {
			err = v.assign(s, s.field(&cfg))
		}
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	cfg.Demo, _ = cmd.Flags().GetBool("demo")
	if len(errs) > 0 {
		return cfg, where, fmt.Errorf("%w: %s", config.ErrInvalid, strings.Join(errs, "; "))
	}
	return cfg, where, nil
}

// nameSources rewrites a validation error to name each setting where it
// was set (a config file's key, a flag) instead of its environment
// variable.
func nameSources(err error, where map[string]string) error {
	if err == nil || len(where) == 0 {
		return err
	}
	msg := strings.TrimPrefix(err.Error(), config.ErrInvalid.Error())
	for env, w := range where {
		msg = regexp.MustCompile(`\b`+regexp.QuoteMeta(env)+`\b`).ReplaceAllLiteralString(msg, w)
	}
	return fmt.Errorf("%w%s", config.ErrInvalid, msg)
}

// sources are the places a setting is read from, highest precedence first.
type sources struct {
	flags  *pflag.FlagSet
	getenv func(string) string
	file   *viper.Viper // nil: no config file
	path   string       // the config file's path
}

// lookup returns s's value from the first source that sets it.
func (src sources) lookup(s setting) (value, bool, error) {
	if name := flagName(s); name != "" {
		if f := src.flags.Lookup(name); f != nil && f.Changed {
			if sv, ok := f.Value.(pflag.SliceValue); ok {
				return value{list: sv.GetSlice(), isList: true, where: "--" + name}, true, nil
			}
			return value{text: f.Value.String(), where: "--" + name}, true, nil
		}
	}
	plain := value{text: src.getenv(s.env), where: s.env}
	viaFile := value{text: src.getenv(s.env + "_FILE"), where: s.env + "_FILE"}
	if v, ok, err := pick(s, plain, viaFile); ok || err != nil {
		return v, ok, err
	}
	if src.file == nil {
		return value{}, false, nil
	}
	plain, err := src.fileValue(s.key)
	if err != nil {
		return value{}, false, err
	}
	viaFile = value{}
	if s.opts.has(fromFile) {
		if viaFile, err = src.fileValue(s.key + "_file"); err != nil {
			return value{}, false, err
		}
	}
	return pick(s, plain, viaFile)
}

// pick chooses between a setting's value and the file naming it, given by
// the same source: one of them, not both. An empty value is unset.
func pick(s setting, plain, viaFile value) (value, bool, error) {
	hasPlain := plain.text != "" || len(plain.list) > 0
	hasFile := s.opts.has(fromFile) && viaFile.text != ""
	switch {
	case hasPlain && hasFile:
		return value{}, false, fmt.Errorf("set %s or %s, not both", plain.where, viaFile.where)
	case hasFile:
		text, err := readSecretFile(viaFile.where, viaFile.text)
		return value{text: text, where: viaFile.where, secret: true}, err == nil, err
	case hasPlain:
		plain.secret = s.opts.has(secret) || s.opts.has(fromFile)
		return plain, true, nil
	}
	return value{}, false, nil
}

// maxSecretFile bounds a secret file: anything larger is the wrong file.
const maxSecretFile = 64 << 10

// readSecretFile reads the secret in the file at path, for the setting
// named where, dropping trailing newlines. Errors never include the
// file's content.
func readSecretFile(where, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s: cannot read the file: %v", where, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("%s: cannot read file %q: %v", where, path, err)
	case len(b) > maxSecretFile:
		return "", fmt.Errorf("%s: file %q is larger than %d KiB: not a secret file", where, path, maxSecretFile>>10)
	}
	text := strings.TrimRight(string(b), "\r\n")
	if strings.TrimSpace(text) == "" {
		return "", fmt.Errorf("%s: file %q is empty", where, path)
	}
	return text, nil
}

// readConfigFile reads the config file given with --config, or the first
// one findConfigFile finds, refusing unknown keys. It returns nil when
// there is none.
func readConfigFile(cmd *cobra.Command) (*viper.Viper, string, error) {
	file, _ := cmd.Flags().GetString("config")
	if file == "" {
		file = findConfigFile()
	}
	if file == "" {
		return nil, "", nil
	}
	if st, err := os.Stat(file); err == nil && st.IsDir() {
		return nil, "", fmt.Errorf("%w: config file %s is a directory: name the YAML file, such as %s",
			config.ErrInvalid, file, filepath.Join(file, "polar-mcp.yaml"))
	}
	if ext := filepath.Ext(file); ext != ".yaml" && ext != ".yml" {
		return nil, "", fmt.Errorf("%w: config file %s: a config file is YAML, named *.yaml or *.yml", config.ErrInvalid, file)
	}
	v := viper.New()
	v.SetConfigFile(file)
	if err := v.ReadInConfig(); err != nil {
		return nil, "", fmt.Errorf("%w: reading config file %s: %v", config.ErrInvalid, file, err)
	}
	if err := unknownKeys(v.AllKeys(), settings()); err != nil {
		return nil, "", fmt.Errorf("%w: config file %s: %v", config.ErrInvalid, file, err)
	}
	return v, file, nil
}

// findConfigFile returns the first polar-mcp.yaml (or .yml) in the working
// directory or $HOME/.config/polar-mcp, or "". Only these exact names are
// read: a file merely named polar-mcp (the binary itself) never is.
func findConfigFile() string {
	dirs := []string{"."}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".config", "polar-mcp"))
	}
	for _, dir := range dirs {
		for _, name := range []string{"polar-mcp.yaml", "polar-mcp.yml"} {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p
			}
		}
	}
	return ""
}
