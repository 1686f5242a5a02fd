package config

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Sources are the places settings are read from, highest precedence
// first: flags, the environment, the config file.
type Sources struct {
	// Flag is the value of the flag named name when it was set on the
	// command line.
	Flag func(name string) (Value, bool)
	// Getenv reads the environment.
	Getenv func(string) string
	// File is a config file key's value as the YAML decoder gave it (nil
	// when absent); File is nil without a config file, at Path.
	File func(key string) any
	Path string
}

// Read reads every setting from src into a Config, without validating
// it. Every value is parsed strictly: a setting that does not parse or an
// unreadable secret file is an error wrapping ErrInvalid that names the
// setting, never a silent default. where maps a setting's environment
// variable to the place its value came from when that is not the
// variable itself (a flag, a config file key, a _FILE variable), for
// NameSources.
func Read(src Sources) (cfg Config, where map[string]string, err error) {
	where = map[string]string{}
	var errs []string
	for _, s := range Settings() {
		v, ok, err := src.lookup(s)
		if ok && v.Where != s.Env {
			where[s.Env] = v.Where
		}
		if err == nil && ok {
			err = v.assign(s, s.Field(&cfg))
		}
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return cfg, where, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(errs, "; "))
	}
	return cfg, where, nil
}

// NameSources rewrites a validation error to name each setting where it
// was set (a config file's key, a flag) instead of its environment
// variable.
func NameSources(err error, where map[string]string) error {
	if err == nil || len(where) == 0 {
		return err
	}
	msg := strings.TrimPrefix(err.Error(), ErrInvalid.Error())
	for env, w := range where {
		msg = regexp.MustCompile(`\b`+regexp.QuoteMeta(env)+`\b`).ReplaceAllLiteralString(msg, w)
	}
	return fmt.Errorf("%w%s", ErrInvalid, msg)
}

// lookup returns s's value from the first source that sets it.
func (src Sources) lookup(s Setting) (Value, bool, error) {
	if name := s.FlagName(); name != "" && src.Flag != nil {
		if v, ok := src.Flag(name); ok {
			return v, true, nil
		}
	}
	plain := Value{Text: src.Getenv(s.Env), Where: s.Env}
	viaFile := Value{Text: src.Getenv(s.Env + "_FILE"), Where: s.Env + "_FILE"}
	if v, ok, err := pick(s, plain, viaFile); ok || err != nil {
		return v, ok, err
	}
	if src.File == nil {
		return Value{}, false, nil
	}
	plain, err := fileValue(src.File(s.Key), src.Path+": "+s.Key)
	if err != nil {
		return Value{}, false, err
	}
	viaFile = Value{}
	if s.Opts.Has(FromFile) {
		if viaFile, err = fileValue(src.File(s.Key+"_file"), src.Path+": "+s.Key+"_file"); err != nil {
			return Value{}, false, err
		}
	}
	return pick(s, plain, viaFile)
}

// pick chooses between a setting's value and the file naming it, given by
// the same source: one of them, not both. An empty value is unset.
func pick(s Setting, plain, viaFile Value) (Value, bool, error) {
	hasPlain := plain.Text != "" || len(plain.List) > 0
	hasFile := s.Opts.Has(FromFile) && viaFile.Text != ""
	switch {
	case hasPlain && hasFile:
		return Value{}, false, fmt.Errorf("set %s or %s, not both", plain.Where, viaFile.Where)
	case hasFile:
		text, err := readSecretFile(viaFile.Where, viaFile.Text)
		return Value{Text: text, Where: viaFile.Where, secret: true}, err == nil, err
	case hasPlain:
		plain.secret = s.Opts.Has(Secret) || s.Opts.Has(FromFile)
		return plain, true, nil
	}
	return Value{}, false, nil
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

// CheckFile refuses a config file path that cannot be one: a directory,
// or a name that is not *.yaml or *.yml.
func CheckFile(file string) error {
	if st, err := os.Stat(file); err == nil && st.IsDir() {
		return fmt.Errorf("%w: config file %s is a directory: name the YAML file, such as %s",
			ErrInvalid, file, filepath.Join(file, "polar-mcp.yaml"))
	}
	if ext := filepath.Ext(file); ext != ".yaml" && ext != ".yml" {
		return fmt.Errorf("%w: config file %s: a config file is YAML, named *.yaml or *.yml", ErrInvalid, file)
	}
	return nil
}

// FindFile returns the first polar-mcp.yaml (or .yml) in the working
// directory or $HOME/.config/polar-mcp, or "". Only these exact names are
// read: a file merely named polar-mcp (the binary itself) never is.
func FindFile() string {
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
