package main

import (
	"strings"
	"testing"
)

func TestConnectionsSetWebhookSecret(t *testing.T) {
	eachBackend(t, func(t *testing.T, db backend) {
		orgs := newTwoOrgs(t)
		multiEnv(t, db, orgs.url, newMasterKey(t, "k1"))
		var tr transcript
		a := tr.add(t, orgs.northwind, "Northwind", "sandbox")
		id := a.Connection.ID
		const secret = "polar_whs_cli0123456789abcdef012345"

		if r := tr.cli("", "connections", "show", id); r.code != 0 || !strings.Contains(r.stdout, "no secret") {
			t.Fatalf("show before: exit %d %s", r.code, r.stdout)
		}
		if r := tr.cli("", "connections", "set-webhook-secret", id); r.code != exitUsage || !strings.Contains(r.stderr, "stdin") {
			t.Errorf("no secret on stdin: exit %d %s", r.code, r.stderr)
		}
		r := tr.cli(secret+"\n", "connections", "set-webhook-secret", id)
		if r.code != 0 || !strings.Contains(r.stdout, "secret set") {
			t.Fatalf("set: exit %d %s %s", r.code, r.stdout, r.stderr)
		}
		if r := tr.cli("", "connections", "show", id, "--json"); r.code != 0 || !strings.Contains(r.stdout, `"webhook_secret_set": true`) {
			t.Fatalf("show --json: exit %d %s", r.code, r.stdout)
		}
		if r := tr.cli("", "connections", "set-webhook-secret", "conn_0000000000000000", "--remove"); r.code == 0 {
			t.Errorf("unknown connection: exit 0")
		}
		if r := tr.cli("", "connections", "set-webhook-secret", id, "--remove"); r.code != 0 || !strings.Contains(r.stdout, "no secret") {
			t.Errorf("remove: exit %d %s", r.code, r.stdout)
		}
		if strings.Contains(tr.String(), secret) {
			t.Error("the webhook secret was printed")
		}
	})
}
