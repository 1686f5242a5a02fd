package fakepolar

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Demo members (fixtures/demo/members.json) and the team subscription.
const (
	ownerMemberID   = "ae000000-0001-4000-8001-000000000001"
	billingMemberID = "ae000000-0001-4000-8002-000000000002"
	kenMemberID     = "ae000000-0001-4000-8003-000000000003"
	teamSubID       = "51000000-0001-4000-8004-000000000004"
)

// sessionStatus is the status of a customer session created with only a
// customer id: 422 for the demo's team customer (the member model is on
// there), 201 otherwise.
func sessionStatus(orgID, id string) int {
	if orgID == demoOrgID && id == teamID {
		return http.StatusUnprocessableEntity
	}
	return http.StatusCreated
}

// memberCalls lists the member and seat operations on the demo fixtures.
func memberCalls() []call {
	get := func(template, path string, status int) call {
		return call{http.MethodGet, template, path, "", status}
	}
	session := func(body string, status int) call {
		return call{http.MethodPost, "/v1/customer-sessions/", "/v1/customer-sessions/", body, status}
	}
	const members, member, memberExt, seats = "/v1/members/", "/v1/customers/{id}/members/{member_id}",
		"/v1/customers/external/{external_id}/members/{member_external_id}", "/v1/customer-seats"
	return []call{
		get(members, members, 200),
		get(members, members+"?limit=100&page=1", 200),
		get(members, members+"?limit=2&page=3&sorting=created_at", 200),
		get(members, members+"?customer_id="+teamID, 200),
		get(members, members+"?customer_id="+unknownUUID, 200),
		get(members, members+"?external_customer_id=org_acme&role=billing_manager", 200),
		get(members, members+"?role=boss", 422),
		get(members, members+"?limit=101", 422),
		get(members, members+"?sorting=email", 422),
		get(member, "/v1/customers/"+teamID+"/members/"+ownerMemberID, 200),
		get(member, "/v1/customers/"+teamID+"/members/"+unknownUUID, 404),
		get(member, "/v1/customers/"+aliceID+"/members/"+ownerMemberID, 404),
		get(member, "/v1/customers/"+teamID+"/members/not-a-uuid", 422),
		get(memberExt, "/v1/customers/external/org_acme/members/usr_acme_ken", 200),
		get(memberExt, "/v1/customers/external/org_acme/members/usr_1001", 404),
		get(memberExt, "/v1/customers/external/no-such-team/members/usr_acme_ken", 404),
		get(seats, seats+"?subscription_id="+teamSubID, 200),
		get(seats, seats+"?subscription_id=not-a-uuid", 422),
		session(`{"customer_id":"`+teamID+`","member_id":"`+ownerMemberID+`"}`, 201),
		session(`{"customer_id":"`+teamID+`","member_id":"`+kenMemberID+`","return_url":"https://example.com/a"}`, 201),
		session(`{"customer_id":"`+teamID+`","external_member_id":"usr_acme_omar"}`, 201),
		session(`{"external_customer_id":"org_acme","member_id":"`+billingMemberID+`"}`, 201),
		session(`{"external_customer_id":"org_acme"}`, 422),
		session(`{"customer_id":"`+teamID+`","member_id":null}`, 422),
		session(`{"customer_id":"`+aliceID+`","member_id":"`+kenMemberID+`"}`, 422),
		session(`{"customer_id":"`+teamID+`","external_member_id":"usr_1001"}`, 422),
		session(`{"customer_id":"`+teamID+`","member_id":"not-a-uuid"}`, 422),
	}
}

// TestTeamSessionNeedsMember: Polar refuses a team customer's session
// without a member, with its own words, and accepts one for any member of
// that team (and of no other customer).
func TestTeamSessionNeedsMember(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	r := do(t, http.MethodPost, hs.URL+"/v1/customer-sessions/", DemoToken, `{"customer_id":"`+teamID+`"}`)
	if r.status != 422 || !strings.Contains(string(r.raw), `"msg":"member_id is required for team customers."`) ||
		!strings.Contains(string(r.raw), `"loc":["body","member_id"]`) {
		t.Fatalf("team session without member: %d %s", r.status, r.raw)
	}
	r = do(t, http.MethodPost, hs.URL+"/v1/customer-sessions/", DemoToken, `{"customer_id":"`+aliceID+`"}`)
	if r.status != 201 {
		t.Fatalf("individual session (owner fallback): %d %s", r.status, r.raw)
	}
}

