package tools

import "time"

// day formats a timestamp as a date customers read the same way
// everywhere ("15 Dec 2026"). The zero time and nil give "".
func day(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006")
}

// stamp formats an instant with its time of day, in UTC.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

func ptr[T any](v T) *T { return &v }
