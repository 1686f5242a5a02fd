package fakepolar_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
)

// The fake serves the embedded demo organization; point any Polar client
// at it with fakepolar.DemoToken.
func ExampleNew() {
	fake, err := fakepolar.New(fakepolar.DemoFS(), fakepolar.Options{})
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