// TestMembersListPagesAndFilters: /v1/members/ pages through every member
// and filters by customer, external customer id and role.
func TestMembersListPagesAndFilters(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	type page struct {
		Items []struct {
			ID         string `json:"id"`
			CustomerID string `json:"customer_id"`
		} `json:"items"`
		Pagination struct {
			TotalCount int `json:"total_count"`
			MaxPage    int `json:"max_page"`
		} `json:"pagination"`
	}
	get := func(q string) page {
		r := do(t, http.MethodGet, hs.URL+"/v1/members/"+q, DemoToken, "")
		if r.status != 200 {
			t.Fatalf("%s: %d %s", q, r.status, r.raw)
		}
		var p page
		if err := json.Unmarshal(r.raw, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	all := get("?limit=100")
	if all.Pagination.TotalCount != len(all.Items) || len(all.Items) != 6+demoCustomers-1 {
		t.Fatalf("members: %d items of %d; want 6 team members and one owner per individual customer",
			len(all.Items), all.Pagination.TotalCount)
	}
	seen := 0
	for p := 1; p <= 4; p++ {
		pg := get("?limit=7&page=" + strconv.Itoa(p))
		seen += len(pg.Items)
		if pg.Pagination.MaxPage != 4 {
			t.Fatalf("max_page %d, want 4", pg.Pagination.MaxPage)
		}
	}
	if seen != len(all.Items) {
		t.Fatalf("pages held %d members, want %d", seen, len(all.Items))
	}
	if team := get("?customer_id=" + teamID); team.Pagination.TotalCount != 6 {
		t.Fatalf("team members: %d, want 6", team.Pagination.TotalCount)
	}
	if bm := get("?external_customer_id=org_acme&role=billing_manager"); bm.Pagination.TotalCount != 1 {
		t.Fatalf("billing managers: %d, want 1", bm.Pagination.TotalCount)
	}
}

// TestCustomerSeatsList: the team subscription's seats, every status, and
// the seats still free.
func TestCustomerSeatsList(t *testing.T) {
	_, hs := newTestServer(t, demoFS(t), Options{})
	r := do(t, http.MethodGet, hs.URL+"/v1/customer-seats?subscription_id="+teamSubID, DemoToken, "")
	var body struct {
		Seats []struct {
			Status string `json:"status"`
		} `json:"seats"`
		Available int `json:"available_seats"`
		Total     int `json:"total_seats"`
	}
	if err := json.Unmarshal(r.raw, &body); err != nil || r.status != 200 {
		t.Fatalf("%d %s %v", r.status, r.raw, err)
	}
	count := map[string]int{}
	for _, s := range body.Seats {
		count[s.Status]++
	}
	if count["claimed"] != 3 || count["pending"] != 1 || count["revoked"] != 1 || body.Total != 12 || body.Available != 8 {
		t.Fatalf("seats %v, %d of %d available", count, body.Available, body.Total)
	}
}

// TestMemberWebhooksMatchTheirSchemas: adding a member and changing its
// email send member.created and member.updated with Polar's payloads.
func TestMemberWebhooksMatchTheirSchemas(t *testing.T) {
	c := loadContract(t)
	rc := &receiver{secret: "polar_whs_test_secret", verified: map[string][]byte{}}
	hook := newHTTPServer(t, rc)
	s, _ := newTestServer(t, demoFS(t), Options{Webhook: Webhook{URL: hook.URL, Secret: rc.secret, RetryDelay: time.Millisecond}})
	m, err := s.AddMember(teamID, "new.hire@acme.example", "member")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateMemberEmail(m["id"].(string), "new.name@acme.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddMember(teamID, "x@acme.example", "admin"); err == nil {
		t.Error("a member with an unknown role was added")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := s.WaitWebhookDeliveries(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, typ := range []string{"member.created", "member.updated"} {
		if got[i].Type != typ || !got[i].Delivered {
			t.Fatalf("delivery %d: %+v", i, got[i])
		}
		c.validate(t, webhookSchema(t, c, typ), typ, got[i].Body)
	}
}
