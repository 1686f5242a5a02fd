package config

import "testing"

func TestCheckEmailRefusesDisplayNames(t *testing.T) {
	for _, ok := range []string{"alice@example.com", "Frank.Miller@Example.com", "a+tag@sub.example.co"} {
		if err := CheckEmail(ok); err != nil {
			t.Errorf("CheckEmail(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "alice", "Alice <alice@example.com>", `"Alice" <alice@example.com>`,
		"<alice@example.com>", "alice@example.com (Alice)", "a@b.c, c@d.e", "a b@example.com",
		"\ufeffalice@example.com", "ali\u200bce@example.com", "alice@exa\u202emple.com", "alice\u00a0x@example.com"} {
		if err := CheckEmail(bad); err == nil {
			t.Errorf("CheckEmail(%q) accepted a non-address", bad)
		}
	}
}
