// Command polar-mcp is the Model Context Protocol server that answers
// billing questions from a merchant's Polar organization.
//
// Viper and cobra live here only: every package below takes a plain
// config struct.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/buildinfo"
)

// exitUsage is the exit code for a configuration or usage error, returned
// before anything is served.
const exitUsage = 2

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the CLI and returns its exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, config.ErrInvalid), errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "polar-mcp:", err)
		return exitUsage
	default:
		fmt.Fprintln(stderr, "polar-mcp:", err)
		return 1
	}
}

// errUsage marks a command-line mistake.
var errUsage = errors.New("usage")

func usageErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "polar-mcp",
		Short:         "MCP server for billing questions answered from a Polar.sh organization",
		Version:       buildinfo.Read().String(), // --version: version, commit, date
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v", err) })
	addConfigFlags(root)
	root.AddCommand(newStdioCmd(), newCallCmd(), newHTTPCmd(), newTokenCmd(), newFakePolarCmd(), newConnectionsCmd(), newCheckCmd(), newToolsCmd())
	return root
}
