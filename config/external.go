package config

import (
	"errors"
	"strings"
)

// MaxExternalIDLen bounds a merchant's user id, in bytes.
const MaxExternalIDLen = 255

// ErrBadExternalID is returned by CheckExternalID.
var ErrBadExternalID = errors.New("an external customer id is 1 to 255 printable ASCII characters without / ? # % or \\")

// CheckExternalID reports whether ext can be a merchant's user id (Polar's
// customer external_id) as polar-mcp accepts it: printable ASCII, with
// none of the characters that could reshape a URL path or a log line.
func CheckExternalID(ext string) error {
	if ext == "" || len(ext) > MaxExternalIDLen {
		return ErrBadExternalID
	}
	for i := 0; i < len(ext); i++ {
		if b := ext[i]; b <= ' ' || b >= 0x7f || strings.IndexByte("/?#%\\", b) >= 0 {
			return ErrBadExternalID
		}
	}
	return nil
}
