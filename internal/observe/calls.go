package observe

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// The transports, as labels and log fields name them.
const (
	TransportStdio      = "stdio"
	TransportStreamable = "streamable_http"
	TransportSSE        = "sse"
)

// request is what the observer knows of one MCP request.
type request struct {
	id        string
	transport string
}

// call counts the Polar requests one tool call spent.
type call struct {
	requests  atomic.Int64
	rec       record // what the tool told the Observer
	requestID string // the request's id, for the tool's log lines
}

type requestKey struct{}
type callKey struct{}

// WithTransport returns ctx marking its MCP requests as served over
// transport (stdio sets TransportStdio; HTTP sets its own).
func WithTransport(ctx context.Context, transport string) context.Context {
	r := requestFrom(ctx)
	return context.WithValue(ctx, requestKey{}, request{id: r.id, transport: transport})
}

func withRequest(ctx context.Context, r request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

func requestFrom(ctx context.Context) request {
	r, _ := ctx.Value(requestKey{}).(request)
	return r
}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

func (c *call) spent() {
	if c != nil {
		c.requests.Add(1)
	}
}

// newID is a random request id.
func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ToolMiddleware returns the tool middleware (tools.Options.Middleware,
// outermost) that gives each tool call its span, its series and its log
// line, and an audit line when an agent looked a customer up.
func (o *Observer) ToolMiddleware() server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			tool := req.Params.Name
			id, _ := caller.From(ctx)
			role := string(id.Role)
			if role == "" {
				role = "none"
			}
			r := requestFrom(ctx)
			if r.id == "" {
				r.id = newID()
				ctx = withRequest(ctx, r)
			}
			spent := &call{requestID: r.id}
			rec := &spent.rec
			ctx = context.WithValue(ctx, callKey{}, spent)
			ctx, span := o.tracer.Start(ctx, "tools/call "+tool, trace.WithAttributes(
				attribute.String("mcp.tool.name", tool),
				attribute.String("polarmcp.role", role),
				attribute.String("polarmcp.connection", connectionLabel(ctx)),
				attribute.String("polarmcp.request_id", r.id)))
			defer span.End()
			start := time.Now()
			res, err := next(ctx, req)
			took := time.Since(start)
			outcome := rec.outcome(err != nil || res == nil || res.IsError)
			if err != nil {
				outcome = OutcomeUpstreamError
			}
			span.SetAttributes(attribute.String("polarmcp.outcome", outcome),
				attribute.Int64("polarmcp.upstream_requests", spent.requests.Load()))
			if outcome != OutcomeOK && outcome != OutcomeNotFound {
				span.SetStatus(codes.Error, outcome)
			}
			if m := o.metrics; m != nil {
				m.ToolCalls.Inc(tool, role, outcome)
				m.ToolDuration.Observe(took.Seconds(), tool)
			}
			o.log.LogAttrs(ctx, slog.LevelInfo, "tool call",
				slog.String("request_id", r.id), slog.String("transport", r.transport),
				slog.String("connection", id.Connection), slog.String("role", role),
				slog.String("tool", tool), slog.String("outcome", outcome),
				slog.Duration("duration", took), slog.Int64("upstream_requests", spent.requests.Load()))
			if customer, ok := rec.agentLookup(); ok && id.Role == caller.Agent {
				o.audit(ctx, r, id, tool, customer)
			}
			return res, err
		}
	}
}

// audit writes the line of an agent's customer lookup.
func (o *Observer) audit(ctx context.Context, r request, id caller.Identity, tool, customer string) {
	found := customer != ""
	if m := o.metrics; m != nil {
		m.AgentLookups.Inc(connectionLabel(ctx), strconv.FormatBool(found))
	}
	o.log.LogAttrs(ctx, slog.LevelInfo, "agent lookup",
		slog.String("request_id", r.id), slog.String("agent_subject", safeSubject(id.Subject)),
		slog.String("connection", id.Connection), slog.String("tool", tool),
		slog.String("customer_id", customer), slog.Bool("customer_found", found))
}

// safeSubject is a token subject fit for a log: one that looks like an
// email address is replaced by a digest of it.
func safeSubject(sub string) string {
	if !strings.Contains(sub, "@") {
		return sub
	}
	sum := sha256.Sum256([]byte(caller.NormalizeEmail(sub)))
	return "sha256:" + hex.EncodeToString(sum[:8])
}
