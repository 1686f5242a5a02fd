package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Value is a setting's raw value and where it came from.
type Value struct {
	Text   string
	List   []string // a list from a flag or the config file (IsList)
	IsList bool
	Where  string // the env var, --flag, or "file: key"
	secret bool   // never shown in a message
}

// show is the value for a message: quoted, or hidden for secrets.
func (v Value) show() string {
	if v.secret {
		return "(value not shown)"
	}
	return strconv.Quote(v.Text)
}

// assign parses v into field, a pointer to s's Config field.
func (v Value) assign(s Setting, field any) error {
	if v.IsList {
		if p, ok := field.(*[]string); ok {
			*p = origins(v.List)
			return nil
		}
		return fmt.Errorf("%s must be a single value, not a list", v.Where)
	}
	text := strings.TrimSpace(v.Text)
	var n float64 // the parsed number, for the positive check
	switch p := field.(type) {
	case *string:
		*p = v.Text
		return nil
	case *[]string:
		*p = origins([]string{v.Text})
		return nil
	case *bool:
		b, err := ParseBool(text)
		if err != nil {
			return fmt.Errorf("%s: %s %v", v.Where, v.show(), err)
		}
		*p = b
		return nil
	case *int:
		i, err := strconv.Atoi(text)
		if err != nil {
			return fmt.Errorf("%s: %s is not a whole number", v.Where, v.show())
		}
		*p, n = i, float64(i)
	case *float64:
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%s: %s is not a number, e.g. 0.1", v.Where, v.show())
		}
		*p, n = f, f
	case *time.Duration:
		d, err := time.ParseDuration(text)
		if err != nil {
			return fmt.Errorf("%s: %s is not a duration, e.g. 30s, 10m or 24h", v.Where, v.show())
		}
		*p, n = d, float64(d)
	default:
		return fmt.Errorf("%s: unsupported setting type %T", v.Where, field)
	}
	if s.Opts.Has(Positive) && n <= 0 {
		return fmt.Errorf("%s: %s must be greater than 0", v.Where, v.show())
	}
	return nil
}

// fileValue is a config file key's value (raw, as the YAML decoder gave
// it; where names it); unset when absent or null. YAML scalars (yes, 10,
// 0.5, true) become their text, parsed like the environment's.
func fileValue(raw any, where string) (Value, error) {
	v := Value{Where: where}
	switch x := raw.(type) {
	case nil:
	case string:
		v.Text = x
	case float64:
		v.Text = strconv.FormatFloat(x, 'g', -1, 64)
	case []any:
		v.IsList = true
		for _, item := range x {
			switch item.(type) {
			case map[string]any, []any:
				return v, fmt.Errorf("%s must be a list of plain values", v.Where)
			}
			v.List = append(v.List, fmt.Sprint(item))
		}
	case map[string]any:
		return v, fmt.Errorf("%s must be a value, not a section", v.Where)
	default: // bool, integers
		v.Text = fmt.Sprint(x)
	}
	return v, nil
}

// ParseBool accepts true/false, 1/0, yes/no and on/off, in any case: the
// spellings of every boolean setting, from any source.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("is not a boolean: use true/false, 1/0, yes/no or on/off")
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
