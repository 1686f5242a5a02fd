package tools

import (
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// numberFormat is how a locale writes an amount of money, from CLDR's
// currency formats (cldr_formats.go).
type numberFormat struct {
	pattern               string // "¤0.00", "0.00\u00a0¤", ...; a second pattern after ";" is for negative amounts
	digits                string // the numbering system's ten digits; "" for 0-9
	minGrouping           uint8  // digits the integer part needs before it is grouped, beyond the first group
	primary, secondary    uint8  // group sizes: the last group, and every one before it
	decimal, group, minus string
}

// Numbering systems other than the Latin digits.
const (
	arab    = "٠١٢٣٤٥٦٧٨٩"
	arabExt = "۰۱۲۳۴۵۶۷۸۹"
	beng    = "০১২৩৪৫৬৭৮৯"
	deva    = "०१२३४५६७८९"
	mymr    = "၀၁၂၃၄၅၆၇၈၉"
)

// newLocaleID writes a BCP 47 tag as CLDR's locale ids: language, Title
// script, UPPER territory ("zh-hant-tw" → "zh-Hant-TW").
func newLocaleID(tag string) (lang, script, territory string) {
	for i, part := range strings.Split(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(tag)), "_", "-"), "-") {
		switch {
		case i == 0:
			lang = part
		case len(part) == 4:
			r, size := utf8.DecodeRuneInString(part)
			script = string(unicode.ToTitle(r)) + part[size:]
		case len(part) == 2 || len(part) == 3:
			territory = strings.ToUpper(part)
		}
	}
	return lang, script, territory
}

// cldrParent is the locale a locale without its own data inherits from:
// CLDR's explicit parents, else the locale without its territory, then
// without its script, then English.
func cldrParent(lang, script, territory string) (string, string, string) {
	id := joinLocale(lang, script, territory)
	switch {
	case lang == "es" && script == "" && territory != "" && strings.Contains(" AR BO BR BZ CL CO CR CU DO EC GT HN MX NI PA PE PR PY SV US UY VE ", " "+territory+" "):
		return "es", "", "419"
	case lang == "pt" && script == "" && strings.Contains(" AO CH CV GQ GW LU MO MZ ST TL ", " "+territory+" "):
		return "pt", "", "PT"
	case id == "nb" || id == "nn":
		return "no", "", ""
	case id == "ht":
		return "fr", "", "HT"
	case id == "hi-Latn":
		return "en", "", "IN"
	case id == "zh-Hant-MO":
		return "zh", "Hant", "HK"
	case id == "kk-Arab" || id == "sr-Latn" || id == "yue-Hans" || id == "zh-Hant":
		return "en", "", ""
	case territory != "":
		return lang, script, ""
	case script != "":
		return lang, "", ""
	}
	return "en", "", ""
}

func joinLocale(lang, script, territory string) string {
	id := lang
	if script != "" {
		id += "-" + script
	}
	if territory != "" {
		id += "-" + territory
	}
	return id
}

// formatOfLocale is the currency format of a BCP 47 tag, inherited from
// its parents where CLDR gives it none.
func formatOfLocale(tag string) numberFormat {
	lang, script, territory := newLocaleID(tag)
	for {
		id := joinLocale(lang, script, territory)
		if nf, ok := cldrFormat(id); ok || id == "en" || lang == "" {
			if !ok {
				nf, _ = cldrFormat("en")
			}
			return nf
		}
		lang, script, territory = cldrParent(lang, script, territory)
	}
}

// symbolIn is a currency's symbol for the reader of p: CLDR's symbol in
// their language, else the English one, else the ISO code.
func symbolIn(p *message.Printer, code string) string {
	u, err := currency.ParseISO(code)
	if err != nil {
		return englishSymbol(code, "")
	}
	en := message.NewPrinter(language.English).Sprint(currency.Symbol(u))
	if s := p.Sprint(currency.Symbol(u)); s != code && s != en {
		return s
	}
	return englishSymbol(code, en)
}

