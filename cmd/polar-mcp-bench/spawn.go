package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// runSpawn measures the start-up of one or more polar-mcp binaries side by
// side: the wall time from spawning `BIN stdio` (a customer's session
// against the fake Polar API) to its initialize response, --runs times per
// binary and round, the binaries taking turns within each round so that the
// machine's load falls on all of them alike. It prints a markdown table.
func runSpawn(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("spawn", flag.ContinueOnError)
	runs := fs.Int("runs", 30, "spawns per binary and round")
	rounds := fs.Int("rounds", 2, "rounds")
	email := fs.String("email", "alice@example.com", "the customer the session is for")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: polar-mcp-bench spawn [flags] BINARY...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	bins := fs.Args()
	if len(bins) < 1 || len(bins) > 8 || *runs < 1 || *runs > 500 || *rounds < 1 || *rounds > 10 {
		return errors.New("1 to 8 binaries, --runs 1..500, --rounds 1..10")
	}
	for i, b := range bins {
		abs, err := filepath.Abs(b)
		if err != nil {
			return err
		}
		bins[i] = abs
	}
	dir, err := os.MkdirTemp("", "polar-mcp-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	up, err := startUpstream(0, 0, false)
	if err != nil {
		return err
	}
	defer up.Close()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "POLAR_SERVER_URL=" + up.URL,
		"POLAR_ACCESS_TOKEN=" + fakepolar.DemoToken, "POLAR_MCP_CUSTOMER_EMAIL=" + *email}
	fmt.Fprintf(out, "| round | binary | spawn → initialize response, median of %d (min–max) |\n| --- | --- | --- |\n", *runs)
	for r := 1; r <= *rounds; r++ {
		times := make([][]time.Duration, len(bins))
		for range *runs {
			for i, b := range bins {
				p, d, err := spawnStdio(ctx, serverSpec{name: b, command: b, args: []string{"stdio"}, env: env, dir: dir})
				if err != nil {
					return err
				}
				p.Close()
				times[i] = append(times[i], d)
			}
		}
		for i, b := range bins {
			slices.Sort(times[i])
			fmt.Fprintf(out, "| %d | %s | %s (%s–%s) |\n", r, filepath.Base(b), ms(median(times[i])), ms(times[i][0]), ms(times[i][len(times[i])-1]))
		}
	}
	return nil
}
