package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// modulePath is where go build finds the polar-mcp command.
const modulePath = "github.com/polar-mcp/polar-mcp/cmd/polar-mcp"

// buildBinary builds polar-mcp into dir and returns its path.
func buildBinary(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "polar-mcp")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, modulePath)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", modulePath, err, stderr.String())
	}
	return out, nil
}

// binaryOrBuild returns binary, or builds polar-mcp into dir when it is "".
func binaryOrBuild(ctx context.Context, binary, dir string) (string, error) {
	if binary != "" {
		return filepath.Abs(binary)
	}
	return buildBinary(ctx, dir)
}

// httpServer is a spawned `polar-mcp http` process.
type httpServer struct {
	URL    string
	secret []byte // signs caller tokens; never printed
	cmd    *exec.Cmd
	log    string // the server's stderr
	exited chan struct{}
}

// startHTTPServer spawns binary as `polar-mcp http` on a free loopback
// port, pointed at the Polar API polarURL with the fake's token, in the
// empty directory dir (so no polar-mcp.yaml is read), with extraEnv added.
// It returns once /healthz answers.
func startHTTPServer(ctx context.Context, binary, dir, polarURL string, extraEnv []string) (*httpServer, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	raw := make([]byte, 48)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := []byte(base64.RawStdEncoding.EncodeToString(raw))
	s := &httpServer{URL: "http://" + addr, secret: secret, log: filepath.Join(dir, "server.log"), exited: make(chan struct{})}
	logFile, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	s.cmd = exec.Command(binary, "http")
	s.cmd.Dir = dir
	s.cmd.Stderr = logFile
	s.cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"POLAR_ACCESS_TOKEN=" + fakepolar.DemoToken,
		"POLAR_SERVER_URL=" + polarURL,
		"POLAR_MCP_LISTEN=" + addr,
		"POLAR_MCP_TOKEN_SECRET=" + string(secret),
	}, extraEnv...)
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitHealthy(ctx, 15*time.Second); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w (server log: %s)", err, s.log)
	}
	return s, nil
}

// waitHealthy polls /healthz until it answers 200.
func (s *httpServer) waitHealthy(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return errors.New("polar-mcp http exited at start")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		res, err := http.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("polar-mcp http not healthy after %s", limit)
}

// PID is the server's process id.
func (s *httpServer) PID() int { return s.cmd.Process.Pid }

// Mem reads the server's resident memory.
func (s *httpServer) Mem() (memStat, error) { return readMem(s.PID()) }

// Stop sends SIGTERM and waits for the graceful drain, then kills.
func (s *httpServer) Stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(40 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// launch builds polar-mcp (unless binary is given), starts the fake Polar
// with latency and a per-minute limit (0: none; per-minute timestamps are
// recorded when limited), and spawns polar-mcp http on it. stop undoes
// all of it.
func launch(ctx context.Context, binary string, latency time.Duration, perMinute int, env []string) (*upstream, *httpServer, func(), error) {
	dir, err := os.MkdirTemp("", "polar-mcp-bench-")
	if err != nil {
		return nil, nil, nil, err
	}
	fail := func(err error, undo ...func()) (*upstream, *httpServer, func(), error) {
		for _, u := range undo {
			u()
		}
		os.RemoveAll(dir)
		return nil, nil, nil, err
	}
	if binary, err = binaryOrBuild(ctx, binary, dir); err != nil {
		return fail(err)
	}
	up, err := startUpstream(latency, perMinute, perMinute > 0)
	if err != nil {
		return fail(err)
	}
	srv, err := startHTTPServer(ctx, binary, dir, up.URL, env)
	if err != nil {
		return fail(err, up.Close)
	}
	return up, srv, func() { srv.Stop(); up.Close(); os.RemoveAll(dir) }, nil
}
