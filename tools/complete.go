package tools

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// Bounds of recentEmails: the emails kept per session, and the sessions
// kept (beyond it, the session that named an email least recently is
// forgotten).
const (
	maxRecentEmails   = 20
	maxRecentSessions = 10_000
)

// recentEmails completes the prompts' email argument (completion/complete)
// from the customer emails an agent named in its tool calls in the same
// MCP session, newest first. Only an agent's own session is ever offered
// its own lookups; customers get no completions. A session's emails are
// forgotten when it ends.
type recentEmails struct {
	mu      sync.Mutex
	emails  map[string][]string // session id → emails, newest first
	touched []string            // session ids, least recently used first
}

func newRecentEmails() *recentEmails {
	return &recentEmails{emails: map[string][]string{}}
}

// sessionOf is the id of the MCP session ctx serves; "" without one.
func sessionOf(ctx context.Context) string {
	if s := server.ClientSessionFromContext(ctx); s != nil {
		return s.SessionID()
	}
	return ""
}

// record is tool middleware: an agent's call that names a valid email
// and succeeds adds it to the session's list.
func (r *recentEmails) record(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		res, err := next(ctx, req)
		id, _ := caller.From(ctx)
		email, _ := req.GetArguments()["email"].(string)
		email = caller.NormalizeEmail(email)
		session := sessionOf(ctx)
		if err != nil || res == nil || res.IsError || id.Role != caller.Agent || session == "" || config.CheckEmail(email) != nil {
			return res, err
		}
		r.add(session, email)
		return res, err
	}
}

func (r *recentEmails) add(session, email string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	list := slices.DeleteFunc(r.emails[session], func(e string) bool { return e == email })
	list = append([]string{email}, list...)
	r.emails[session] = list[:min(len(list), maxRecentEmails)]
	r.touched = append(slices.DeleteFunc(r.touched, func(s string) bool { return s == session }), session)
	for len(r.touched) > maxRecentSessions {
		delete(r.emails, r.touched[0])
		r.touched = r.touched[1:]
	}
}

// forget drops an ended session's list (an OnUnregisterSession hook).
func (r *recentEmails) forget(_ context.Context, s server.ClientSession) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.emails, s.SessionID())
	r.touched = slices.DeleteFunc(r.touched, func(id string) bool { return id == s.SessionID() })
}

// CompletePromptArgument implements server.PromptCompletionProvider: the
// session's emails starting with what the agent typed, for an email
// argument; nothing for anything else or anyone but an agent.
func (r *recentEmails) CompletePromptArgument(ctx context.Context, _ string, arg mcp.CompleteArgument, _ mcp.CompleteContext) (*mcp.Completion, error) {
	out := &mcp.Completion{Values: []string{}}
	if id, _ := caller.From(ctx); id.Role != caller.Agent || arg.Name != "email" {
		return out, nil
	}
	prefix := strings.ToLower(strings.TrimSpace(arg.Value))
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.emails[sessionOf(ctx)] {
		if strings.HasPrefix(e, prefix) {
			out.Values = append(out.Values, e)
		}
	}
	out.Total = len(out.Values)
	return out, nil
}
