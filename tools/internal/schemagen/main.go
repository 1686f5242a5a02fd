// Command schemagen writes tools/schemas_gen.go, every tool's input and
// output schemas built by reflection, which the tools take at start
// instead of building them. go generate ./tools runs it in tools/.
package main

import (
	"fmt"
	"os"

	"github.com/polar-mcp/polar-mcp/tools"
)

func main() {
	src, err := tools.SchemasSource()
	if err == nil {
		err = os.WriteFile("schemas_gen.go", src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}
