package caller

import (
	"context"
	"testing"
)

func TestNormalizeEmailFoldsASCIIOnly(t *testing.T) {
	cases := []struct{ in, want string }{
		{"  Alice@Example.COM ", "alice@example.com"},
		{"sam.\u212a@example.com", "sam.\u212a@example.com"},   // KELVIN SIGN is not k
		{"ro\u017fa@example.com", "ro\u017fa@example.com"},     // LONG S is not s
		{"ＡＬＩＣＥ@example.com", "ＡＬＩＣＥ@example.com"},             // fullwidth letters stay
		{"E\u0301mile@example.com", "e\u0301mile@example.com"}, // combining mark kept
	}
	for _, c := range cases {
		if got := NormalizeEmail(c.in); got != c.want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSameEmailNeverMatchesLookalikes(t *testing.T) {
	same := [][2]string{{"Frank.Miller@Example.com", "frank.miller@example.com"}, {" a@b.c", "A@B.C "}}
	for _, p := range same {
		if !SameEmail(p[0], p[1]) {
			t.Errorf("SameEmail(%q, %q) = false", p[0], p[1])
		}
	}
	different := [][2]string{
		{"sam.\u212a@example.com", "sam.k@example.com"},
		{"ro\u017fa@example.com", "rosa@example.com"},
		{"ａlice@example.com", "alice@example.com"},
		{"\u00e9mile@example.com", "e\u0301mile@example.com"},
		{"alice@example.com", "alice@example.com\u200b"},
	}
	for _, p := range different {
		if SameEmail(p[0], p[1]) {
			t.Errorf("SameEmail(%q, %q) = true: a lookalike reaches another mailbox", p[0], p[1])
		}
	}
}

func TestContextCarriesNormalizedIdentity(t *testing.T) {
	if _, ok := From(context.Background()); ok {
		t.Fatal("empty context has an identity")
	}
	ctx := With(context.Background(), Identity{Role: Customer, Email: " Bob@Example.com", Connection: "conn_1"})
	id, ok := From(ctx)
	if !ok || id.Email != "bob@example.com" || id.Role != Customer {
		t.Fatalf("From = %+v, %v", id, ok)
	}
	if c, ok := ConnectionFrom(ctx); !ok || c != "conn_1" {
		t.Fatalf("ConnectionFrom = %q, %v", c, ok)
	}
}

func TestParseRole(t *testing.T) {
	for _, s := range []string{"customer", "agent"} {
		if r, err := ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	for _, s := range []string{"", "Agent", "admin", "AGENT"} {
		if _, err := ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
}
