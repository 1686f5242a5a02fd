package tools

import (
	"strings"
	"unicode"
)

// maxTextRunes bounds any merchant- or customer-supplied string in an
// answer, so one long description cannot flood the model's context.
const maxTextRunes = 280

// clean strips control characters and invisible Unicode (format
// characters such as zero-width spaces, bidi overrides and tag characters,
// and variation selectors) from a string that came from the merchant or a
// customer, collapses whitespace, and bounds its length. It keeps the
// answer honest about what is displayed and stops hidden instructions from
// reaching the model.
func clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	n, space := 0, false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case invisible(r):
			continue
		}
		if n >= maxTextRunes {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

func invisible(r rune) bool {
	return r == unicode.ReplacementChar ||
		unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) ||
		(r >= 0xFE00 && r <= 0xFE0F) || (r >= 0xE0100 && r <= 0xE01EF) ||
		r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0 // Hangul fillers render blank
}
