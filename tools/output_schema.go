package tools

import (
	"encoding"
	"encoding/json"
	"log/slog"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"time"
)

// shaper builds the lean output schema of a Go type by reflection: types,
// properties, the fields always present and the items of arrays, at
// every depth; no descriptions, bounds, additionalProperties or null
// types. It builds what google/jsonschema-go's generator (through mcp-go's
// WithOutputSchema) inferred and lean then reduced, without generating
// the full schema at every start (TestOutputMatchesGeneratedSchema keeps
// that path to compare). Fields are named and made optional as the
// generator does (json tags, "-", omitempty and omitzero, embedded
// structs promoted), and a field reached through an embedded pointer
// (InsightsOutput's *SubscriptionView) is absent when the pointer is
// nil, so it is not required. An interface is any value ({}). Values the
// generator cannot represent (functions, channels, complex numbers, maps
// keyed by other than strings) are left out, as it leaves them out.
// names records the Go type of each struct's schema, keyed by its JSON,
// for share.
type shaper struct {
	names map[string]string
	path  map[reflect.Type]bool
	keys  map[uintptr]string // each schema's JSON, by its map's address
	enc   []byte             // where key writes
}

// key is n's JSON; each schema's is written once.
func (s *shaper) key(n map[string]any) string {
	s.enc = s.enc[:0]
	s.appendKey(n)
	return s.keys[reflect.ValueOf(n).Pointer()]
}

// appendKey appends n's JSON to s.enc.
func (s *shaper) appendKey(n map[string]any) map[string]any {
	p := reflect.ValueOf(n).Pointer()
	if k, ok := s.keys[p]; ok {
		s.enc = append(s.enc, k...)
	} else {
		s.keys[p] = encode(&s.enc, n, s.appendKey)
	}
	return n
}

// marshalsToString reports whether typ is one of the standard library
// types the generator declares as strings, for they marshal to strings.
func marshalsToString(typ reflect.Type) bool {
	switch typ {
	case reflect.TypeFor[time.Time](), reflect.TypeFor[slog.Level](),
		reflect.TypeFor[big.Int](), reflect.TypeFor[big.Rat](), reflect.TypeFor[big.Float]():
		return true
	}
	return false
}

// shape is typ's lean schema, or nil when typ has none.
func (s *shaper) shape(typ reflect.Type) map[string]any {
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Name() != "" {
		if s.path[typ] {
			panic("tools: output schema: " + typ.String() + " contains itself") // a programming error
		}
		s.path[typ] = true
		defer delete(s.path, typ)
	}
	if marshalsToString(typ) {
		return map[string]any{"type": "string"}
	}
	switch typ.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Map:
		if typ.Key().Kind() != reflect.String && !typ.Key().Implements(reflect.TypeFor[encoding.TextMarshaler]()) || s.shape(typ.Elem()) == nil {
			return nil
		}
		return map[string]any{"type": "object"}
	case reflect.Slice, reflect.Array:
		items := s.shape(typ.Elem())
		if items == nil {
			return nil
		}
		return map[string]any{"type": "array", "items": items}
	case reflect.Struct:
		return s.object(typ)
	}
	return nil
}

// object is a struct's lean schema. A JSON name that two fields give is
// the shallower one's, as in encoding/json (the later one's at equal
// depth, as the generator keeps it).
func (s *shaper) object(typ reflect.Type) map[string]any {
	obj := map[string]any{"type": "object"}
	fields := reflect.VisibleFields(typ)
	if len(fields) == 0 {
		return obj
	}
	props := map[string]any{}
	winner := map[string]int{}
	schemas := make([]map[string]any, len(fields))
	for i, f := range fields {
		name, _, omit := jsonName(f)
		if omit {
			continue
		}
		if schemas[i] = s.shape(f.Type); schemas[i] == nil {
			continue
		}
		if w, ok := winner[name]; !ok || len(fields[w].Index) >= len(f.Index) {
			winner[name] = i
		}
	}
	var required []string
	for i, f := range fields {
		name, optional, _ := jsonName(f)
		if w, ok := winner[name]; !ok || w != i {
			continue
		}
		props[name] = schemas[i]
		if !optional && !throughPointer(typ, f.Index) {
			required = append(required, name)
		}
	}
	obj["properties"] = props
	if len(required) > 0 {
		obj["required"] = required
	}
	if typ.Name() != "" {
		s.names[s.key(obj)] = strings.TrimSuffix(typ.Name(), "View")
	}
	return obj
}

