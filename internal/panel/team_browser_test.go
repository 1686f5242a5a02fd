//go:build e2e

package panel

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCardShowsTheMembersTeam: the card of a team member shows the team,
// the role and the member's own seat (its date in the viewer's locale).
func TestCardShowsTheMembersTeam(t *testing.T) {
	ctx := browser(t)
	ins := Insights{Email: "lena@acme.example", Found: true, Name: "Acme Robotics", CustomerType: "team",
		Plan: "Team", Status: "trialing", Price: "$120.00 / month", Seats: 12,
		Subscriptions: []string{"Team: trialing"}, RecentOrders: []Order{}, ActiveBenefits: []Benefit{},
		Teams: []Team{{Team: "Acme Robotics", Role: "member", Answered: true,
			Seat: &Seat{Status: "pending", InvitationExpiresAt: "2026-11-30T10:00:00Z"}}}}
	result := map[string]any{
		"content":           []map[string]string{{"type": "text", "text": "lena@acme.example"}},
		"structuredContent": ins,
	}
	appJSON, _ := json.Marshal(AppHTML())
	resultJSON, _ := json.Marshal(result)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/host.html" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", hostCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, hostPage, appJSON, resultJSON)
	}))
	defer srv.Close()
	if err := chromedp.Do(within(t, ctx), chromedp.Navigate(srv.URL+"/host.html")); err != nil {
		t.Fatal(err)
	}
	frames, err := chromedp.Run(within(t, ctx), chromedp.Nodes(chromedp.CSS("iframe")))
	if err != nil || len(frames) != 1 {
		t.Fatalf("iframe: %v (%d)", err, len(frames))
	}
	if err := chromedp.Do(within(t, ctx), chromedp.WaitVisible(chromedp.CSS("article.card"), chromedp.FromNode(frames[0]))); err != nil {
		t.Fatalf("the card never showed: %v", err)
	}
	want := "Acme Robotics · Member · seat pending, invitation expires 30 Nov 2026"
	if got := text(t, ctx, "[data-field=team]", frames[0]); got != want {
		t.Errorf("team: %q, want %q", got, want)
	}
}
