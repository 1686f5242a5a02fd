package fakepolar_test

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"

	polarmcp "github.com/polar-mcp/polar-mcp"
	"github.com/polar-mcp/polar-mcp/polar/fakepolar"
)

// The fake serves the embedded demo organization; point any Polar client
// at it with fakepolar.DemoToken.
func ExampleNew() {
	fixtures, _ := fs.Sub(polarmcp.DemoFixtures, "testdata/demo")
	fake, err := fakepolar.New(fixtures, fakepolar.Options{})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	req, _ := http.NewRequest("GET", srv.URL+"/v1/customers/?email=frank.miller@example.com", nil)
	req.Header.Set("Authorization", "Bearer "+fakepolar.DemoToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, strings.Contains(string(body), `"email":"Frank.Miller@Example.com"`))
	fmt.Println(fake.RequestCount())
	// Output:
	// 200 true
	// 1
}