// jsonName is a struct field's JSON name as the generator reads its json
// tag, whether it is optional (omitempty, omitzero), and whether it is
// left out: unexported, tagged "-", or an embedded field (whose fields
// VisibleFields lists after it).
func jsonName(f reflect.StructField) (name string, optional, omit bool) {
	if !f.IsExported() || f.Anonymous {
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); f.Anonymous && tag != "" {
			panic("tools: output schema: embedded " + f.Name + " has a json name") // the generator would flatten it
		}
		return "", false, true
	}
	tag, ok := f.Tag.Lookup("json")
	name, rest, found := strings.Cut(tag, ",")
	if ok && name == "-" && !found {
		return "", false, true
	}
	if name == "" {
		name = f.Name
	}
	for opt := range strings.SplitSeq(rest, ",") {
		optional = optional || opt == "omitempty" || opt == "omitzero"
	}
	return name, optional, false
}

// throughPointer reports whether the field at index in typ is promoted
// through an embedded pointer.
func throughPointer(typ reflect.Type, index []int) bool {
	for _, i := range index[:len(index)-1] {
		if typ = typ.Field(i).Type; typ.Kind() == reflect.Pointer {
			return true
		}
	}
	return false
}

// share declares once, under $defs, each object shape root uses more
// than once where that makes the schema shorter, largest first, and
// refers to it with $ref. names are the shapes' names (shaper's).
func share(root map[string]any, names map[string]string) map[string]any {
	defs := map[string]any{}
	for {
		counts := map[string]int{}
		eachShape(root, defs, func(n map[string]any, key string) map[string]any {
			counts[key]++
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
		eachShape(root, defs, func(n map[string]any, key string) map[string]any {
			if key != best {
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
// with its JSON, and puts what f returns in its place.
func eachShape(root map[string]any, defs map[string]any, f func(n map[string]any, key string) map[string]any) {
	var buf []byte
	keyOf(&buf, root, f)
	for _, d := range defs {
		buf = buf[:0]
		keyOf(&buf, d.(map[string]any), f)
	}
}

// keyOf appends n's JSON, as json.Marshal writes it, to buf and returns
// it. It calls f on every schema below n, innermost first, with its
// JSON, and puts what f returns in its place; n's JSON is as it was
// before.
func keyOf(buf *[]byte, n map[string]any, f func(n map[string]any, key string) map[string]any) string {
	return encode(buf, n, func(child map[string]any) map[string]any {
		return f(child, keyOf(buf, child, f))
	})
}

// encode appends n's JSON, as json.Marshal writes it, to buf and returns
// it. child appends the JSON of each schema below n and says what to put
// in its place.
func encode(buf *[]byte, n map[string]any, child func(map[string]any) map[string]any) string {
	start := len(*buf)
	*buf = append(*buf, '{')
	written := 0
	// The keys a schema here may have, as json.Marshal orders them.
	for _, k := range [...]string{"$ref", "format", "items", "properties", "required", "type"} {
		v, ok := n[k]
		if !ok {
			continue
		}
		if written++; written > 1 {
			*buf = append(*buf, ',')
		}
		quote(buf, k)
		*buf = append(*buf, ':')
		switch v := v.(type) {
		case string:
			quote(buf, v)
		case []string:
			*buf = append(*buf, '[')
			for i, s := range v {
				if i > 0 {
					*buf = append(*buf, ',')
				}
				quote(buf, s)
			}
			*buf = append(*buf, ']')
		case map[string]any:
			if k == "items" {
				n[k] = child(v)
				continue
			}
			*buf = append(*buf, '{')
			for i, name := range slices.Sorted(maps.Keys(v)) {
				if i > 0 {
					*buf = append(*buf, ',')
				}
				quote(buf, name)
				*buf = append(*buf, ':')
				v[name] = child(v[name].(map[string]any))
			}
			*buf = append(*buf, '}')
		default:
			*buf = append(*buf, jsonKey(v)...)
		}
	}
	if written != len(n) {
		panic("tools: output schema: unexpected keyword in " + jsonKey(n)) // a programming error
	}
	*buf = append(*buf, '}')
	return string((*buf)[start:])
}

// quote appends s as json.Marshal writes it.
func quote(buf *[]byte, s string) {
	for i := range len(s) {
		if c := s[i]; c < ' ' || c > '~' || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			*buf = append(*buf, jsonKey(s)...)
			return
		}
	}
	*buf = append(*buf, '"')
	*buf = append(*buf, s...)
	*buf = append(*buf, '"')
}

func jsonKey(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("tools: output schema: " + err.Error()) // only a programming error gets here
	}
	return string(b)
}
