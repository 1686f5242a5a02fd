package tools

import (
	"encoding/json"
	"reflect"
	"strings"
)

// lean reduces schema, generated for typ, to what clients rely on: types,
// properties, the fields always present and the items of arrays, at every
// depth. A field reached through an embedded pointer (InsightsOutput's
// *SubscriptionView) is absent when the pointer is nil, so it is not
// required whatever the generator says. names records the Go type of
// each struct's schema, keyed by its JSON, for share.
func lean(schema map[string]any, typ reflect.Type, names map[string]string) {
	for k := range schema {
		switch k {
		case "type", "format", "properties", "required", "items":
		default:
			delete(schema, k)
		}
	}
	if t, ok := schema["type"].([]any); ok && len(t) == 2 && t[0] == "null" {
		schema["type"] = t[1]
	}
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if items, ok := schema["items"].(map[string]any); ok {
		lean(items, typ.Elem(), names)
	}
	props, _ := schema["properties"].(map[string]any)
	if props == nil {
		return
	}
	fields := jsonFields(typ, false, map[string]field{})
	var required []string
	for _, r := range stringsOf(schema["required"]) {
		if f, ok := fields[r]; ok && !f.optional {
			required = append(required, r)
		}
	}
	if delete(schema, "required"); len(required) > 0 {
		schema["required"] = required
	}
	for name, p := range props {
		f, ok := fields[name]
		if !ok {
			panic("tools: output schema property " + name + " has no field in " + typ.String()) // a programming error
		}
		lean(p.(map[string]any), f.typ, names)
	}
	if typ.Name() != "" {
		names[jsonKey(schema)] = strings.TrimSuffix(typ.Name(), "View")
	}
}

// field is one JSON field of a struct: its Go type, and whether it is
// reached through an embedded pointer.
type field struct {
	typ      reflect.Type
	optional bool
}

// jsonFields adds typ's JSON fields to into, as encoding/json names
// them: a field of an embedded struct is promoted unless a shallower one
// has its name.
func jsonFields(typ reflect.Type, optional bool, into map[string]field) map[string]field {
	var embedded []reflect.StructField
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "":
			embedded = append(embedded, f)
		case f.IsExported():
			if name == "" {
				name = f.Name
			}
			into[name] = field{f.Type, optional}
		}
	}
	for _, f := range embedded {
		t, opt := f.Type, optional
		if t.Kind() == reflect.Pointer {
			t, opt = t.Elem(), true
		}
		if t.Kind() != reflect.Struct {
			continue
		}
		for name, sub := range jsonFields(t, opt, map[string]field{}) {
			if _, shadowed := into[name]; !shadowed {
				into[name] = sub
			}
		}
	}
	return into
}

// share declares once, under $defs, each object shape root uses more
// than once where that makes the schema shorter, largest first, and
// refers to it with $ref. names are the shapes' names (lean's).
func share(root map[string]any, names map[string]string) map[string]any {
	defs := map[string]any{}
	for {
		counts := map[string]int{}
		eachShape(root, defs, func(n map[string]any) map[string]any {
			counts[jsonKey(n)]++
			return n
		})
		best := ""
		for k, c := range counts {
			name := names[k]
			ref := len(`{"$ref":"#/$defs/` + name + `"}`)
			saves := (c-1)*len(k) - c*ref - len(`"":,`+name)
			if _, taken := defs[name]; name == "" || taken || saves <= 0 {
				continue
			}
			if len(k) > len(best) || len(k) == len(best) && k < best {
				best = k
			}
		}
		if best == "" {
			break
		}
		name := names[best]
		ref := map[string]any{"$ref": "#/$defs/" + name}
		eachShape(root, defs, func(n map[string]any) map[string]any {
			if jsonKey(n) != best {
				return n
			}
			defs[name] = n
			return ref
		})
	}
	if len(defs) == 0 {
		return nil
	}
	return defs
}

// eachShape calls f on every schema below root and below each of defs,
// outermost first, and puts what f returns in its place.
func eachShape(root map[string]any, defs map[string]any, f func(map[string]any) map[string]any) {
	var walk func(n map[string]any)
	walk = func(n map[string]any) {
		if props, ok := n["properties"].(map[string]any); ok {
			for name, p := range props {
				child := f(p.(map[string]any))
				props[name] = child
				walk(child)
			}
		}
		if items, ok := n["items"].(map[string]any); ok {
			child := f(items)
			n["items"] = child
			walk(child)
		}
	}
	walk(root)
	for _, d := range defs {
		walk(d.(map[string]any))
	}
}

func jsonKey(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("tools: output schema: " + err.Error()) // only a programming error gets here
	}
	return string(b)
}

func stringsOf(v any) []string {
	switch v := v.(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, s := range v {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
