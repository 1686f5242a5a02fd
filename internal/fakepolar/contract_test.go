package fakepolar

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// openAPIURL is the identifier under which the OpenAPI document is loaded.
const openAPIURL = "https://polar.test/openapi-2026-10.json"

// fixtureSchemas maps each fixture file to the component schema of its
// items (organization.json holds a single object).
func fixtureSchemas() map[string]string {
	return map[string]string{
		"organization.json":    "Organization",
		"customers.json":       "Customer",
		"subscriptions.json":   "Subscription",
		"orders.json":          "Order",
		"products.json":        "Product",
		"benefits.json":        "Benefit",
		"benefit_grants.json":  "BenefitGrant",
		"license_keys.json":    "LicenseKeyWithActivations",
		"customer_meters.json": "CustomerMeter",
		"members.json":         "Member",
		"customer_seats.json":  "CustomerSeat",
		"disputes.json":        "Dispute",
	}
}

// contract validates JSON values against Polar's OpenAPI document.
type contract struct {
	compiler *jsonschema.Compiler
	doc      map[string]any
	cache    map[string]*jsonschema.Schema
}

// findOpenAPI returns the path of Polar's OpenAPI document: $POLAR_OPENAPI,
// or shared/polar/openapi-2026-10.json in the nearest ancestor of the
// working directory that has it (the module root's sibling "shared").
func findOpenAPI() (string, bool) {
	if p := os.Getenv("POLAR_OPENAPI"); p != "" {
		_, err := os.Stat(p)
		return p, err == nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		p := filepath.Join(dir, "shared", "polar", "openapi-2026-10.json")
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// loadContract loads the OpenAPI document or skips the test.
func loadContract(t *testing.T) *contract {
	t.Helper()
	path, ok := findOpenAPI()
	if !ok {
		t.Skip("../shared/polar/openapi-2026-10.json not found: contract test skipped (set POLAR_OPENAPI)")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	// Polar's decimal-string patterns use lookaheads, which Go's RE2 lacks.
	c.UseRegexpEngine(ecmaRegexp)
	if err := c.AddResource(openAPIURL, doc); err != nil {
		t.Fatal(err)
	}
	m, _ := doc.(map[string]any)
	return &contract{compiler: c, doc: m, cache: map[string]*jsonschema.Schema{}}
}

// schema compiles the schema at a JSON pointer of the document.
func (c *contract) schema(t *testing.T, pointer string) *jsonschema.Schema {
	t.Helper()
	if s, ok := c.cache[pointer]; ok {
		return s
	}
	s, err := c.compiler.Compile(openAPIURL + "#" + pointer)
	if err != nil {
		t.Fatalf("compile %s: %v", pointer, err)
	}
	c.cache[pointer] = s
	return s
}

// component compiles #/components/schemas/name.
func (c *contract) component(t *testing.T, name string) *jsonschema.Schema {
	return c.schema(t, "/components/schemas/"+name)
}

// response compiles the JSON schema documented for one operation's status,
// and reports false when the operation does not document that status.
func (c *contract) response(t *testing.T, template, method string, status int) (*jsonschema.Schema, bool) {
	t.Helper()
	code := strconv.Itoa(status)
	paths, _ := c.doc["paths"].(map[string]any)
	op, _ := paths[template].(map[string]any)
	verb, _ := op[strings.ToLower(method)].(map[string]any)
	responses, _ := verb["responses"].(map[string]any)
	if _, ok := responses[code]; !ok {
		return nil, false
	}
	esc := strings.NewReplacer("~", "~0", "/", "~1")
	pointer := "/paths/" + esc.Replace(template) + "/" + strings.ToLower(method) +
		"/responses/" + code + "/content/application~1json/schema"
	return c.schema(t, pointer), true
}

// ecmaRegexp compiles JSON Schema (ECMA 262) patterns with regexp2.
func ecmaRegexp(pattern string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(pattern, regexp2.ECMAScript)
	if err != nil {
		return nil, err
	}
	return ecmaRE{re}, nil
}

type ecmaRE struct{ re *regexp2.Regexp }

func (r ecmaRE) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return ok && err == nil
}

func (r ecmaRE) String() string { return r.re.String() }

// validate reports every violation of s by the JSON in raw.
func (c *contract) validate(t *testing.T, s *jsonschema.Schema, what string, raw []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Errorf("%s: not JSON: %v", what, err)
		return
	}
	for _, err := range c.repeatingDiscounts(t, inst) {
		t.Errorf("%s: repeating discount: %v", what, err)
	}
	if err := s.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			t.Errorf("%s does not match %s:\n%v", what, s.Location, ve)
			return
		}
		t.Errorf("%s: %v", what, err)
	}
}

