package fakepolar

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// Fixture files repeat objects (a subscription embeds its customer and
// product, an order its customer...). These tests keep the copies in
// agreement, so hand edits cannot make the fake contradict itself.

func loadFixtures(t *testing.T, fsys fs.FS) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for file := range fixtureSchemas() {
		raw, err := fs.ReadFile(fsys, file)
		if errors.Is(err, fs.ErrNotExist) && optionalFixture(file) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if m, ok := v.(map[string]any); ok {
			out[file] = []map[string]any{m}
			continue
		}
		for _, it := range v.([]any) {
			out[file] = append(out[file], it.(map[string]any))
		}
	}
	return out
}

func index(objs []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, o := range objs {
		out[o["id"].(string)] = o
	}
	return out
}

// sameFields reports the keys of embedded whose values differ from full.
func sameFields(embedded, full map[string]any) []string {
	var diff []string
	for k, v := range embedded {
		if !reflect.DeepEqual(v, full[k]) {
			diff = append(diff, k)
		}
	}
	return diff
}

func TestFixturesAreConsistent(t *testing.T) {
	for name, fsys := range map[string]fs.FS{"demo": demoFS(t), "other": otherFS(t)} {
		f := loadFixtures(t, fsys)
		orgID := f["organization.json"][0]["id"]
		customers, products := index(f["customers.json"]), index(f["products.json"])
		benefits, subs := index(f["benefits.json"]), index(f["subscriptions.json"])
		check := func(what string, embedded any, full map[string]any) {
			t.Helper()
			e, _ := embedded.(map[string]any)
			if full == nil || e == nil {
				t.Errorf("%s %s: missing or dangling reference", name, what)
				return
			}
			if d := sameFields(e, full); d != nil {
				t.Errorf("%s %s: differs from the top-level object in %v", name, what, d)
			}
		}
		seen := map[string]string{}
		for file, objs := range f {
			for _, o := range objs {
				id := o["id"].(string)
				if prev, dup := seen[id]; dup {
					t.Errorf("%s: id %s in both %s and %s", name, id, prev, file)
				}
				seen[id] = file
				if oid, ok := o["organization_id"]; ok && oid != orgID {
					t.Errorf("%s %s %s: organization_id %v", name, file, id, oid)
				}
			}
		}
		for _, p := range f["products.json"] {
			for _, b := range p["benefits"].([]any) {
				check("product "+p["name"].(string)+" benefit", b, benefits[b.(map[string]any)["id"].(string)])
			}
		}
		for _, s := range f["subscriptions.json"] {
			what := "subscription " + s["id"].(string)
			check(what+" customer", s["customer"], customers[s["customer_id"].(string)])
			check(what+" product", s["product"], products[s["product_id"].(string)])
		}
		for _, o := range f["orders.json"] {
			what := "order " + o["id"].(string)
			check(what+" customer", o["customer"], customers[o["customer_id"].(string)])
			if pid, ok := o["product_id"].(string); ok {
				check(what+" product", o["product"], products[pid])
			}
			if sid, ok := o["subscription_id"].(string); ok {
				check(what+" subscription", o["subscription"], subs[sid])
			}
			checkOrderAmounts(t, name+" "+what, o)
		}
		for _, g := range f["benefit_grants.json"] {
			what := "grant " + g["id"].(string)
			check(what+" customer", g["customer"], customers[g["customer_id"].(string)])
			check(what+" benefit", g["benefit"], benefits[g["benefit_id"].(string)])
		}
	}
}

func checkOrderAmounts(t *testing.T, what string, o map[string]any) {
	t.Helper()
	n := func(k string) float64 { return o[k].(float64) }
	items := 0.0
	for _, it := range o["items"].([]any) {
		items += it.(map[string]any)["amount"].(float64)
	}
	switch {
	case items != n("subtotal_amount"):
		t.Errorf("%s: items sum to %v, subtotal %v", what, items, n("subtotal_amount"))
	case n("net_amount") != n("subtotal_amount")-n("discount_amount"):
		t.Errorf("%s: net %v != subtotal - discount", what, n("net_amount"))
	case n("total_amount") != n("net_amount")+n("tax_amount"):
		t.Errorf("%s: total %v != net + tax", what, n("total_amount"))
	case n("refunded_amount") > n("net_amount"):
		t.Errorf("%s: refunded more than paid", what)
	case (o["status"] == "refunded") != (n("refunded_amount") == n("net_amount") && n("net_amount") > 0):
		t.Errorf("%s: status %v with refunded_amount %v of %v", what, o["status"], n("refunded_amount"), n("net_amount"))
	}
}

