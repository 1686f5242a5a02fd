package main

import (
	"strings"
	"testing"
)

func TestConnectionsSetRateLimit(t *testing.T) {
	eachBackend(t, func(t *testing.T, db backend) {
		orgs := newTwoOrgs(t)
		multiEnv(t, db, orgs.url, newMasterKey(t, "k1"))
		var tr transcript
		id := tr.add(t, orgs.northwind, "Northwind", "sandbox").Connection.ID

		if r := tr.cli("", "connections", "show", id); r.code != 0 || !strings.Contains(r.stdout, "the server's") {
			t.Fatalf("show before: exit %d %s", r.code, r.stdout)
		}
		if r := tr.cli("", "connections", "set-rate-limit", id, "120"); r.code != 0 || !strings.Contains(r.stdout, "120 requests per minute") {
			t.Fatalf("set: exit %d %s %s", r.code, r.stdout, r.stderr)
		}
		if r := tr.cli("", "connections", "show", id, "--json"); r.code != 0 || !strings.Contains(r.stdout, `"rate_limit": 120`) {
			t.Fatalf("show --json: exit %d %s", r.code, r.stdout)
		}
		for _, bad := range []string{"-1", "ten", "1000000"} {
			if r := tr.cli("", "connections", "set-rate-limit", id, bad); r.code == 0 {
				t.Errorf("set-rate-limit %s: exit 0", bad)
			}
		}
		if r := tr.cli("", "connections", "set-rate-limit", id, "0"); r.code != 0 || !strings.Contains(r.stdout, "the server's") {
			t.Errorf("back to the server's: exit %d %s", r.code, r.stdout)
		}
	})
}
