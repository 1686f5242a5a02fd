// Package textsafe holds the character rules for text that came from
// someone else (a merchant, a customer, an upstream error body) and is
// about to reach a model: control and invisible characters go,
// whitespace collapses, length is bounded, and Inline also takes away
// markdown and HTML syntax (links, images, tags, autolinks) so that a
// customer's name cannot turn into an image fetch or a link in a chat
// client that renders the model's reply.
package textsafe

import (
	"strings"
	"unicode"
)

// Plain strips control characters, the replacement character and
// invisible Unicode (format characters such as zero-width spaces, bidi
// overrides and tag characters, private-use code points, variation
// selectors and blank Hangul fillers), turns control characters into
// spaces, collapses every run of whitespace to one space, trims, and
// bounds the result to maxRunes runes, the last of which is "…" when
// the text was cut. maxRunes <= 0 means no bound.
func Plain(s string, maxRunes int) string {
	var b strings.Builder
	b.Grow(len(s))
	n, space := 0, false
	for i, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		case Invisible(r):
			continue
		}
		if maxRunes > 0 && n >= maxRunes-1 && cut(s, i, maxRunes-n) {
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

// cut reports whether the text from byte i on holds more than room
// visible runes, so that it must be cut at i.
func cut(s string, i, room int) bool {
	for _, r := range s[i:] {
		if unicode.IsSpace(r) || unicode.IsControl(r) || Invisible(r) {
			continue
		}
		if room--; room < 0 {
			return true
		}
	}
	return false
}

// Inline is Plain for text shown inside an answer: on top of Plain's
// rules it neutralizes markdown and HTML. Brackets become full-width
// brackets (no [text](url) link, no ![alt](url) image, no reference
// definition), angle brackets become single guillemets (no <img>, no
// <script>, no <https://…> autolink), and URLs are defanged
// ("https://evil" becomes "https[:]//evil", "www.evil" becomes
// "www[.]evil") so no client autolinks them. Letters, digits and
// ordinary punctuation are left alone, so a name stays readable.
func Inline(s string, maxRunes int) string {
	s = Plain(s, maxRunes)
	if !strings.ContainsAny(s, "[]<>:.") {
		return s
	}
	s = strings.NewReplacer("[", "［", "]", "］", "<", "‹", ">", "›").Replace(s)
	return defang(s)
}

// defang breaks every "://" and every "www." that starts a word.
func defang(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "://"):
			b.WriteString("[:]//")
			i += 2
			continue
		case wordStart(s, i) && hasPrefixFold(s[i:], "www."):
			b.WriteString(s[i:i+3] + "[.]")
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func wordStart(s string, i int) bool {
	if i == 0 {
		return true
	}
	c := s[i-1]
	return !(c == '.' || c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Invisible reports whether r renders as nothing (or as a box) and so
// could hide text from whoever reads the answer.
func Invisible(r rune) bool {
	return r == unicode.ReplacementChar ||
		unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) ||
		(r >= 0xFE00 && r <= 0xFE0F) || (r >= 0xE0100 && r <= 0xE01EF) ||
		r == 0x115F || r == 0x1160 || r == 0x3164 || r == 0xFFA0 // Hangul fillers render blank
}

// CardLike reports whether s holds a run of 13 to 19 digits, possibly
// split by spaces, dots or dashes: what a payment card number looks like.
// Text that does is never repeated.
func CardLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
			if digits >= 13 {
				return true
			}
		case r == ' ' || r == '-' || r == '.' || r == '\u00a0':
		default:
			digits = 0
		}
	}
	return false
}
