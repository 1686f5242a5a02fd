package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// README's call example prints what README says, its dates moved by the
// whole days from the fixtures' anchor to today, as README explains.
func TestReadmeCallExample(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)go run ./cmd/polar-mcp (call [^\n]+)\n```\n\nprints `([^`]+)` and\n`([^`]+)` on (\\d+ \\w+ \\d{4})\\.").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README's call example (command, the two lines it prints and the day it prints them) not found")
	}
	args, want := strings.Fields(string(m[1])), string(m[2])+"\n"+string(m[3])
	on, err := time.Parse("2 Jan 2006", string(m[4]))
	if err != nil || !on.Equal(fakepolar.Anchor()) {
		t.Fatalf("README's example is for %s, want the fixtures' anchor %s", m[4], fakepolar.Anchor().Format("2 Jan 2006"))
	}
	// The day may turn between the shift and the call: try twice.
	var got, moved string
	for range 2 {
		days := fakepolar.ShiftDays(time.Now())
		moved = regexp.MustCompile(`\d{1,2} [A-Z][a-z]{2} \d{4}`).ReplaceAllStringFunc(want, func(d string) string {
			at, err := time.Parse("2 Jan 2006", d)
			if err != nil {
				t.Fatal(err)
			}
			return at.AddDate(0, 0, days).Format("2 Jan 2006")
		})
		var stdout, stderr bytes.Buffer
		if code := run(args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("polar-mcp %s: exit %d: %s", m[1], code, stderr.String())
		}
		if got = strings.TrimSpace(stdout.String()); got == moved {
			return
		}
	}
	t.Errorf("polar-mcp %s printed\n%s\nwant (README's, dates moved to today)\n%s", m[1], got, moved)
}
