package tools

import (
	"testing"
	"time"
)

func TestLocaleFormat(t *testing.T) {
	d := time.Date(2026, 12, 14, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		locale, money, jpy, unit, day string
	}{
		{"", "€24.00", "¥3,800", "$0.005", "14 Dec 2026"},
		{"en-US", "€24.00", "¥3,800", "$0.005", "14 Dec 2026"},
		{"de-DE", "24,00 €", "3.800 ¥", "0,005 $", "14.12.2026"},
		{"fr", "24,00 €", "3 800 ¥", "0,005 $US", "14/12/2026"},
		{"nl-NL", "€ 24,00", "JP¥ 3.800", "US$ 0,005", "14-12-2026"},
		{"ja", "€24.00", "￥3,800", "$0.005", "2026/12/14"},
		{"not a tag!", "€24.00", "¥3,800", "$0.005", "14 Dec 2026"},
	}
	for _, c := range cases {
		f := formatFor(c.locale)
		if got := f.money(2400, "eur"); got != c.money {
			t.Errorf("%q: money = %q, want %q", c.locale, got, c.money)
		}
		if got := f.money(3800, "jpy"); got != c.jpy {
			t.Errorf("%q: yen = %q, want %q", c.locale, got, c.jpy)
		}
		if got := f.decimalMoney("0.5", "usd"); got != c.unit {
			t.Errorf("%q: unit price = %q, want %q", c.locale, got, c.unit)
		}
		if got := f.day(&d); got != c.day {
			t.Errorf("%q: day = %q, want %q", c.locale, got, c.day)
		}
	}
}
