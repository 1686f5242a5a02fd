//go:build !linux

package observe

import (
	"strings"
	"testing"
)

// TestNoProcessSeriesOutsideLinux: without /proc the process_* series are
// left out, and the rest of the scrape still parses.
func TestNoProcessSeriesOutsideLinux(t *testing.T) {
	fams, _ := parseScrape(t)
	for name := range fams {
		if strings.HasPrefix(name, "process_") {
			t.Errorf("the scrape holds %s outside Linux", name)
		}
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("the scrape lacks go_goroutines")
	}
}
