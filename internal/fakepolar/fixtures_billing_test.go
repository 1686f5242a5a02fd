package fakepolar

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestLicenseKeyFixturesAreConsistent: each license-key grant points at a
// key of the same customer, benefit and display key; keys stay within their
// limits' bookkeeping and hold only placeholders.
func TestLicenseKeyFixturesAreConsistent(t *testing.T) {
	masked := regexp.MustCompile(`^([A-Z]+)-\*{4}-\*{4}-([0-9A-F]{4})$`)
	for name, fsys := range map[string]fs.FS{"demo": demoFS(t), "other": otherFS(t)} {
		f := loadFixtures(t, fsys)
		keys, customers := index(f["license_keys.json"]), index(f["customers.json"])
		for _, g := range f["benefit_grants.json"] {
			props := g["properties"].(map[string]any)
			if g["benefit"].(map[string]any)["type"] != "license_keys" {
				continue
			}
			k := keys[props["license_key_id"].(string)]
			if k == nil || k["customer_id"] != g["customer_id"] || k["benefit_id"] != g["benefit_id"] ||
				k["display_key"] != props["display_key"] {
				t.Errorf("%s grant %v: no matching license key", name, g["id"])
			}
		}
		for _, k := range f["license_keys.json"] {
			id := k["id"].(string)
			if d := sameFields(k["customer"].(map[string]any), customers[k["customer_id"].(string)]); d != nil {
				t.Errorf("%s key %s: customer differs in %v", name, id, d)
			}
			m := masked.FindStringSubmatch(k["display_key"].(string))
			key := k["key"].(string)
			if m == nil || !strings.HasPrefix(key, m[1]+"-DEMO-FAKE-KEY-NOT-REAL-") || !strings.HasSuffix(key, m[2]) {
				t.Errorf("%s key %s: %q is not a placeholder matching %v", name, id, key, k["display_key"])
			}
			acts := k["activations"].([]any)
			for _, a := range acts {
				if a.(map[string]any)["license_key_id"] != id {
					t.Errorf("%s key %s: activation of another key", name, id)
				}
			}
			if lim, ok := k["limit_activations"].(float64); ok && float64(len(acts)) > lim {
				t.Errorf("%s key %s: %d activations over the limit %v", name, id, len(acts), lim)
			}
			if lim, ok := k["limit_usage"].(float64); ok && k["usage"].(float64) > lim {
				t.Errorf("%s key %s: usage over limit_usage", name, id)
			}
		}
		for _, m := range f["customer_meters.json"] {
			if d := sameFields(m["customer"].(map[string]any), customers[m["customer_id"].(string)]); d != nil {
				t.Errorf("%s customer meter %v: customer differs in %v", name, m["id"], d)
			}
			if m["balance"].(float64) != m["credited_units"].(float64)-m["consumed_units"].(float64) {
				t.Errorf("%s customer meter %v: balance != credited - consumed", name, m["id"])
			}
		}
	}
}

// TestDemoFixturesCoverTheBillingCases checks the hard billing cases listed
// in fixtures/demo/README.md, customer by customer.
func TestDemoFixturesCoverTheBillingCases(t *testing.T) {
	f := loadFixtures(t, demoFS(t))
	of := func(file, email string) []map[string]any {
		var out []map[string]any
		for _, o := range f[file] {
			if c, _ := o["customer"].(map[string]any); c != nil && c["email"] == email {
				out = append(out, o)
			}
		}
		if len(out) == 0 {
			t.Errorf("%s: nothing in %s", email, file)
		}
		return out
	}
	has := func(objs []map[string]any, cond func(map[string]any) bool) bool {
		for _, o := range objs {
			if cond(o) {
				return true
			}
		}
		return false
	}
	const today = "2026-11-25"
	for email, cond := range map[string]func(string) bool{
		"refunds@example.com": func(email string) bool {
			os := of("orders.json", email)
			return has(os, func(o map[string]any) bool {
				return o["status"] == "refunded" && o["refunded_amount"].(float64) > 0 && o["refunded_tax_amount"].(float64) > 0
			}) && has(os, func(o map[string]any) bool { return o["status"] == "partially_refunded" })
		},
		"incomplete@example.com": func(email string) bool {
			return has(of("subscriptions.json", email), func(s map[string]any) bool { return s["status"] == "incomplete" })
		},
		"unpaid@example.com": func(email string) bool {
			return has(of("subscriptions.json", email), func(s map[string]any) bool {
				return s["status"] == "unpaid" && s["current_period_end"].(string) < today
			})
		},
		"switcher@example.com": func(email string) bool {
			subs, live, canceled := of("subscriptions.json", email), "", 0
			for _, s := range subs {
				if s["status"] == "active" {
					live = s["started_at"].(string)
				}
			}
			for _, s := range subs {
				if s["status"] == "canceled" && s["started_at"].(string) > live && live != "" {
					canceled++
				}
			}
			return canceled >= 2
		},
		"metered@example.com": func(email string) bool {
			return has(of("subscriptions.json", email), func(s map[string]any) bool {
				ms, _ := s["meters"].([]any)
				return len(s["prices"].([]any)) == 2 && len(ms) == 1 && ms[0].(map[string]any)["amount"].(float64) > 0
			}) && has(of("orders.json", email), func(o map[string]any) bool { return len(o["items"].([]any)) == 2 }) &&
				len(of("customer_meters.json", email)) == 1
		},
		"pausing@example.com": func(email string) bool {
			return has(of("subscriptions.json", email), func(s map[string]any) bool { return s["pause_at_period_end"] == true })
		},
		"plan.change@example.com": func(email string) bool {
			return has(of("subscriptions.json", email), func(s map[string]any) bool {
				u, _ := s["pending_update"].(map[string]any)
				return u != nil && u["product_id"] != s["product_id"] && u["applies_at"] == s["current_period_end"]
			})
		},
		"ending@example.com": func(email string) bool {
			return has(of("subscriptions.json", email), func(s map[string]any) bool {
				return s["ends_at"] != nil && s["cancel_at_period_end"] == false
			})
		},
		"discount@example.com": func(email string) bool {
			return has(of("subscriptions.json", email), func(s map[string]any) bool {
				d, _ := s["discount"].(map[string]any)
				return d != nil && d["duration"] == "repeating" && d["ends_at"] != nil && s["discount_id"] == d["id"]
			}) && has(of("orders.json", email), func(o map[string]any) bool { return o["discount_amount"].(float64) > 0 })
		},
		"yen@example.com": func(email string) bool {
			return has(of("orders.json", email), func(o map[string]any) bool {
				return o["currency"] == "jpy" && o["is_invoice_generated"] == false && o["status"] == "paid"
			})
		},
		"license.limit@example.com": func(email string) bool {
			return has(of("license_keys.json", email), func(k map[string]any) bool {
				return float64(len(k["activations"].([]any))) == k["limit_activations"] && k["expires_at"] != nil &&
					k["limit_usage"] != nil
			})
		},
	} {
		if !cond(email) {
			t.Errorf("%s does not demonstrate its case", email)
		}
	}
}
