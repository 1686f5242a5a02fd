package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
)

// stdioProtocol is the protocol version both compared servers are asked
// for (Polar's server answers with the one it speaks).
const stdioProtocol = mcp.ProtocolVersion20250618

// serverSpec is how to spawn one stdio MCP server.
type serverSpec struct {
	name    string
	command string
	args    []string
	env     []string // the whole environment of the process
	dir     string
}

// stdioProc is a spawned stdio server with an initialized mcp-go client.
type stdioProc struct {
	c   *client.Client
	cmd *exec.Cmd
}

// spawnStdio starts spec and initializes a session. It returns the time
// from spawning the process to the initialize response.
func spawnStdio(ctx context.Context, spec serverSpec) (*stdioProc, time.Duration, error) {
	p := &stdioProc{}
	cmdFunc := func(ctx context.Context, command string, env, args []string) (*exec.Cmd, error) {
		p.cmd = exec.CommandContext(ctx, command, args...)
		p.cmd.Env = env
		p.cmd.Dir = spec.dir
		return p.cmd, nil
	}
	start := time.Now()
	c, err := client.NewStdioMCPClientWithOptions(spec.command, spec.env, spec.args, transport.WithCommandFunc(cmdFunc))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", spec.name, err)
	}
	p.c = c
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = stdioProtocol
	init.Params.ClientInfo = mcp.Implementation{Name: "polar-mcp-bench", Version: "1"}
	ictx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := c.Initialize(ictx, init); err != nil {
		p.Close()
		return nil, 0, fmt.Errorf("%s: initialize: %w", spec.name, err)
	}
	return p, time.Since(start), nil
}

// Close ends the session and waits for the process to exit.
func (p *stdioProc) Close() { _ = p.c.Close() }

// Mem reads the process's resident memory.
func (p *stdioProc) Mem() (memStat, error) {
	if p.cmd == nil || p.cmd.Process == nil {
		return memStat{}, errors.New("process not started")
	}
	return readMem(p.cmd.Process.Pid)
}

// toolsList returns the size in bytes of the tools/list result as the
// server wrote it, and the number of tools.
func (p *stdioProc) toolsList(ctx context.Context) (int, int, error) {
	res, err := p.c.GetTransport().SendRequest(ctx, transport.JSONRPCRequest{
		JSONRPC: mcp.JSONRPC_VERSION,
		ID:      mcp.NewRequestId(int64(1 << 40)),
		Method:  string(mcp.MethodToolsList),
	})
	if err != nil {
		return 0, 0, err
	}
	if res.Error != nil {
		return 0, 0, fmt.Errorf("tools/list: %s", res.Error.Message)
	}
	var list mcp.ListToolsResult
	if err := json.Unmarshal(res.Result, &list); err != nil {
		return 0, 0, err
	}
	return len(res.Result), len(list.Tools), nil
}

// callResult is one tool call's outcome.
type callResult struct {
	outcome outcome
	text    string
	elapsed time.Duration
}

// call calls a tool and classifies its result.
func (p *stdioProc) call(ctx context.Context, name string, args map[string]any) callResult {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	start := time.Now()
	res, err := p.c.CallTool(cctx, req)
	elapsed := time.Since(start)
	out, text := classify(res, err)
	return callResult{outcome: out, text: text, elapsed: elapsed}
}