// englishSymbol is the English symbol of code: x/text's (en), or the one
// English gained in CLDR after x/text's data.
func englishSymbol(code, en string) string {
	switch code {
	case "PHP":
		return "₱"
	case "XOF":
		return "F\u202fCFA"
	case "XCG":
		return "Cg."
	}
	if en == "" {
		return code
	}
	return en
}

// knownCurrency reports whether code is an ISO 4217 currency the
// locale-aware formats write (others are written the English way).
func knownCurrency(code string) bool {
	if _, err := currency.ParseISO(code); err == nil {
		return true
	}
	switch code {
	case "SLE", "UYW", "VED", "XCG", "ZWG": // newer than x/text's data
		return true
	}
	return false
}

// isoDigits is a currency's number of minor-unit digits in ISO 4217
// (JPY 0, KWD 3); 2 for the rest.
func isoDigits(code string) int {
	switch code {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	case "CLF", "UYW":
		return 4
	}
	return 2
}

// decimalOfMinor writes minor units of a currency with digits decimals as
// an absolute decimal ("2400", 2 → "24.00") and whether it is negative.
func decimalOfMinor(minor int64, digits int) (string, bool) {
	r := new(big.Rat).SetInt64(minor)
	r.Quo(r, new(big.Rat).SetInt(pow10(digits)))
	return strings.TrimPrefix(r.FloatString(digits), "-"), minor < 0
}

// write formats an absolute decimal number ("24.00", "0.005000") of a
// currency shown as symbol: at least minDigits fraction digits, trailing
// zeros beyond them dropped, grouped, in the locale's digits and pattern.
func (nf numberFormat) write(number string, negative bool, minDigits int, symbol string) string {
	patterns := strings.Split(nf.pattern, ";")
	pattern := patterns[0]
	if negative {
		if len(patterns) == 1 {
			pattern = "-" + patterns[0]
		} else {
			pattern = patterns[1]
		}
	}
	major, minor, _ := strings.Cut(number, ".")
	minor = strings.TrimRight(minor, "0")
	if len(minor) < minDigits {
		minor += strings.Repeat("0", minDigits-len(minor))
	}
	var b strings.Builder
	b.WriteString(nf.groupDigits(major))
	if minor != "" {
		b.WriteString(nf.decimal)
		b.WriteString(minor)
	}
	formatted := b.String()
	if nf.digits != "" {
		pairs := make([]string, 0, 20)
		for i, d := range strings.Split(nf.digits, "") {
			pairs = append(pairs, string(rune('0'+i)), d)
		}
		formatted = strings.NewReplacer(pairs...).Replace(formatted)
	}
	// A symbol that ends (or starts) with a letter keeps a space from the number.
	if strings.Contains(pattern, "0¤") {
		if r, _ := utf8.DecodeRuneInString(symbol); unicode.IsLetter(r) {
			symbol = "\u00a0" + symbol
		}
	} else if strings.Contains(pattern, "¤0") {
		if r, _ := utf8.DecodeLastRuneInString(symbol); unicode.IsLetter(r) {
			symbol += "\u00a0"
		}
	}
	return strings.NewReplacer("0.00", formatted, "-", nf.minus, "¤", symbol).Replace(pattern)
}

// groupDigits puts the locale's group separators in a string of digits.
func (nf numberFormat) groupDigits(major string) string {
	n, primary, secondary := len(major), int(nf.primary), int(nf.secondary)
	if primary == 0 || n < int(nf.minGrouping)+primary {
		return major
	}
	groups := []string{major[n-primary:]}
	for i := n - primary; i > 0; i -= secondary {
		groups = append(groups, major[max(i-secondary, 0):i])
	}
	for i, j := 0, len(groups)-1; i < j; i, j = i+1, j-1 {
		groups[i], groups[j] = groups[j], groups[i]
	}
	return strings.Join(groups, nf.group)
}
