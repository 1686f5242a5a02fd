package tools

import (
	"regexp"
	"testing"
)

// TestUUIDShapedIsTheRegexp checks uuidShaped against the regexp it
// replaced, on an id and on every one-byte change of it.
func TestUUIDShapedIsTheRegexp(t *testing.T) {
	re := regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	id := "a0000000-0001-4000-8001-00000000000F"
	cases := []string{id, "", "x", id + "0", id[:35], "\n" + id, id + "\n", "é0000000-0001-4000-8001-0000000000F"}
	for i := range len(id) {
		for _, c := range []byte{'-', '0', 'a', 'F', 'g', 'z', ' ', '\n'} {
			b := []byte(id)
			b[i] = c
			cases = append(cases, string(b))
		}
	}
	matched := 0
	for _, c := range cases {
		want := re.MatchString(c)
		if got := uuidShaped(c); got != want {
			t.Errorf("uuidShaped(%q) = %v, the regexp says %v", c, got, want)
		}
		if want {
			matched++
		}
	}
	if matched < 2 || matched == len(cases) {
		t.Fatalf("%d of %d cases match: the cases do not test both answers", matched, len(cases))
	}
}
