package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/polar-mcp/polar-mcp/internal/polarmcp"
	"github.com/polar-mcp/polar-mcp/internal/tenants"
	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
)

// maxTokenInput bounds what add reads from stdin.
const maxTokenInput = 8 << 10

func newConnectionsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "connections",
		Short: "Connect merchants' Polar organizations and manage their connections (many merchants on one server)",
		Long: "Each merchant connects its own Polar organization: polar-mcp keeps its access token (encrypted\n" +
			"under POLAR_MCP_MASTER_KEY), the organization, the scopes found to work and a signing secret for\n" +
			"its callers' tokens, in the store at POLAR_MCP_DATABASE_URL (default ./" + "polar-mcp.db).\n" +
			"polar-mcp http serves each connection at /c/{id}/mcp and /c/{id}/sse.",
	}
	cmd.AddCommand(newConnectionsAddCmd(), newConnectionsListCmd(), newConnectionsShowCmd(),
		newConnectionsCheckCmd(), newConnectionsRotateSecretCmd(), newConnectionsSetWebhookSecretCmd(), newConnectionsSetRateLimitCmd(), newConnectionsStateCmd("disable"),
		newConnectionsStateCmd("enable"), newConnectionsRemoveCmd(), newConnectionsRotateKeyCmd(),
		newConnectionsKeygenCmd())
	return cmd
}

// withStore loads the configuration, opens the store and runs fn with the
// service over it. Only warnings are logged, to stderr.
func withStore(cmd *cobra.Command, fn func(ctx context.Context, svc *tenants.Service, store *connections.Store) error) error {
	cfg, err := readConfig(cmd)
	if err != nil {
		return err
	}
	levelSet := cfg.LogLevel != "" // validation fills in the server's default, info
	if err := cfg.ValidateConnections(); err != nil {
		return err
	}
	if !levelSet {
		cfg.LogLevel = ""
	}
	logger := cliLogger(cfg, cmd.ErrOrStderr(), slog.LevelWarn)
	svc, store, err := polarmcp.OpenService(cmd.Context(), cfg, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	return fn(cmd.Context(), svc, store)
}

func newConnectionsAddCmd() *cobra.Command {
	var name string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "add --name NAME --environment sandbox|production < token",
		Short: "Connect a merchant: reads its Polar access token from stdin, checks it with Polar, saves it",
		Long: "Reads the organization access token from stdin (never from the command line), refuses one that\n" +
			"does not start with polar_, asks Polar whether it works and which scopes it has, and saves the\n" +
			"connection. Prints the connection id and its signing secret, shown only this once.",
		Example: "  polar-mcp connections add --name \"Northwind\" --environment sandbox < northwind.token\n" +
			"  pbpaste | polar-mcp connections add --name \"Kestrel\" --environment production",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			env, _ := cmd.Flags().GetString("environment")
			if !cmd.Flags().Changed("environment") {
				return usageErr("--environment is required: sandbox (Polar's Test Mode) or production")
			}
			return withStore(cmd, func(ctx context.Context, svc *tenants.Service, _ *connections.Store) error {
				token, err := readToken(cmd.InOrStdin(), cmd.ErrOrStderr())
				if err != nil {
					return err
				}
				added, err := svc.Add(ctx, tenants.AddRequest{Name: name, Environment: env, Token: token})
				if err != nil {
					return err
				}
				for _, w := range added.Warnings {
					fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), map[string]any{"connection": added.Connection,
						"signing_secret": added.SigningSecret.Reveal(), "warnings": added.Warnings})
				}
				tenants.WriteAdded(cmd.OutOrStdout(), added)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "name shown for the connection (default: the organization's name)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the connection and signing secret as JSON")
	return cmd
}

// readToken reads the token, one line, from in. On a terminal it prompts
// on prompt first.
func readToken(in io.Reader, prompt io.Writer) (string, error) {
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		// On a terminal, read without echo so the token is never shown.
		fmt.Fprint(prompt, "Paste the Polar access token and press Enter: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(prompt)
		if err != nil {
			return "", fmt.Errorf("reading the token from the terminal: %w", err)
		}
		in = strings.NewReader(string(b))
	}
	if in == nil {
		in = strings.NewReader("")
	}
	line, err := bufio.NewReader(io.LimitReader(in, maxTokenInput)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the token from stdin: %w", err)
	}
	if strings.TrimSpace(line) == "" {
		return "", usageErr("no token on stdin: pipe the Polar access token in, e.g. polar-mcp connections add ... < token.txt")
	}
	return strings.TrimSpace(line), nil
}

func newConnectionsListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the connections (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd, func(ctx context.Context, svc *tenants.Service, _ *connections.Store) error {
				list, err := svc.List(ctx)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), map[string]any{"connections": list})
				}
				tenants.WriteList(cmd.OutOrStdout(), list)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newConnectionsShowCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a connection (never its token or signing secret)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd, func(ctx context.Context, svc *tenants.Service, _ *connections.Store) error {
				c, err := svc.Get(ctx, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(cmd.OutOrStdout(), map[string]any{"connection": c})
				}
				tenants.WriteConnection(cmd.OutOrStdout(), c)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newConnectionsCheckCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check ID",
		Short: "Check a connection's token with Polar again and record its scopes and organization",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd, func(ctx context.Context, svc *tenants.Service, _ *connections.Store) error {
				res, err := svc.Check(ctx, args[0])
				var missing *tenants.MissingScopesError
				if err != nil && !errors.As(err, &missing) {
					return err
				}
				tenants.WriteConnection(cmd.OutOrStdout(), res.Connection)
				for _, w := range res.Warnings {
					fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
				}
				return err
			})
		},
	}
}

func newConnectionsRotateSecretCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rotate-secret ID",
		Short: "Give a connection a new signing secret (tokens signed with the old one stop working)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd, func(ctx context.Context, svc *tenants.Service, _ *connections.Store) error {
				secret, err := svc.RotateSecret(ctx, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "connection id:  %s\nsigning secret: %s\n", args[0], secret.Reveal())
				fmt.Fprintln(cmd.OutOrStdout(), "The new signing secret is shown only now; caller tokens signed with the old one are refused.")
				return nil
			})
		},
	}
}

// newConnectionsStateCmd is disable or enable.
func newConnectionsStateCmd(verb string) *cobra.Command {
	short := "Stop serving a connection at once (its data is kept; enable serves it again)"
	if verb == "enable" {
		short = "Serve a disabled connection again"
	}
	return &cobra.Command{
		Use:   verb + " ID",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd, func(ctx context.Context, svc *tenants.Service, _ *connections.Store) error {
				change := svc.Disable
				if verb == "enable" {
					change = svc.Enable
				}
				c, err := change(ctx, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %q: %sd\n", c.ID, c.Name, verb)
				return nil
			})
		},
	}
}

func newConnectionsRemoveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remove ID",
		Short: "Delete a connection and its encrypted token and signing secret (asks first, unless --yes)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := confirmRemove(cmd, args[0]); err != nil {
				return err
			}
			return withStore(cmd, func(ctx context.Context, svc *tenants.Service, _ *connections.Store) error {
				if err := svc.Remove(ctx, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s: removed\n", args[0])
				return nil
			})
		},
	}
	cmd.Flags().Bool("yes", false, "remove without asking")
	return cmd
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
