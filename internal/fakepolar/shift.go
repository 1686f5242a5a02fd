package fakepolar

import (
	"regexp"
	"strings"
	"time"
)

// Anchor returns the day the embedded fixtures were written for ("today"
// in their data, UTC midnight). With Options.DatesFollowClock the loader
// moves every date of the data by the whole days from Anchor to the
// clock's day.
func Anchor() time.Time { return time.Date(2026, time.November, 25, 0, 0, 0, 0, time.UTC) }

// ShiftDays is the number of whole days (UTC) from Anchor to now's day:
// how far DatesFollowClock moves the fixtures' dates.
func ShiftDays(now time.Time) int {
	y, m, d := now.UTC().Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return int(day.Sub(Anchor()).Round(time.Hour).Hours() / 24)
}

// dateTimeString matches the RFC 3339 date-times Polar writes (the OpenAPI
// document's format: date-time), and only them; group 1 is the fraction.
// It is compiled where dates are shifted, not when the package loads:
// every start of polar-mcp links this package.
const dateTimeString = `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(?:Z|[+-]\d{2}:\d{2})$`

// shiftDates moves every date-time string of d, at any depth (embedded
// customers, products, discounts...), by days whole days: times of day,
// the spacing between dates and their order stay as written.
func (d *dataset) shiftDates(days int) {
	if days == 0 {
		return
	}
	by := time.Duration(days) * 24 * time.Hour
	dateTime := regexp.MustCompile(dateTimeString)
	shiftValue(d.org, by, dateTime)
	for _, list := range [][]object{d.customers, d.subscriptions, d.orders, d.products, d.benefits,
		d.grants, d.licenseKeys, d.meters} {
		for _, o := range list {
			shiftValue(o, by, dateTime)
		}
	}
}

// shiftValue shifts the date-times inside v (an object or a list) in place
// and returns v, or the shifted date-time when v is one (dateTime, the
// compiled dateTimeString, says which strings are).
func shiftValue(v any, by time.Duration, dateTime *regexp.Regexp) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = shiftValue(e, by, dateTime)
		}
	case []any:
		for i, e := range x {
			x[i] = shiftValue(e, by, dateTime)
		}
	case string:
		m := dateTime.FindStringSubmatch(x)
		if m == nil {
			return x
		}
		t, err := time.Parse(time.RFC3339Nano, x)
		if err != nil {
			return x
		}
		// As the fixture wrote it: the same fraction digits, in its offset.
		frac := ""
		if m[1] != "" {
			frac = "." + strings.Repeat("0", len(m[1])-1)
		}
		layout := "2006-01-02T15:04:05" + frac + "Z07:00"
		return t.Add(by).Format(layout)
	}
	return v
}
