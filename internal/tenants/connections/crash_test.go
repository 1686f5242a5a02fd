package connections

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

// Environment of the writer process TestCrashLosesNothingSaved starts.
const (
	envCrashDB  = "POLAR_MCP_CRASH_TEST_DB"
	envCrashKey = "POLAR_MCP_CRASH_TEST_KEY"
)

// TestCrashWriter is the process that gets killed: it creates connections
// until it dies, printing each one once Create has returned.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv(envCrashDB)
	if path == "" {
		t.Skip("runs only as TestCrashLosesNothingSaved's writer")
	}
	ring, err := keyring.Parse(os.Getenv(envCrashKey))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path, ring)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		n := newConn(t, fmt.Sprint(i))
		c, _, err := s.Create(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("saved %s %s\n", c.ID, n.Token)
	}
}

func TestCrashLosesNothingSaved(t *testing.T) {
	if os.Getenv(envCrashDB) != "" {
		t.Skip("inside the writer")
	}
	ring, keys := newRing(t, "k1")
	path := filepath.Join(t.TempDir(), "connections.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashDB+"="+path, envCrashKey+"=k1:"+keys["k1"])
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	saved := map[string]string{}
	lines := bufio.NewScanner(out)
	for len(saved) < 50 && lines.Scan() {
		if f := strings.Fields(lines.Text()); len(f) == 3 && f[0] == "saved" {
			saved[f[1]] = f[2]
		}
	}
	cmd.Process.Kill() // SIGKILL: no deferred cleanup, likely mid-transaction
	cmd.Wait()
	if len(saved) < 50 {
		t.Fatalf("writer saved only %d connections before it stopped", len(saved))
	}

	s := open(t, path, ring)
	var integrity string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check = %q, %v", integrity, err)
	}
	for id, token := range saved {
		creds, err := s.Credentials(context.Background(), id)
		if err != nil || creds.Token.Reveal() != token {
			t.Fatalf("connection %s saved before the crash: %v", id, err)
		}
	}
	var rows int
	if err := s.db.QueryRow(`SELECT count(*) FROM connections`).Scan(&rows); err != nil || rows < len(saved) {
		t.Fatalf("%d rows after the crash, %d were saved: %v", rows, len(saved), err)
	}
}
