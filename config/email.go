package config

import (
	"errors"
	"net/mail"
	"strings"
	"unicode"
)

// MaxEmailLen bounds an email address, in bytes.
const MaxEmailLen = 320

// ErrNotAnAddress is returned by CheckEmail for anything but a bare
// address.
var ErrNotAnAddress = errors.New("not a bare email address")

// CheckEmail reports whether email is a bare address (local@domain), not
// a display-name form such as `"Name" <a@b>`, a comment, or a list. It is
// the one rule for every email polar-mcp accepts: settings, tokens and
// tool arguments.
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
