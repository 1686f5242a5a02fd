package tools_test

import (
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/internal/panel"
	"github.com/polar-mcp/polar-mcp/tools"
)

// insightsApp is the app the composition root passes: panel's card.
func insightsApp() *tools.App {
	return &tools.App{URI: panel.AppURI, Name: panel.AppName, MIMEType: panel.AppMIMEType, HTML: panel.AppHTML}
}

// An agent's MCP client sees the insights card as an MCP App: the
// resources capability, the ui:// resource in resources/list, its HTML in
// resources/read, and get_visitor_insights's _meta.ui.resourceUri.
func TestAgentsGetTheInsightsApp(t *testing.T) {
	e := newEnv(t, envOptions{})
	c, ctx := e.session(t, agent())
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "host", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatal(err)
	}
	if res.Capabilities.Resources == nil {
		t.Error("the resources capability is not advertised")
	}
	list, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Resources) != 1 || list.Resources[0].URI != panel.AppURI || list.Resources[0].MIMEType != panel.AppMIMEType {
		t.Fatalf("resources/list = %+v, want %s (%s)", list.Resources, panel.AppURI, panel.AppMIMEType)
	}
	read := mcp.ReadResourceRequest{}
	read.Params.URI = panel.AppURI
	got, err := c.ReadResource(ctx, read)
	if err != nil {
		t.Fatal(err)
	}
	text, ok := got.Contents[0].(mcp.TextResourceContents)
	if len(got.Contents) != 1 || !ok || text.MIMEType != panel.AppMIMEType || text.Text != panel.AppHTML() {
		t.Fatalf("resources/read did not return the card's HTML: %+v", got.Contents)
	}

	var insights *mcp.Tool
	for _, tl := range e.list(t, agent()) {
		if tl.Name == tools.NameVisitorInsights {
			insights = &tl
		}
	}
	if insights == nil || insights.Meta == nil {
		t.Fatalf("get_visitor_insights has no _meta: %+v", insights)
	}
	ui, _ := insights.Meta.AdditionalFields["ui"].(map[string]any)
	if ui["resourceUri"] != panel.AppURI || insights.Meta.AdditionalFields["ui/resourceUri"] != panel.AppURI {
		t.Errorf("get_visitor_insights _meta = %v, want ui.resourceUri and ui/resourceUri = %s", insights.Meta.AdditionalFields, panel.AppURI)
	}
}

// Customers never see the agents' card: it is not listed, and reading it
// answers as for a resource that does not exist.
func TestCustomersNeitherListNorReadTheApp(t *testing.T) {
	e := newEnv(t, envOptions{})
	for name, id := range map[string]*caller.Identity{"customer": customer("alice@example.com"), "no identity": nil} {
		c, ctx := e.session(t, id)
		list, err := c.ListResources(ctx, mcp.ListResourcesRequest{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, r := range list.Resources {
			if r.URI == panel.AppURI {
				t.Errorf("%s: resources/list shows %s", name, r.URI)
			}
		}
		read := mcp.ReadResourceRequest{}
		read.Params.URI = panel.AppURI
		got, err := c.ReadResource(ctx, read)
		if err == nil {
			t.Errorf("%s: resources/read answered %d contents", name, len(got.Contents))
		} else if !strings.Contains(err.Error(), "not found") {
			t.Errorf("%s: refusal %q does not read as not found", name, err)
		}
	}
}
