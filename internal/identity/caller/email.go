package caller

import (
	"errors"
	"net/mail"
	"strings"
	"unicode"
)

// MaxEmailLen bounds an email address, in bytes.
const MaxEmailLen = 320

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

// ErrNotAnAddress is returned by CheckEmail for anything but a bare
// address.
var ErrNotAnAddress = errors.New("not a bare email address")

// CheckEmail reports whether email is a bare address (local@domain), not
// a display-name form such as `"Name" <a@b>`, a comment, or a list.
func CheckEmail(email string) error {
	email = strings.TrimSpace(email)
	if email == "" || len(email) > MaxEmailLen || strings.ContainsAny(email, "<>\"(),;: \t\r\n") {
		return ErrNotAnAddress
	}
	// Invisible characters (zero-width, BOM, bidi, controls) make an
	// address that looks like another one.
	if strings.IndexFunc(email, func(r rune) bool {
		return unicode.Is(unicode.Cf, r) || unicode.IsControl(r) || unicode.IsSpace(r)
	}) >= 0 {
		return ErrNotAnAddress
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Name != "" || a.Address != email {
		return ErrNotAnAddress
	}
	return nil
}
