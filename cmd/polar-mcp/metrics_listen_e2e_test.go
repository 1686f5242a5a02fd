//go:build e2e

package main

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// POLAR_MCP_METRICS_LISTEN naming the public listener's socket is a bad
// setting: the real binary exits 2 naming it, before serving anything
// (neither the metrics nor the public port is ever bound).
func TestMetricsListenOnThePublicAddressExitsWithCode2(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and spawns the binary")
	}
	bin := buildBinary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	for _, metrics := range []string{"127.0.0.1:" + port, "0.0.0.0:" + port, ":" + port, "localhost:" + port} {
		t.Run(metrics, func(t *testing.T) {
			cmd := exec.Command(bin, "http", "--demo")
			cmd.Dir = t.TempDir()
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + cmd.Dir,
				"POLAR_MCP_LISTEN=127.0.0.1:" + port, "POLAR_MCP_METRICS_LISTEN=" + metrics,
				"POLAR_MCP_TOKEN_SECRET=" + strings.Repeat("k", 40)}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				_ = cmd.Process.Kill()
				<-done
				t.Fatalf("still running after 20 s; stderr: %s", stderr.String())
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitUsage {
				t.Fatalf("exit %v, want code %d; stderr: %s", err, exitUsage, stderr.String())
			}
			if !strings.Contains(stderr.String(), "POLAR_MCP_METRICS_LISTEN") {
				t.Errorf("the error does not name POLAR_MCP_METRICS_LISTEN: %s", stderr.String())
			}
			if strings.Contains(stderr.String(), "serving") {
				t.Errorf("something was served before the exit: %s", stderr.String())
			}
		})
	}
}
