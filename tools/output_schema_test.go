package tools_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// roles are the identities whose tools/list the schema tests read: an
// agent sees every tool, a customer the customer tools without email.
func roles() map[string]*caller.Identity {
	return map[string]*caller.Identity{"agent": agent(), "customer": customer("alice@example.com")}
}

// TestOutputSchemasDeclareEveryShape walks every output schema each role
// lists: every object declares its properties with their types, every
// array its items' shape, at every depth and through $defs; required
// names declared properties, and every $ref resolves, so a client can
// rely on the shape of what it is given.
func TestOutputSchemasDeclareEveryShape(t *testing.T) {
	for _, readOnly := range []bool{false, true} {
		e := newEnv(t, envOptions{readOnly: readOnly})
		for role, id := range roles() {
			for _, tl := range e.list(t, id) {
				var schema map[string]any
				if err := json.Unmarshal([]byte(jsonString(t, tl.OutputSchema)), &schema); err != nil {
					t.Fatal(err)
				}
				for _, p := range shapeProblems(schema) {
					t.Errorf("%s, %s: outputSchema%s", role, tl.Name, p)
				}
			}
		}
	}
}

// TestShapeCheckCanFail proves the walk rejects what it is for: bare
// objects in arrays (the schemas before issue 22), a bare nested object,
// an array without items, a null type, a dangling $ref, and a required
// name that is not a property.
func TestShapeCheckCanFail(t *testing.T) {
	for _, bad := range []string{
		`{"type":"object","properties":{"orders":{"type":"array","items":{"type":"object"}}}}`,
		`{"type":"object","properties":{"desk":{"type":"object"}}}`,
		`{"type":"object","properties":{"orders":{"type":"array"}}}`,
		`{"type":"object","properties":{"at":{"type":["null","string"]}}}`,
		`{"type":"object","properties":{"m":{"$ref":"#/$defs/Meter"}}}`,
		`{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}`,
		`{"type":"object","$defs":{"M":{"type":"object"}},"properties":{"m":{"$ref":"#/$defs/M"}}}`,
	} {
		var schema map[string]any
		if err := json.Unmarshal([]byte(bad), &schema); err != nil {
			t.Fatal(err)
		}
		if len(shapeProblems(schema)) == 0 {
			t.Errorf("the shape check passed %s", bad)
		}
	}
}

// shapeProblems lists, as paths with what is wrong, every place schema
// leaves a shape undeclared.
func shapeProblems(root map[string]any) []string {
	defs, _ := root["$defs"].(map[string]any)
	var out []string
	var walk func(path string, n map[string]any, seen map[string]bool)
	walk = func(path string, n map[string]any, seen map[string]bool) {
		if ref, ok := n["$ref"].(string); ok {
			name, found := strings.CutPrefix(ref, "#/$defs/")
			def, ok := defs[name].(map[string]any)
			switch {
			case !found || !ok:
				out = append(out, fmt.Sprintf("%s: $ref %q does not resolve", path, ref))
			case !seen[name]:
				walk(path+"→"+name, def, map[string]bool{name: true})
			}
			return
		}
		typ, ok := n["type"].(string)
		if !ok {
			out = append(out, fmt.Sprintf("%s: type %v is not one JSON type", path, n["type"]))
			return
		}
		switch typ {
		case "object":
			props, _ := n["properties"].(map[string]any)
			if len(props) == 0 {
				out = append(out, path+": an object without properties")
			}
			req, _ := n["required"].([]any)
			for _, r := range req {
				if _, ok := props[r.(string)]; !ok {
					out = append(out, fmt.Sprintf("%s: required %q is not a property", path, r))
				}
			}
			for name, p := range props {
				walk(path+"."+name, p.(map[string]any), seen)
			}
		case "array":
			items, ok := n["items"].(map[string]any)
			if !ok {
				out = append(out, path+": an array without items")
				return
			}
			walk(path+"[]", items, seen)
		}
	}
	walk("", root, map[string]bool{})
	return out
}

// TestStructuredContentMatchesListedOutputSchema calls every tool each
// role lists, for every customer and member of the demo organization and
// for an unknown email, and validates each answer's structuredContent
// against the outputSchema tools/list gave the client, with a second,
// independent JSON Schema implementation (the harness checks every call
// with google/jsonschema-go; this one is santhosh-tekuri/jsonschema,
// draft 2020-12, resolving $defs as a client would).
func TestStructuredContentMatchesListedOutputSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("calls every tool for every demo customer")
	}
	emails := append(demoEmails(t), "nobody@example.com")
	e := newEnv(t, envOptions{})
	validated := map[string]int{}
	for role, base := range roles() {
		listed := e.list(t, base)
		schemas := map[string]*jsonschema.Schema{}
		for _, tl := range listed {
			schemas[tl.Name] = compileOutputSchema(t, tl)
		}
		for _, email := range emails {
			id := base
			if role == "customer" {
				id = customer(email)
			}
			for _, tl := range listed {
				res, err := e.tryCall(t, id, tl.Name, demoArgs(tl, role, email))
				if err != nil {
					t.Fatalf("%s %s %s: %v", role, tl.Name, email, err)
				}
				if res.IsError {
					continue
				}
				if res.StructuredContent == nil {
					t.Errorf("%s %s %s: an answer without structuredContent", role, tl.Name, email)
					continue
				}
				var instance any
				if err := json.Unmarshal([]byte(jsonString(t, res.StructuredContent)), &instance); err != nil {
					t.Fatal(err)
				}
				if err := schemas[tl.Name].Validate(instance); err != nil {
					t.Errorf("%s %s %s: structuredContent does not match the listed outputSchema: %v", role, tl.Name, email, err)
				}
				validated[role+" "+tl.Name]++
			}
		}
		for _, tl := range listed {
			if validated[role+" "+tl.Name] == 0 {
				t.Errorf("%s: no answer of %s was validated", role, tl.Name)
			}
		}
	}
	t.Logf("answers validated: %v", validated)
}

// demoArgs are arguments that make tl answer for email: the optional
// ones that widen an answer (invoice links, a manage action) set.
func demoArgs(tl mcp.Tool, role, email string) map[string]any {
	args := map[string]any{}
	switch tl.Name {
	case tools.NameProducts:
		return nil
	case tools.NameFindCustomers:
		return map[string]any{"query": strings.Split(email, "@")[0]}
	case tools.NameOrderHistory:
		args["invoice_links"], args["limit"] = true, 20
	case tools.NameManageSubscription:
		args["action"] = "cancel"
	}
	if role == "agent" {
		args["email"] = email
	}
	return args
}

func compileOutputSchema(t *testing.T, tl mcp.Tool) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(jsonString(t, tl.OutputSchema)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "urn:polar-mcp:" + tl.Name
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("%s: outputSchema does not compile: %v", tl.Name, err)
	}
	return s
}

// demoEmails are the emails of the demo organization's customers and
// team members, read from its fixtures.
func demoEmails(t *testing.T) []string {
	t.Helper()
	var emails []string
	for _, file := range []string{"customers.json", "members.json"} {
		raw, err := fs.ReadFile(fakepolar.DemoFS(), file)
		if err != nil {
			t.Fatal(err)
		}
		var list []struct {
			Email string `json:"email"`
		}
		if err := json.Unmarshal(raw, &list); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, c := range list {
			if c.Email != "" && !slices.Contains(emails, c.Email) {
				emails = append(emails, c.Email)
			}
		}
	}
	if len(emails) < 10 {
		t.Fatalf("only %d demo emails", len(emails))
	}
	return emails
}
