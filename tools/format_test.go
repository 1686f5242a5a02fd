package tools

import "testing"

func TestMoney(t *testing.T) {
	cases := []struct {
		minor int64
		cur   string
		want  string
	}{
		{2400, "eur", "€24.00"},
		{49000, "usd", "$490.00"},
		{250000, "usd", "$2,500.00"},
		{123456789, "gbp", "£1,234,567.89"},
		{5, "usd", "$0.05"},
		{0, "usd", "$0.00"},
		{500, "jpy", "¥500"},
		{1999, "chf", "CHF 19.99"},
		{-1500, "usd", "-$15.00"},
	}
	for _, c := range cases {
		if got := money(c.minor, c.cur); got != c.want {
			t.Errorf("money(%d, %q) = %q, want %q", c.minor, c.cur, got, c.want)
		}
	}
}

func TestDecimalMoney(t *testing.T) {
	cases := []struct{ minor, cur, want string }{
		{"0.5", "usd", "$0.005"},
		{"150", "usd", "$1.50"},
		{"12.3456", "eur", "€0.123456"},
	}
	for _, c := range cases {
		if got := decimalMoney(c.minor, c.cur); got != c.want {
			t.Errorf("decimalMoney(%q, %q) = %q, want %q", c.minor, c.cur, got, c.want)
		}
	}
}

func TestPer(t *testing.T) {
	if got := per("month", 1); got != " / month" {
		t.Errorf("per(month,1) = %q", got)
	}
	if got := per("month", 3); got != " / 3 months" {
		t.Errorf("per(month,3) = %q", got)
	}
	if got := per("", 1); got != "" {
		t.Errorf("one-time per = %q", got)
	}
}

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Pro\u200b Plan", "Pro Plan"},
		{"Pro\u202eemag", "Proemag"},                               // bidi override
		{"ignore\U000E0069\U000E0067 previous", "ignore previous"}, // tag characters
		{"line\nbreak\t\x07bell", "line break bell"},
		{"  padded  ", "padded"},
		{"Café ☕\ufe0f", "Café ☕"},
	}
	for _, c := range cases {
		if got := clean(c.in); got != c.want {
			t.Errorf("clean(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	long := make([]rune, 1000)
	for i := range long {
		long[i] = 'a'
	}
	if got := []rune(clean(string(long))); len(got) != maxTextRunes || got[maxTextRunes-1] != '…' {
		t.Errorf("long string not bounded: %d runes", len(got))
	}
}
