package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// value is a setting's raw value and where it came from.
type value struct {
	text   string
	list   []string // a list from a flag or the config file (isList)
	isList bool
	where  string // the env var, --flag, or "file: key"
	secret bool   // never shown in a message
}

// show is the value for a message: quoted, or hidden for secrets.
func (v value) show() string {
	if v.secret {
		return "(value not shown)"
	}
	return strconv.Quote(v.text)
}

// assign parses v into field, a pointer to s's config.Config field.
func (v value) assign(s setting, field any) error {
	if v.isList {
		if p, ok := field.(*[]string); ok {
			*p = origins(v.list)
			return nil
		}
		return fmt.Errorf("%s must be a single value, not a list", v.where)
	}
	text := strings.TrimSpace(v.text)
	var n float64 // the parsed number, for the positive check
	switch p := field.(type) {
	case *string:
		*p = v.text
		return nil
	case *[]string:
		*p = origins([]string{v.text})
		return nil
	case *bool:
		b, err := parseBool(text)
		if err != nil {
			return fmt.Errorf("%s: %s %v", v.where, v.show(), err)
		}
		*p = b
		return nil
	case *int:
		i, err := strconv.Atoi(text)
		if err != nil {
			return fmt.Errorf("%s: %s is not a whole number", v.where, v.show())
		}
		*p, n = i, float64(i)
	case *float64:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%s: %s is not a number, e.g. 0.1", v.where, v.show())
		}
		*p, n = f, f
	case *time.Duration:
		d, err := time.ParseDuration(text)
		if err != nil {
			return fmt.Errorf("%s: %s is not a duration, e.g. 30s, 10m or 24h", v.where, v.show())
		}
		*p, n = d, float64(d)
	default:
		return fmt.Errorf("%s: unsupported setting type %T", v.where, field)
	}
	if s.opts.has(positive) && n <= 0 {
		return fmt.Errorf("%s: %s must be greater than 0", v.where, v.show())
	}
	return nil
}

// fileValue is key's value in the config file; unset when absent or null.
// YAML scalars (yes, 10, 0.5, true) become their text, parsed like the
// environment's.
func (src sources) fileValue(key string) (value, error) {
	v := value{where: src.path + ": " + key}
	switch x := src.file.Get(key).(type) {
	case nil:
	case string:
		v.text = x
	case float64:
		v.text = strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		v.isList = true
		for _, item := range x {
			switch item.(type) {
			case map[string]any, []any:
				return v, fmt.Errorf("%s must be a list of plain values", v.where)
			}
			v.list = append(v.list, fmt.Sprint(item))
		}
	case map[string]any:
		return v, fmt.Errorf("%s must be a value, not a section", v.where)
	default: // bool, integers
		v.text = fmt.Sprint(x)
	}
	return v, nil
}

// parseBool accepts true/false, 1/0, yes/no and on/off, in any case.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("is not a boolean: use true/false, 1/0, yes/no or on/off")
}

// boolFlag is a boolean flag parsed by parseBool. Its type is "bool", so
// pflag's GetBool reads it and --flag alone means true.
type boolFlag bool

func (b *boolFlag) String() string { return strconv.FormatBool(bool(*b)) }
func (b *boolFlag) Type() string   { return "bool" }

// Set implements pflag.Value.
func (b *boolFlag) Set(s string) error {
	v, err := parseBool(s)
	if err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "is "))
	}
	*b = boolFlag(v)
	return nil
}

// addBoolFlag declares a boolean flag parsed by parseBool.
func addBoolFlag(f *pflag.FlagSet, name, usage string) {
	f.Var(new(boolFlag), name, usage)
	f.Lookup(name).NoOptDefVal = "true"
}

// origins splits comma-separated origins and drops empty ones.
func origins(in []string) []string {
	var out []string
	for _, s := range in {
		for _, o := range strings.Split(s, ",") {
			if o = strings.TrimSpace(o); o != "" {
				out = append(out, o)
			}
		}
	}
	return out
}
