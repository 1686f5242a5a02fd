package tools

import (
	"context"
	"math/big"
	"strings"
	"time"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/polar-mcp/polar-mcp/caller"
)

// format writes money, numbers and dates for one reader's locale. The
// zero format is English as polar-mcp has always written it ("€24.00",
// "15 Dec 2026"); another locale takes its digits, separators and currency
// symbols from CLDR through golang.org/x/text. Structured content never
// goes through a format: it keeps minor units and RFC 3339 instants.
type format struct {
	p      *message.Printer // nil: English
	suffix bool             // the currency symbol follows the amount
	date   string           // time layout of a day
}

// formatOf is the format of the caller in ctx.
func formatOf(ctx context.Context) format {
	id, _ := caller.From(ctx)
	return formatFor(id.Locale)
}

// formatFor returns the format of a BCP 47 tag; "", "en" and anything
// that does not parse are English.
func formatFor(locale string) format {
	tag, err := language.Parse(strings.TrimSpace(locale))
	if err != nil || tag == language.Und {
		return format{}
	}
	base, _ := tag.Base()
	if base.String() == "en" {
		return format{}
	}
	f := format{p: message.NewPrinter(tag), date: "2006-01-02"}
	// CLDR's currency patterns, which x/text does not expose: these
	// languages write the symbol after the amount ("24,00 €").
	switch base.String() {
	case "de", "fr", "es", "it", "pt", "sv", "da", "nb", "no", "fi", "pl", "cs", "sk", "ru", "uk", "hu", "ro", "bg", "hr", "sl", "lt", "lv", "et", "el", "ca":
		f.suffix = true
	}
	// CLDR's short date patterns for the languages merchants sell in most.
	switch base.String() {
	case "de", "ru", "pl", "cs", "sk", "fi", "nb", "no", "da", "uk", "ro", "tr":
		f.date = "02.01.2006"
	case "fr", "es", "it", "pt", "el", "ca", "vi":
		f.date = "02/01/2006"
	case "nl":
		f.date = "02-01-2006"
	case "ja", "zh":
		f.date = "2006/01/02"
	}
	return f
}

// scale is a currency's number of minor-unit digits (0 for JPY).
func scale(code string) int {
	if u, err := currency.ParseISO(code); err == nil {
		s, _ := currency.Standard.Rounding(u)
		return s
	}
	return 2
}

// money writes an amount in a currency's minor units.
func (f format) money(minor int64, cur string) string {
	if f.p == nil {
		return money(minor, cur)
	}
	code := strings.ToUpper(strings.TrimSpace(cur))
	r := new(big.Rat).SetFrac(big.NewInt(minor), pow10(scale(code)))
	v, _ := r.Float64()
	return f.amount(number.Decimal(v, number.Scale(scale(code))), code)
}

// decimalMoney writes a decimal string of minor units (a metered unit
// price) with the digits it needs.
func (f format) decimalMoney(minor, cur string) string {
	if f.p == nil {
		return decimalMoney(minor, cur)
	}
	code := strings.ToUpper(strings.TrimSpace(cur))
	r, ok := new(big.Rat).SetString(strings.TrimSpace(minor))
	if !ok {
		return decimalMoney(minor, cur)
	}
	r.Quo(r, new(big.Rat).SetInt(pow10(scale(code))))
	digits := len(strings.TrimRight(strings.TrimRight(r.FloatString(12), "0"), "."))
	if i := strings.IndexByte(r.FloatString(12), '.'); i >= 0 {
		digits = max(scale(code), digits-i-1)
	}
	v, _ := r.Float64()
	return f.amount(number.Decimal(v, number.Scale(digits)), code)
}

func (f format) amount(n any, code string) string {
	num := f.p.Sprint(n)
	sym := code
	if u, err := currency.ParseISO(code); err == nil {
		sym = f.p.Sprint(currency.Symbol(u))
	}
	if f.suffix {
		return num + " " + sym
	}
	return sym + num
}

// count writes a number of units ("63,200" in English, "63.200" in German).
func (f format) count(v float64) string {
	if f.p == nil {
		return message.NewPrinter(language.English).Sprint(number.Decimal(v))
	}
	return f.p.Sprint(number.Decimal(v))
}

// day writes a date; nil and the zero time give "".
func (f format) day(t *time.Time) string {
	if f.p == nil || t == nil || t.IsZero() {
		return day(t)
	}
	return t.UTC().Format(f.date)
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// instant is a timestamp for structured content: UTC, RFC 3339 when
// encoded; nil for nil and the zero time.
func instant(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
