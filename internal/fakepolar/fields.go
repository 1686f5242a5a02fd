package fakepolar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// check validates one patched field value (decoded with json.Number).
type check func(v any) error

func nonEmptyString(v any) error {
	if s, ok := v.(string); !ok || strings.TrimSpace(s) == "" {
		return fmt.Errorf("must be a non-empty string")
	}
	return nil
}

func nullableString(v any) error {
	if _, ok := v.(string); !ok && v != nil {
		return fmt.Errorf("must be a string or null")
	}
	return nil
}

func isBool(v any) error {
	if _, ok := v.(bool); !ok {
		return fmt.Errorf("must be true or false")
	}
	return nil
}

func nonNegativeInt(v any) error {
	n, ok := v.(json.Number)
	if i, err := n.Int64(); !ok || err != nil || i < 0 {
		return fmt.Errorf("must be a non-negative integer")
	}
	return nil
}

func nullable(c check) check {
	return func(v any) error {
		if v == nil {
			return nil
		}
		if err := c(v); err != nil {
			return fmt.Errorf("%w (or null)", err)
		}
		return nil
	}
}

func dateTime(v any) error {
	s, _ := v.(string)
	if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
		return fmt.Errorf("must be an RFC 3339 date-time")
	}
	return nil
}

func oneOf(values ...string) check {
	return func(v any) error {
		s, _ := v.(string)
		if !contains(values, s) {
			return fmt.Errorf("must be one of %s", strings.Join(values, ", "))
		}
		return nil
	}
}

func uuid4(v any) error {
	s, _ := v.(string)
	if _, verr := parseUUID4(s, nil); verr != nil || !strings.EqualFold(strings.ToLower(s), s) {
		return fmt.Errorf("must be a lower-case version 4 UUID")
	}
	return nil
}

// metadataValue accepts Polar's MetadataOutputType: an object of string,
// integer, number or boolean values.
func metadataValue(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("must be an object")
	}
	for k, x := range m {
		switch x.(type) {
		case string, json.Number, bool:
		default:
			return fmt.Errorf("value of %q must be a string, number or boolean", k)
		}
	}
	return nil
}

// normalize turns a caller's map into the fake's representation (a deep
// copy, numbers as json.Number), refusing what JSON cannot hold.
func normalize(in map[string]any) (object, error) {
	raw, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("%w: not JSON: %v", ErrInvalid, err)
	}
	var out object
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil || out == nil {
		return nil, fmt.Errorf("%w: must be a JSON object", ErrInvalid)
	}
	return out, nil
}

// checkFields validates every key of patch against fields, refusing keys
// it does not list.
func checkFields(kind string, patch object, fields map[string]check) error {
	keys := make([]string, 0, len(patch))
	for k := range patch {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c, ok := fields[k]
		if !ok {
			allowed := make([]string, 0, len(fields))
			for f := range fields {
				allowed = append(allowed, f)
			}
			sort.Strings(allowed)
			return fmt.Errorf("%w: %s field %q cannot be set (settable: %s)", ErrInvalid, kind, k,
				strings.Join(allowed, ", "))
		}
		if err := c(patch[k]); err != nil {
			return fmt.Errorf("%w: %s.%s %v", ErrInvalid, kind, k, err)
		}
	}
	return nil
}

// deepCopy returns an independent copy of o.
func deepCopy(o object) object {
	out, err := normalize(o)
	if err != nil {
		return nil
	}
	return out
}

// jsonInt is n as the fake stores numbers.
func jsonInt(n int) json.Number { return json.Number(fmt.Sprint(n)) }
