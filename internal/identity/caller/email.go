package caller

import "strings"

// NormalizeEmail trims an address and folds its ASCII letters to lower
// case. Nothing else is folded: Unicode case folding maps distinct
// mailboxes onto one (U+212A KELVIN SIGN folds to "k", U+017F LONG S to
// "s"), so non-ASCII characters are kept exactly as given.
func NormalizeEmail(email string) string {
	email = strings.TrimSpace(email)
	b := []byte(email)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

// SameEmail reports whether a and b name the same mailbox under
// NormalizeEmail: equal after trimming and ASCII-only case folding, and
// otherwise byte for byte.
func SameEmail(a, b string) bool {
	return NormalizeEmail(a) == NormalizeEmail(b)
}
