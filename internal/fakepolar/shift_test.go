package fakepolar

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"testing"
	"time"
)

// clocks are days the demo may be run on: before its anchor, on it (first
// and last second), the day the issue saw it in the past, and years on.
func clocks() []time.Time {
	a := Anchor()
	return []time.Time{
		a.AddDate(0, 0, -30).Add(9 * time.Hour),
		a, a.Add(24*time.Hour - time.Second),
		time.Date(2026, time.December, 7, 15, 4, 5, 0, time.UTC),
		a.AddDate(0, 0, 400).Add(13 * time.Hour),
		a.AddDate(10, 2, 3).Add(23*time.Hour + 59*time.Minute),
	}
}

// With DatesFollowClock the fixtures read the same relative to any
// clock: no active or trialing plan has a past period end, trial end or
// end, no paused plan resumes in the past, and each date keeps its
// spacing from the others.
func TestDemoDatesFollowTheClock(t *testing.T) {
	for name, fsys := range map[string]fs.FS{"demo": demoFS(t), "other": otherFS(t)} {
		asWritten, err := loadDataset(fsys)
		if err != nil {
			t.Fatal(err)
		}
		for _, now := range clocks() {
			s, err := New(fsys, Options{Now: func() time.Time { return now }, DatesFollowClock: true})
			if err != nil {
				t.Fatal(err)
			}
			shift := time.Duration(ShiftDays(now)) * 24 * time.Hour
			checked := 0
			for i, sub := range s.data.subscriptions {
				what := fmt.Sprintf("%s on %s: subscription %s (%s)", name, now.Format(time.RFC3339), str(sub, "id"), str(sub, "status"))
				for _, f := range []string{"created_at", "current_period_start", "current_period_end", "trial_end", "ends_at", "canceled_at", "resumes_at"} {
					was, ok := timestamp(asWritten.subscriptions[i], f)
					got, _ := timestamp(sub, f)
					if ok && !got.Equal(was.Add(shift)) {
						t.Errorf("%s: %s %v, want %v moved by %v", what, f, got, was, shift)
					}
				}
				past := func(field string) {
					if at, ok := timestamp(sub, field); ok && at.Before(now) {
						t.Errorf("%s: %s %s is in the past", what, field, at.Format(time.RFC3339))
					}
				}
				switch str(sub, "status") {
				case "active", "trialing":
					checked++
					past("current_period_end")
					past("ends_at")
					if str(sub, "status") == "trialing" {
						past("trial_end")
					}
				}
				if _, paused := timestamp(sub, "paused_at"); paused {
					past("resumes_at")
				}
			}
			if checked == 0 && name == "demo" {
				t.Fatalf("%s: no active or trialing subscription checked", name)
			}
		}
	}
}

// ShiftDays counts whole UTC days from the anchor, whatever the clock's
// zone and time of day.
func TestShiftDays(t *testing.T) {
	a := Anchor()
	for _, tc := range []struct {
		now  time.Time
		want int
	}{
		{a, 0}, {a.Add(23 * time.Hour), 0}, {a.Add(-time.Second), -1}, {a.AddDate(0, 0, 12), 12},
		{time.Date(2026, 11, 26, 0, 30, 0, 0, time.FixedZone("CET", 3600)), 0}, // 25 Nov 23:30 UTC
		{time.Date(2026, 11, 26, 1, 0, 0, 0, time.FixedZone("CET", 3600)), 1},  // 26 Nov 00:00 UTC
		{a.AddDate(1, 0, 0), 365},
	} {
		if got := ShiftDays(tc.now); got != tc.want {
			t.Errorf("ShiftDays(%v) = %d, want %d", tc.now, got, tc.want)
		}
	}
}

// The moved fixtures still match Polar's published schemas.
func TestShiftedFixturesMatchOpenAPISchemas(t *testing.T) {
	c := loadContract(t)
	now := Anchor().AddDate(0, 0, 400)
	for name, fsys := range map[string]fs.FS{"demo": demoFS(t), "other": otherFS(t)} {
		s, err := New(fsys, Options{Now: func() time.Time { return now }, DatesFollowClock: true})
		if err != nil {
			t.Fatal(err)
		}
		d := s.data
		lists := map[string][]object{"customers.json": d.customers, "subscriptions.json": d.subscriptions,
			"orders.json": d.orders, "products.json": d.products, "benefits.json": d.benefits,
			"benefit_grants.json": d.grants, "license_keys.json": d.licenseKeys, "customer_meters.json": d.meters,
			"organization.json": {d.org}}
		for file, comp := range fixtureSchemas() {
			schema := c.component(t, comp)
			for i, o := range lists[file] {
				raw, err := json.Marshal(o)
				if err != nil {
					t.Fatal(err)
				}
				c.validate(t, schema, fmt.Sprintf("%s/%s[%d] moved to %s", name, file, i, now.Format(time.DateOnly)), raw)
			}
		}
	}
}
