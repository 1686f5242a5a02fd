package tools_test

import (
	"fmt"
	"testing"

	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/testkit"
	"github.com/polar-mcp/polar-mcp/tools"
)

func TestZZScratch(t *testing.T) {
	e := newEnv(t, envOptions{fixtures: fakepolar.OtherFS()})
	for _, em := range []string{"rosa@example.net", "theo@example.net", "uma@example.net"} {
		for _, tool := range []string{tools.NameSubscriptionStatus, tools.NameOrderHistory, tools.NameBenefits} {
			fmt.Println("==", em, tool, "customer\n"+testkit.Text(e.call(t, customer(em), tool, nil)))
			fmt.Println("==", em, tool, "agent\n"+testkit.Text(e.call(t, agent(), tool, map[string]any{"email": em})))
		}
		fmt.Println("== insights\n" + testkit.Text(e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": em})))
		fmt.Println(jsonString(t, e.call(t, agent(), tools.NameVisitorInsights, map[string]any{"email": em}).StructuredContent))
	}
	fmt.Println(testkit.Text(e.call(t, nil, tools.NameProducts, nil)))
	d := newEnv(t, envOptions{})
	fmt.Println(testkit.Text(d.call(t, nil, tools.NameProducts, nil)))
	fmt.Println(testkit.Text(d.call(t, agent(), tools.NameOrderHistory, map[string]any{"email": "metered@example.com"})))
	fmt.Println(testkit.Text(d.call(t, agent(), tools.NameManageSubscription, map[string]any{"email": "metered@example.com", "action": "cancel"})))
}
