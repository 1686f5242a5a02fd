package fakepolar

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// repeatingDiscounts works around a defect of Polar's 2026-10 document. The
// `discount` of a Subscription or Order is a oneOf of four Discount*Base
// schemas without a discriminator, and a repeating discount (duration
// "repeating" with duration_in_months) also matches the OnceForever schema
// of its type, which does not forbid the extra field: under JSON Schema's
// oneOf no repeating discount Polar sends can validate. Each repeating
// discount in inst is therefore checked against its own Repeat schema alone
// and replaced by null, so the rest of the object is validated as usual;
// the violations found in the discounts are returned.
func (c *contract) repeatingDiscounts(t *testing.T, inst any) []error {
	t.Helper()
	var errs []error
	switch v := inst.(type) {
	case []any:
		for _, it := range v {
			errs = append(errs, c.repeatingDiscounts(t, it)...)
		}
	case map[string]any:
		for k, it := range v {
			d, ok := it.(map[string]any)
			if k == "discount" && ok && d["duration"] == "repeating" {
				comp := "DiscountPercentageRepeatDurationBase"
				if d["type"] == "fixed" {
					comp = "DiscountFixedRepeatDurationBase"
				}
				if err := c.component(t, comp).Validate(d); err != nil {
					errs = append(errs, err)
				}
				v[k] = nil
				continue
			}
			errs = append(errs, c.repeatingDiscounts(t, it)...)
		}
	}
	return errs
}

// TestRepeatingDiscountWorkaround proves the work-around both exists for a
// reason and still fails on a broken discount.
func TestRepeatingDiscountWorkaround(t *testing.T) {
	c := loadContract(t)
	var sub map[string]any
	for _, s := range loadFixtures(t, demoFS(t))["subscriptions.json"] {
		if d, _ := s["discount"].(map[string]any); d != nil && d["duration"] == "repeating" {
			sub = s
		}
	}
	if sub == nil {
		t.Fatal("no subscription with a repeating discount in the demo fixtures")
	}
	asInstance := func(v any) any {
		b, _ := json.Marshal(v)
		inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		return inst
	}
	// The defect: strict oneOf rejects the untouched subscription.
	if err := c.component(t, "Subscription").Validate(asInstance(sub)); err == nil {
		t.Error("the document now accepts a repeating discount: drop the work-around")
	}
	// A repeating discount without duration_in_months is still caught.
	broken := asInstance(sub).(map[string]any)
	delete(broken["discount"].(map[string]any), "duration_in_months")
	if errs := c.repeatingDiscounts(t, broken); len(errs) == 0 {
		t.Error("a repeating discount without duration_in_months passed")
	}
}
