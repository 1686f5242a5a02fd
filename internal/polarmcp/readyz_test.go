package polarmcp

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/polar-mcp/polar-mcp/config"
	"github.com/polar-mcp/polar-mcp/internal/fakepolar"
	"github.com/polar-mcp/polar-mcp/internal/identity"
	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
	"github.com/polar-mcp/polar-mcp/tools"
)

// readyzBody fetches a /readyz answer with key as bearer (unless "").
func readyzBody(t *testing.T, url, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// The public /readyz says whether the server is ready and how its budget
// is shared, and names no connection and no organization; the admin key
// and the metrics listener get the details, which do.
func TestReadyzNamesNoTenantWithoutTheAdminKey(t *testing.T) {
	const tokA, tokB = "polar_oat_readyz_conn_a_5ecret", "polar_oat_readyz_conn_b_5ecret"
	fake, polarURL, _ := liveFake(t, map[string][]string{tokA: fakepolar.AllScopes(), tokB: fakepolar.AllScopes()}, connWebhookSecret)
	cfg, conns := newStore(t, fake.OrganizationID(), connWebhookSecret, tokA, tokB)
	adminKey := strings.Repeat("readyz-admin-key-", 3)
	cfg.ServerURL, cfg.AdminKey = polarURL, adminKey
	base, detailed := serveReady(t, cfg)
	for _, c := range conns { // both connections get served
		res := callSigned(t, base+"/c/"+c.id, string(c.secret),
			identity.Claims{Role: caller.Customer, Email: "alice@example.com", EmailVerified: true, Audience: c.id},
			tools.NameSubscriptionStatus, nil)
		if res.IsError {
			t.Fatalf("call on %s: %+v", c.id, res.Content)
		}
	}
	secrets := append([]string{fake.OrganizationID()}, conns[0].id, conns[1].id)
	for _, anon := range []string{"", "not-the-admin-key-" + adminKey, conns[0].agentToken(t)} {
		code, body := readyzBody(t, base+"/readyz", anon)
		if code != http.StatusOK || !strings.Contains(body, `"status":"ready"`) {
			t.Fatalf("public /readyz: %d %s", code, body)
		}
		for _, s := range secrets {
			if strings.Contains(body, s) {
				t.Errorf("public /readyz (bearer %.8q…) names %s: %s", anon, s, body)
			}
		}
	}
	for name, fetch := range map[string]func() (int, string){
		"admin key":        func() (int, string) { return readyzBody(t, base+"/readyz", adminKey) },
		"metrics listener": func() (int, string) { return readyzBody(t, detailed, "") },
	} {
		code, body := fetch()
		var got struct {
			Details struct {
				Webhooks []struct {
					Connection   string `json:"connection"`
					Organization string `json:"organization"`
				} `json:"webhooks"`
			} `json:"details"`
		}
		if err := json.Unmarshal([]byte(body), &got); code != http.StatusOK || err != nil || len(got.Details.Webhooks) != 2 {
			t.Errorf("%s: %d %s, want both connections", name, code, body)
			continue
		}
		for _, h := range got.Details.Webhooks {
			if h.Organization != fake.OrganizationID() || (h.Connection != conns[0].id && h.Connection != conns[1].id) {
				t.Errorf("%s: %+v", name, h)
			}
		}
	}
}

// While the single merchant's organization cannot be learned, /readyz
// says so (publicly, without ids), polarmcp_degraded{reason=
// "organization_unknown"} is 1, and the log says it once, however many
// times the server tries again.
func TestReadyzTellsWhenTheOrganizationIsUnknown(t *testing.T) {
	fake, ts := demoAPI(t)
	fake.InjectFault(fakepolar.Fault{Path: "/v1/", Status: http.StatusNotFound}) // a proxy that knows no Polar path
	logs := &syncBuffer{}
	base, metrics := serveObserved(t, logs, func(c *config.Config) {
		c.Demo, c.AccessToken, c.ServerURL, c.WebhookSecret = false, fakepolar.DemoToken, ts.URL, testWebhookSecret
	})
	time.Sleep(3500 * time.Millisecond) // the first probe, and retries after 1 s and 2 s
	code, body := readyzBody(t, base+"/readyz", "")
	if code != http.StatusOK || !strings.Contains(body, `"organization":"unknown`) {
		t.Errorf("/readyz: %d %s, want it to say the organization is unknown", code, body)
	}
	if strings.Contains(body, "shared through redis") {
		t.Errorf("/readyz claims sharing: %s", body)
	}
	if _, scrape := fetchText(t, metrics+"/metrics"); !strings.Contains(scrape, `polarmcp_degraded{reason="organization_unknown"} 1`) {
		t.Error(`the scrape lacks polarmcp_degraded{reason="organization_unknown"} 1`)
	}
	if n := strings.Count(logs.String(), "organization not known yet"); n != 1 {
		t.Errorf("the log says the organization is unknown %d times, want once:\n%s", n, logs.String())
	}
}
