package observe

import (
	"context"
	"fmt"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/polar"
)

// clientLogger is the logger name of the notifications/message polar-mcp
// sends its MCP clients.
const clientLogger = "polar-mcp"

// tellClient sends the MCP client whose call ctx serves a
// notifications/message, when its session asked for level or a lower one
// (logging/setLevel; mcp-go keeps the level per session, "error" until
// set). text says what polar-mcp is doing for the call, so that the
// client's user knows why it is slow or failed: an operation name, a
// status, a wait. It never holds a token, an email, an id or anything
// else of a customer's.
func tellClient(ctx context.Context, level mcp.LoggingLevel, text string) {
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return
	}
	_ = srv.SendLogMessageToClient(ctx, mcp.NewLoggingMessageNotification(level, clientLogger, text))
}

// tellRequest tells the client of a Polar request that failed in a way
// polar-mcp may retry, and of each retry.
func tellRequest(ctx context.Context, e polar.RequestEvent) {
	switch {
	case e.Status == 429:
		tellClient(ctx, mcp.LoggingLevelWarning, fmt.Sprintf("Polar is rate-limiting requests (%s answered 429); the answer may take longer.", e.Operation))
	case e.Status == 0 || e.Status >= 500:
		what := "did not answer"
		if e.Status != 0 {
			what = fmt.Sprintf("answered %d", e.Status)
		}
		tellClient(ctx, mcp.LoggingLevelWarning, fmt.Sprintf("Polar %s to %s after %s.", what, e.Operation, e.Duration.Round(time.Millisecond)))
	}
	if e.Attempt > 1 {
		tellClient(ctx, mcp.LoggingLevelInfo, fmt.Sprintf("Retried %s at Polar (attempt %d): status %d.", e.Operation, e.Attempt, e.Status))
	}
}

// tellLimit tells the client of a wait for, or a refusal by, the limiter
// that keeps polar-mcp within its share of Polar's rate limit.
func tellLimit(ctx context.Context, e polar.LimitEvent) {
	switch {
	case e.Refused:
		tellClient(ctx, mcp.LoggingLevelWarning, fmt.Sprintf("polar-mcp's share of Polar's rate limit is used up for now; %s was not sent.", e.Operation))
	case e.Waited:
		tellClient(ctx, mcp.LoggingLevelInfo, fmt.Sprintf("Waited %s for a slot in Polar's rate limit before %s.", e.Duration.Round(time.Millisecond), e.Operation))
	}
}
