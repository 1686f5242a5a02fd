package polar

import (
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{" 7 ", 7 * time.Second, true},
		{"Thu, 15 Jan 2026 10:01:30 GMT", 90 * time.Second, true},
		{"Thu, 15 Jan 2026 09:00:00 GMT", 0, true}, // already past
		{"99999999999999", maxRetryAfter, true},
		{"", 0, false},
		{"-5", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRedact(t *testing.T) {
	const tok = "secret-configured-token"
	tests := map[string]string{
		"bad token secret-configured-token here":           "bad token [redacted] here",
		"Bearer polar_oat_abcdefghijklmnop1234567890 sent": "Bearer [redacted] sent",
		"portal polar_cst_ABCDEFGHIJKLMNOPQRST":            "portal [redacted]",
		"polar_mcp and polar_go stay":                      "polar_mcp and polar_go stay",
		"no secrets":                                       "no secrets",
	}
	for in, want := range tests {
		if got := redact(in, tok); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClean(t *testing.T) {
	if got := clean("line one\nline\ttwo\x1b[31m red\x00", ""); got != "line one line two ［31m red" {
		t.Errorf("control characters kept: %q", got)
	}
	long := clean(strings.Repeat("é", 1000), "")
	if n := len([]rune(long)); n != maxDetailRunes || !strings.HasSuffix(long, "…") {
		t.Errorf("long detail: %d runes, suffix %q", n, long[len(long)-3:])
	}
	if got := clean("invalid \xff utf8", ""); got != "invalid utf8" {
		t.Errorf("invalid UTF-8 kept: %q", got)
	}
}
