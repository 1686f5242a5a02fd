package tools

import (
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/text/currency"
)

// symbol is the prefix customers expect for the currencies Polar merchants
// price in most; any other currency is written as its ISO code.
func symbol(code string) (string, bool) {
	switch code {
	case "USD":
		return "$", true
	case "EUR":
		return "€", true
	case "GBP":
		return "£", true
	case "JPY":
		return "¥", true
	case "INR":
		return "₹", true
	case "CAD":
		return "CA$", true
	case "AUD":
		return "A$", true
	case "NZD":
		return "NZ$", true
	case "BRL":
		return "R$", true
	case "KRW":
		return "₩", true
	}
	return "", false
}

// money writes an amount in a currency's minor units the way a customer
// reads it: 2400 eur → "€24.00", 49000 usd → "$490.00", 500 jpy → "¥500".
func money(minor int64, cur string) string {
	code := strings.ToUpper(strings.TrimSpace(cur))
	scale := 2
	if u, err := currency.ParseISO(code); err == nil {
		scale, _ = currency.Standard.Rounding(u)
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	num := fmt.Sprintf("%0*d", scale+1, minor)
	num = group(num[:len(num)-scale]) + strings.TrimSuffix("."+num[len(num)-scale:], ".")
	if sym, ok := symbol(code); ok {
		return sign + sym + num
	}
	if code == "" {
		return sign + num
	}
	return sign + code + " " + num
}

// group puts thousands separators in a string of digits.
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	var b strings.Builder
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteByte(',')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// decimalMoney formats a decimal string of minor units (Polar's metered
// unit_amount, e.g. "0.5" cents) with up to 12 fraction digits.
func decimalMoney(minor string, cur string) string {
	r, ok := new(big.Rat).SetString(strings.TrimSpace(minor))
	if !ok {
		return minor + " " + strings.ToUpper(cur) + " minor units"
	}
	scale := 2
	code := strings.ToUpper(strings.TrimSpace(cur))
	if u, err := currency.ParseISO(code); err == nil {
		scale, _ = currency.Standard.Rounding(u)
	}
	r.Quo(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)))
	s := strings.TrimRight(strings.TrimRight(r.FloatString(12), "0"), ".")
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 < scale {
		s += strings.Repeat("0", scale-(len(s)-i-1))
	} else if i < 0 && scale > 0 {
		s += "." + strings.Repeat("0", scale)
	}
	if sym, ok := symbol(code); ok {
		return sym + s
	}
	return code + " " + s
}

// per writes a billing interval: ("month", 1) → "/ month",
// ("month", 3) → "/ 3 months". An empty interval is a one-time price.
func per(interval string, count int) string {
	if interval == "" {
		return ""
	}
	if count <= 1 {
		return " / " + interval
	}
	return fmt.Sprintf(" / %d %ss", count, interval)
}
