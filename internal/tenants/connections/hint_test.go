package connections

import (
	"strings"
	"testing"
)

func TestTokenHintShowsOnlyPrefixAndLastFour(t *testing.T) {
	cases := map[string]string{
		"polar_oat_Ab3dEf6hIj9kLmNoPqRs3f9c":       "polar_oat_…3f9c",
		"polar_pat_Ab3dEf6hIj9kLmNoPqRs3f9c":       "polar_pat_…3f9c",
		"polar_at_o_Ab3dEf6hIj9kLmNoPqRs3f9c":      "polar_at_o_…3f9c",
		"polar_oat_Se_cr_et_Ab3dEf6hIj9kLmNo3f9c":  "polar_oat_…3f9c", // underscores in the random part
		"polar_oat_X_Y_Z_secretpartthatislong3f9c": "polar_oat_…3f9c",
		"sk_live_Ab3dEf6hIj9kLmNoPqRs3f9c":         "…3f9c", // unknown prefix: nothing of it shown
		"my_secret_prefix_Ab3dEf6hIj9kLmNo3f9c":    "…3f9c",
		"polar_oat_short":                          "polar_oat_…",
	}
	for token, want := range cases {
		got := tokenHint(token)
		if got != want {
			t.Errorf("tokenHint(%q) = %q, want %q", token, got, want)
		}
		if strings.Contains(got, "secret") || strings.Contains(got, "Se_cr") {
			t.Errorf("tokenHint(%q) = %q leaks the token", token, got)
		}
	}
}
