package fakepolar

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// params reads and validates query parameters the way Polar's FastAPI
// layer does, collecting every error so that one 422 lists them all.
type params struct {
	q    url.Values
	errs []validationError
}

func newParams(q url.Values) *params { return &params{q: q} }

func (p *params) fail(e validationError) { p.errs = append(p.errs, e) }

// strs returns the values of a repeated parameter (nil when absent).
func (p *params) strs(name string) []string { return p.q[name] }

// str returns the first value of a parameter, or "".
func (p *params) str(name string) string { return p.q.Get(name) }

// uuids returns a repeated UUID4 parameter, lower-cased.
func (p *params) uuids(name string) []string {
	vals := p.q[name]
	out := make([]string, 0, len(vals))
	for i, v := range vals {
		loc := []any{"query", name}
		if len(vals) > 1 {
			loc = append(loc, i)
		}
		id, err := parseUUID4(v, loc)
		if err != nil {
			p.fail(*err)
			continue
		}
		out = append(out, id)
	}
	if len(vals) == 0 {
		return nil
	}
	return out
}

// enums returns a repeated enum parameter.
func (p *params) enums(name string, allowed []string) []string {
	vals := p.q[name]
	for i, v := range vals {
		if !contains(allowed, v) {
			loc := []any{"query", name}
			if len(vals) > 1 {
				loc = append(loc, i)
			}
			p.fail(enumError(loc, v, allowed))
		}
	}
	return vals
}

// boolean returns an optional boolean parameter; nil when absent.
func (p *params) boolean(name string) *bool {
	if !p.q.Has(name) {
		return nil
	}
	v := p.q.Get(name)
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on", "t", "y":
		b := true
		return &b
	case "false", "0", "no", "off", "f", "n":
		b := false
		return &b
	}
	p.fail(validationError{
		Loc: []any{"query", name}, Type: "bool_parsing", Input: v,
		Msg: "Input should be a valid boolean, unable to interpret input",
	})
	return nil
}

// positive returns an optional integer parameter that must be > 0 and,
// when max > 0, <= max.
func (p *params) positive(name string, def, max int) int {
	if !p.q.Has(name) {
		return def
	}
	v := p.q.Get(name)
	n, err := strconv.Atoi(strings.TrimSpace(v))
	loc := []any{"query", name}
	switch {
	case err != nil:
		p.fail(validationError{Loc: loc, Type: "int_parsing", Input: v,
			Msg: "Input should be a valid integer, unable to parse string as an integer"})
	case n <= 0:
		p.fail(validationError{Loc: loc, Type: "greater_than", Input: v,
			Msg: "Input should be greater than 0", Ctx: map[string]any{"gt": 0}})
	case max > 0 && n > max:
		p.fail(validationError{Loc: loc, Type: "less_than_equal", Input: v,
			Msg: fmt.Sprintf("Input should be less than or equal to %d", max), Ctx: map[string]any{"le": max}})
	default:
		return n
	}
	return def
}

// page returns the 1-based page and the page size.
func (p *params) page() (page, limit int) {
	return p.positive("page", 1, 0), p.positive("limit", 10, 100)
}

// sorting returns the sort criteria, each a property name optionally
// prefixed by "-"; def when the parameter is absent.
func (p *params) sorting(allowed []string, def ...string) []string {
	vals := p.q["sorting"]
	if len(vals) == 0 {
		return def
	}
	all := make([]string, 0, 2*len(allowed))
	for _, a := range allowed {
		all = append(all, a, "-"+a)
	}
	for i, v := range vals {
		if !contains(all, v) {
			p.fail(enumError([]any{"query", "sorting", i}, v, all))
		}
	}
	return vals
}

func enumError(loc []any, input string, allowed []string) validationError {
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = "'" + a + "'"
	}
	expected := strings.Join(quoted, ", ")
	if n := len(quoted); n > 1 {
		expected = strings.Join(quoted[:n-1], ", ") + " or " + quoted[n-1]
	}
	return validationError{
		Loc: loc, Type: "enum", Input: input,
		Msg: "Input should be " + expected, Ctx: map[string]any{"expected": expected},
	}
}

// parseUUID4 parses a UUID as pydantic's UUID4 does, returning it in
// canonical lower-case form or the validation error Polar answers with.
func parseUUID4(v string, loc []any) (string, *validationError) {
	s := strings.ToLower(strings.TrimPrefix(v, "urn:uuid:"))
	hex := strings.ReplaceAll(s, "-", "")
	fail := func(typ, msg string) *validationError {
		return &validationError{Loc: loc, Type: typ, Input: v, Msg: msg,
			Ctx: map[string]any{"error": strings.TrimPrefix(msg, "Input should be a valid UUID, ")}}
	}
	for i, c := range hex {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return "", fail("uuid_parsing", fmt.Sprintf(
				"Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `%c` at %d", c, i+1))
		}
	}
	if len(hex) != 32 || (len(s) != 32 && !validGroups(s)) {
		return "", fail("uuid_parsing", fmt.Sprintf(
			"Input should be a valid UUID, invalid length: expected length 32 for simple format, found %d", len(hex)))
	}
	if hex[12] != '4' {
		return "", &validationError{Loc: loc, Type: "uuid_version", Input: v,
			Msg: "UUID version 4 expected", Ctx: map[string]any{"expected_version": 4}}
	}
	return hex[0:8] + "-" + hex[8:12] + "-" + hex[12:16] + "-" + hex[16:20] + "-" + hex[20:], nil
}

func validGroups(s string) bool {
	parts := strings.Split(s, "-")
	want := []int{8, 4, 4, 4, 12}
	if len(parts) != len(want) {
		return false
	}
	for i, p := range parts {
		if len(p) != want[i] {
			return false
		}
	}
	return true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