func TestFixturesMatchOpenAPISchemas(t *testing.T) {
	c := loadContract(t)
	for name, fsys := range map[string]fs.FS{"demo": demoFS(t), "other": otherFS(t)} {
		for file, comp := range fixtureSchemas() {
			raw, err := fs.ReadFile(fsys, file)
			if errors.Is(err, fs.ErrNotExist) && name != "demo" && optionalFixture(file) {
				continue
			}
			if err != nil {
				t.Fatalf("%s/%s: %v", name, file, err)
			}
			s := c.component(t, comp)
			if file == "organization.json" {
				c.validate(t, s, name+"/"+file, raw)
				continue
			}
			var items []json.RawMessage
			if err := json.Unmarshal(raw, &items); err != nil {
				t.Fatalf("%s/%s: %v", name, file, err)
			}
			if len(items) == 0 {
				t.Errorf("%s/%s is empty", name, file)
			}
			for i, it := range items {
				c.validate(t, s, name+"/"+file+"["+strconv.Itoa(i)+"]", it)
			}
		}
	}
}

// TestContractCatchesViolations proves the contract test can fail: an
// order without its required customer or with an unknown status, and a
// metered price whose unit_amount is not a decimal, are rejected.
func TestContractCatchesViolations(t *testing.T) {
	c := loadContract(t)
	first := func(file string) map[string]any {
		raw, err := fs.ReadFile(demoFS(t), file)
		if err != nil {
			t.Fatal(err)
		}
		var items []map[string]any
		if err := json.Unmarshal(raw, &items); err != nil {
			t.Fatal(err)
		}
		return items[0]
	}
	for _, tc := range []struct {
		name, schema, file string
		mutate             func(map[string]any)
	}{
		{"missing customer", "Order", "orders.json", func(o map[string]any) { delete(o, "customer") }},
		{"unknown status", "Order", "orders.json", func(o map[string]any) { o["status"] = "settled" }},
		{"string amount", "Order", "orders.json", func(o map[string]any) { o["total_amount"] = "28.80" }},
		{"non-decimal unit_amount", "ProductPriceMeteredUnit", "", func(o map[string]any) {
			o["unit_amount"] = "half a cent"
		}},
	} {
		var obj map[string]any
		if tc.file != "" {
			obj = first(tc.file)
		} else {
			obj = meteredPrice(t)
		}
		// The unmodified object is valid...
		b, _ := json.Marshal(obj)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err := c.component(t, tc.schema).Validate(inst); err != nil {
			t.Fatalf("%s: the unmodified object is invalid: %v", tc.name, err)
		}
		// ...and the modified one is not.
		tc.mutate(obj)
		b, _ = json.Marshal(obj)
		inst, _ = jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err := c.component(t, tc.schema).Validate(inst); err == nil {
			t.Errorf("%s: an invalid %s validated", tc.name, tc.schema)
		}
	}
}

// meteredPrice returns the demo fixtures' metered_unit price.
func meteredPrice(t *testing.T) map[string]any {
	t.Helper()
	raw, err := fs.ReadFile(demoFS(t), "products.json")
	if err != nil {
		t.Fatal(err)
	}
	var products []struct {
		Prices []map[string]any `json:"prices"`
	}
	if err := json.Unmarshal(raw, &products); err != nil {
		t.Fatal(err)
	}
	for _, p := range products {
		for _, pr := range p.Prices {
			if pr["amount_type"] == "metered_unit" {
				return pr
			}
		}
	}
	t.Fatal("no metered_unit price in the demo fixtures")
	return nil
}
