package connections_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/polar-mcp/polar-mcp/internal/tenants/connections"
	"github.com/polar-mcp/polar-mcp/internal/tenants/keyring"
)

func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "polar-mcp")
	defer os.RemoveAll(dir)

	// The master key comes from POLAR_MCP_MASTER_KEY or a key file.
	key, _ := keyring.GenerateKey()
	ring, err := keyring.Load(key, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	store, err := connections.Open(ctx, filepath.Join(dir, "connections.db"), ring)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()

	// connections add: the CLI has already asked Polar which
	// organization the token belongs to and which scopes work.
	c, signingSecret, err := store.Create(ctx, connections.NewConnection{
		Environment:  connections.Sandbox,
		Token:        "polar_oat_0123456789abcdefghijklmnop3f9c",
		Organization: connections.Organization{ID: "org_1", Name: "Northwind Cloud"},
		Scopes:       []string{"orders:read", "customers:read"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Name, c.Environment, c.TokenHint, c.Scopes)
	fmt.Println("signing secret:", signingSecret, len(signingSecret.Reveal()))

	// The server, for each request to this connection.
	creds, err := store.Credentials(ctx, c.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(creds.Token.Reveal()[:10], creds.SigningSecret == signingSecret)
	// Output:
	// Northwind Cloud sandbox polar_oat_…3f9c [customers:read orders:read]
	// signing secret: [REDACTED] 43
	// polar_oat_ true
}