// TestFixturesHoldNoSecrets: license keys appear only masked, and nothing
// looks like a Polar credential.
func TestFixturesHoldNoSecrets(t *testing.T) {
	masked := regexp.MustCompile(`^[A-Z]+-\*{4}-\*{4}-[0-9A-F]{4}$`)
	credential := regexp.MustCompile(`polar_(oat|pat|cst|at_u|whs|at)_|sk_live|sk_test`)
	for name, fsys := range map[string]fs.FS{"demo": demoFS(t), "other": otherFS(t)} {
		f := loadFixtures(t, fsys)
		for file, objs := range f {
			raw, _ := json.Marshal(objs)
			if m := credential.Find(raw); m != nil {
				t.Errorf("%s/%s contains %q", name, file, m)
			}
		}
		for _, g := range f["benefit_grants.json"] {
			props := g["properties"].(map[string]any)
			if g["benefit"].(map[string]any)["type"] != "license_keys" {
				continue
			}
			if dk, _ := props["display_key"].(string); !masked.MatchString(dk) {
				t.Errorf("%s grant %v: display_key %q is not masked", name, g["id"], dk)
			}
			for k := range props {
				if k != "display_key" && k != "license_key_id" {
					t.Errorf("%s grant %v: license key property %q", name, g["id"], k)
				}
			}
		}
	}
}

// TestDemoFixturesCoverTheDocumentedCases checks the cases listed in
// fixtures/demo/README.md that other packages' tests rely on.
func TestDemoFixturesCoverTheDocumentedCases(t *testing.T) {
	f := loadFixtures(t, demoFS(t))
	byEmail := map[string]map[string]any{}
	for _, c := range f["customers.json"] {
		byEmail[strings.ToLower(c["email"].(string))] = c
	}
	subOf := func(email string) map[string]any {
		for _, s := range f["subscriptions.json"] {
			if s["customer_id"] == byEmail[email]["id"] {
				return s
			}
		}
		return nil
	}
	want := map[string]string{
		"alice@example.com":        "active 2400 eur month",
		"bob@example.com":          "active 49000 usd year cancel_at_period_end",
		"carol@example.com":        "paused 2600 usd month",
		"team@acme.example":        "trialing 12000 usd month",
		"dave@example.com":         "past_due 900 usd month",
		"frank.miller@example.com": "active 900 usd month",
	}
	for email, w := range want {
		s := subOf(email)
		if s == nil {
			t.Errorf("%s has no subscription", email)
			continue
		}
		got := fmt.Sprintf("%v %v %v %v", s["status"], s["amount"], s["currency"], s["recurring_interval"])
		if s["cancel_at_period_end"] == true {
			got += " cancel_at_period_end"
		}
		if got != w {
			t.Errorf("%s: %s, want %s", email, got, w)
		}
	}
	if byEmail["frank.miller@example.com"]["email"] != "Frank.Miller@Example.com" {
		t.Error("Frank's email is not stored in mixed case")
	}
	if byEmail["team@acme.example"]["type"] != "team" {
		t.Error("the team customer is not of type team")
	}
	if s := subOf("erin@example.com"); s != nil {
		t.Error("erin has a subscription")
	}
	if s := subOf("carol@example.com"); s["paused_at"] == nil || s["resumes_at"] == nil {
		t.Error("carol's paused subscription lacks paused_at/resumes_at")
	}
	if s := subOf("bob@example.com"); s["ends_at"] == nil {
		t.Error("bob's canceling subscription lacks ends_at")
	}
	if s := subOf("team@acme.example"); s["trial_end"] == nil {
		t.Error("the team trial lacks trial_end")
	}
	amountTypes := map[string]bool{}
	for _, p := range f["products.json"] {
		for _, pr := range p["prices"].([]any) {
			price := pr.(map[string]any)
			amountTypes[price["amount_type"].(string)] = true
			if price["amount_type"] == "fixed" && price["price_amount"].(float64) == 0 {
				amountTypes["free"] = true
			}
		}
		if p["is_archived"] == true {
			amountTypes["archived"] = true
		}
		if p["visibility"] != "public" {
			amountTypes["private"] = true
		}
	}
	for _, k := range []string{"fixed", "custom", "seat_based", "metered_unit", "free", "archived", "private"} {
		if !amountTypes[k] {
			t.Errorf("no product with %s", k)
		}
	}
}
