package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// TestSpawnRefusesBadArguments checks that spawn refuses, before starting
// anything, a call without binaries or with counts out of bounds.
func TestSpawnRefusesBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"--runs", "0", "polar-mcp"},
		{"--rounds", "11", "polar-mcp"},
		strings.Fields("a b c d e f g h i"),
	} {
		if err := runSpawn(context.Background(), args, io.Discard); err == nil || !strings.Contains(err.Error(), "1 to 8 binaries") {
			t.Errorf("spawn %q: %v, want the bounds named", args, err)
		}
	}
}
