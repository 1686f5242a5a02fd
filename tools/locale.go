package tools

import (
	"context"
	"math/big"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// format writes money, numbers and dates for one reader's locale. The
// zero format is English as polar-mcp has always written it ("€24.00",
// "15 Dec 2026"); another locale takes its currency patterns (symbol,
// placement, spacing, digits and separators) from CLDR 48.1's currency
// formats (cldr_formats.go) and golang.org/x/text's currency symbols, its
// number digits and separators from CLDR through golang.org/x/text, and
// its numeric short date from CLDR's
// pattern for the language. Structured content never goes through a
// format: it keeps minor units and RFC 3339 instants.
type format struct {
	p    *message.Printer // nil: English
	tag  string           // BCP 47 tag, for currency patterns
	date string           // time layout of a day
	now  time.Time        // when the answer is written; zero: the clock
	// agent is set when a support agent reads the answer.
	agent bool
}

// formatOf is the format of the caller in ctx.
func formatOf(ctx context.Context) format {
	id, _ := caller.From(ctx)
	f := formatFor(id.Locale)
	f.agent = id.Role == caller.Agent
	return f
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
	f := format{p: message.NewPrinter(tag), tag: tag.String(), date: "2006-01-02"}
	// CLDR's short date patterns (yMd, numeric) for the languages
	// merchants sell in most; others get ISO 8601.
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

// money writes an amount in a currency's minor units.
func (f format) money(minor int64, cur string) string {
	code := strings.ToUpper(strings.TrimSpace(cur))
	if f.p == nil || !knownCurrency(code) {
		return money(minor, cur)
	}
	digits := isoDigits(code)
	number, negative := decimalOfMinor(minor, digits)
	return plainSpaces(formatOfLocale(f.tag).write(number, negative, digits, symbolIn(f.p, code)))
}

// decimalMoney writes a decimal string of minor units (a metered unit
// price) with the digits it needs, up to six.
func (f format) decimalMoney(minor, cur string) string {
	if f.p == nil {
		return decimalMoney(minor, cur)
	}
	code := strings.ToUpper(strings.TrimSpace(cur))
	r, ok := new(big.Rat).SetString(strings.TrimSpace(minor))
	if !ok || !knownCurrency(code) {
		return decimalMoney(minor, cur)
	}
	digits := isoDigits(code)
	r.Quo(r, new(big.Rat).SetInt(pow10(digits)))
	number := r.FloatString(6)
	return plainSpaces(formatOfLocale(f.tag).write(strings.TrimPrefix(number, "-"), r.Sign() < 0, digits, symbolIn(f.p, code)))
}

// plainSpaces turns CLDR's no-break spaces (U+00A0, U+202F) into plain
// ones: a chat answer is wrapped by its reader, and "24,00 €" must read,
// copy and search as written.
func plainSpaces(s string) string {
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
}

// count writes a number of units ("63,200" in English, "63.200" in German).
func (f format) count(v float64) string {
	if f.p == nil {
		return message.NewPrinter(language.English).Sprint(number.Decimal(v))
	}
	return f.p.Sprint(number.Decimal(v))
}

// past reports whether t is before the time the answer is written.
func (f format) past(t time.Time) bool {
	now := f.now
	if now.IsZero() {
		now = time.Now()
	}
	return t.Before(now)
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
