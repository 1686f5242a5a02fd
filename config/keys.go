package config

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// UnknownKeys refuses config-file keys that are no setting's, suggesting
// the nearest known key for each.
func UnknownKeys(keys []string) error {
	known := map[string]bool{}
	byEnv := map[string]string{}
	for _, s := range Settings() {
		known[s.Key] = true
		byEnv[strings.ToLower(s.Env)] = s.Key
		if s.Opts.Has(FromFile) {
			known[s.Key+"_file"] = true
			byEnv[strings.ToLower(s.Env+"_file")] = s.Key + "_file"
		}
	}
	var msgs []string
	for _, k := range slices.Sorted(slices.Values(keys)) {
		if known[k] {
			continue
		}
		msg := fmt.Sprintf("unknown key %q", k)
		if hint := byEnv[k]; hint != "" {
			msg += fmt.Sprintf(" (keys are lower case without the prefix: %q)", hint)
		} else if hint := nearest(k, known); hint != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", hint)
		}
		msgs = append(msgs, msg)
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, "; "))
}

// nearest is the known key closest to k in edit distance, when it is close
// enough to be a misspelling (at most a third of k's length, or 2).
func nearest(k string, known map[string]bool) string {
	best, bestDist := "", max(2, len(k)/3)+1
	for _, cand := range slices.Sorted(maps.Keys(known)) {
		if d := EditDistance(k, cand); d < bestDist {
			best, bestDist = cand, d
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b, in bytes
// (setting keys and tool names are ASCII): what a "did you mean"
// suggestion is measured by.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
