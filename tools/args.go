package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/polar-mcp/polar-mcp/internal/textsafe"
)

// typed binds a call's arguments into In and runs fn. Arguments that do
// not fit In are answered in plain words, never with Go's decoding error.
func typed[In any](deps Deps, tool string, fn func(ctx context.Context, in In) *mcp.CallToolResult) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		var in In
		raw, err := json.Marshal(req.GetRawArguments())
		if err == nil && string(raw) != "null" {
			// Unknown names are refused, as the schemas' additionalProperties
			// false says: a misspelled argument must not be silently dropped.
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			err = dec.Decode(&in)
		}
		if err != nil {
			res := failure(ctx, deps, tool, tell(bindProblem(err)))
			deps.Observer.ToolFailed(ctx, err, true)
			return res, nil
		}
		return fn(ctx, in), nil
	}
}

// bindProblem words an argument decoding error for the model.
func bindProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		want := "a " + te.Type.String()
		switch te.Type.String() {
		case "int", "*int":
			want = "a whole number"
		case "bool":
			want = "true or false"
		case "string":
			want = "text"
		}
		return fmt.Sprintf("the %s must be %s", te.Field, want)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Sprintf("this tool has no argument %s: pass only the arguments its schema lists", clipArg(name))
	}
	return "the arguments must be a JSON object of the tool's named arguments"
}

// clipArg bounds and neutralizes an argument name quoted back to the
// model: it came from the caller.
func clipArg(s string) string { return textsafe.Inline(s, 40) }
