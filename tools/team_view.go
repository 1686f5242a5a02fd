package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/polar-mcp/polar-mcp/polar"
)

// TeamView is the caller's membership of a team customer. It never names
// another member.
type TeamView struct {
	Team string    `json:"team"`
	Role string    `json:"role" jsonschema:"owner, billing_manager or member"`
	Seat *SeatView `json:"seat,omitempty"`
	// Answered is true for the team this answer is about; false for a
	// team the caller also belongs to.
	Answered bool `json:"answered"`
}

// SeatView is the caller's own seat on a team's plan.
type SeatView struct {
	Status string `json:"status" jsonschema:"pending, claimed or revoked"`
	// InvitationExpiresAt is when a pending seat's invitation expires.
	InvitationExpiresAt *time.Time `json:"invitation_expires_at,omitempty"`
	ClaimedAt           *time.Time `json:"claimed_at,omitempty"`
	RevokedAt           *time.Time `json:"revoked_at,omitempty"`
}

// roleWords names a member role.
func roleWords(role string) string {
	switch role {
	case polar.RoleOwner:
		return "owner"
	case polar.RoleBillingManager:
		return "billing manager"
	case polar.RoleMember:
		return "member"
	}
	return "member (" + clean(role) + ")"
}

// onlyManagers says what a plain member cannot do, and who can.
const onlyManagers = "Only the team's owner or a billing manager can cancel or change the plan or its seats, " +
	"update the payment method, or see the team's orders and invoices; please ask them."

// describeOthers adds the teams of t.teams to s.
func (t *target) describeOthers(s *Subject) {
	for _, m := range t.teams {
		s.Teams = append(s.Teams, TeamView{Team: "another team", Role: clean(m.Role)})
	}
}

// lookTeams finds, through the member index, the teams an individual
// customer is also a member of.
func (t *target) lookTeams(ctx context.Context) {
	idx, ok := t.client.(memberIndex)
	if !ok || t.customer == nil || t.email == "" || t.member != nil {
		return
	}
	found, err := idx.FindMembersByEmail(ctx, t.email)
	if err != nil {
		return // the answer stands without them
	}
	for _, m := range found {
		if m.CustomerID != t.customer.ID {
			t.teams = append(t.teams, m)
		}
	}
}

// teamBenefits adds the caller's own grants on the teams they also
// belong to (an individual customer holding a team seat).
func teamBenefits(ctx context.Context, f format, t *target) (string, []BenefitView) {
	var lines []string
	var all []BenefitView
	for _, m := range t.teams {
		tt := &target{email: t.email, client: t.client, member: &m}
		ga, err := grantsWithNames(ctx, tt)
		if err == nil {
			err = tt.check(&ga.state.Customer)
		}
		if err == nil {
			err = ownOnly(ctx, tt, ga)
		}
		var keys map[string]*polar.LicenseKey
		if err == nil {
			keys, _, err = licenseDetails(ctx, tt, ga.state.GrantedBenefits)
		}
		if err != nil || len(ga.state.GrantedBenefits) == 0 {
			continue
		}
		views := benefitViews(f, ga.state, ga.names, keys)
		all = append(all, views...)
		parts := make([]string, 0, len(views))
		for _, v := range views {
			parts = append(parts, "- "+v.Name+": "+v.Detail)
		}
		lines = append(lines, fmt.Sprintf("From your seat on the team account %s:\n%s", tt.teamName(), strings.Join(parts, "\n")))
	}
	if len(lines) == 0 {
		return "", nil
	}
	return "\n" + strings.Join(lines, "\n"), all
}

// describeTeams fills the Subject's teams from what the target knows.
func (t *target) describeTeams(s *Subject) {
	if t.member != nil {
		s.Teams = append(s.Teams, TeamView{Team: t.teamName(), Role: clean(t.member.Role), Answered: true})
	}
	t.describeOthers(s)
}

// asRole is "the owner", "a billing manager" or "a member".
func asRole(role string) string {
	if role == polar.RoleOwner {
		return "the owner"
	}
	return "a " + roleWords(role)
}

// teamIntro is the first line of an answer about a team account.
func (t *target) teamIntro() string {
	if t.member == nil {
		return ""
	}
	if name := t.teamName(); name != "your team" {
		return fmt.Sprintf("This is the team account %s, where you are %s.", name, asRole(t.member.Role))
	}
	return fmt.Sprintf("This is your team's account, where you are %s.", asRole(t.member.Role))
}

// mySeat returns the caller's seat among a subscription's seats.
func mySeat(seats *polar.Seats, memberID string) *SeatView {
	if seats == nil {
		return nil
	}
	var found *SeatView
	for _, s := range seats.Seats {
		if s.MemberID == nil || *s.MemberID != memberID {
			continue
		}
		v := &SeatView{Status: clean(s.Status), InvitationExpiresAt: instant(s.InvitationExpiresAt),
			ClaimedAt: instant(s.ClaimedAt), RevokedAt: instant(s.RevokedAt)}
		// A live seat wins over an old revoked one.
		if found == nil || found.Status == "revoked" {
			found = v
		}
	}
	return found
}

// seatText says what the caller's own seat is.
func seatText(f format, v *SeatView) string {
	switch {
	case v == nil:
		return "You hold no seat on this plan."
	case v.Status == "claimed":
		if v.ClaimedAt != nil {
			return "Your seat is active (claimed " + f.day(v.ClaimedAt) + ")."
		}
		return "Your seat is active."
	case v.Status == "pending":
		text := "Your seat is waiting for you: accept the invitation email to claim it"
		if v.InvitationExpiresAt != nil {
			text += " before the invitation expires on " + f.day(v.InvitationExpiresAt)
		}
		return text + ". If it expired or never arrived, ask the team's owner or a billing manager to send it again."
	case v.Status == "revoked":
		text := "Your seat was revoked"
		if v.RevokedAt != nil {
			text += " on " + f.day(v.RevokedAt)
		}
		return text + "; ask the team's owner or a billing manager if you need it back."
	}
	return "Your seat's status is " + v.Status + "."
}

// seatCounts summarizes a team's seats for its owner and billing
// managers, without naming anyone.
func seatCounts(seats *polar.Seats) string {
	n := map[string]int{}
	for _, s := range seats.Seats {
		n[s.Status]++
	}
	parts := []string{fmt.Sprintf("%d claimed", n["claimed"])}
	if n["pending"] > 0 {
		parts = append(parts, fmt.Sprintf("%d invitation(s) pending", n["pending"]))
	}
	parts = append(parts, fmt.Sprintf("%d free", seats.Available))
	return fmt.Sprintf("Seats: %d in total, %s.", seats.Total, strings.Join(parts, ", "))
}

// seatFacts looks up the seats of a team's seat-based subscriptions: the
// caller's own seat, and each plan's seat counts (for those who may see
// them).
func seatFacts(ctx context.Context, t *target, m *polar.Member, subs []polar.Subscription) (own *SeatView, counts []string, known bool) {
	ms, ok := membersOf(t.client)
	if !ok {
		return nil, nil, false
	}
	for _, s := range subs {
		if s.Seats == nil || s.Status == "canceled" {
			continue
		}
		seats, err := ms.SubscriptionSeats(ctx, s.ID)
		if err != nil {
			continue // the plan is still shown; the seat is not known
		}
		known = true
		if v := mySeat(seats, m.ID); v != nil {
			own = v
		}
		counts = append(counts, planName(s)+": "+seatCounts(seats))
	}
	return own, counts, known
}

// setSeat records the answered team's seat in the Subject.
func setSeat(s *Subject, own *SeatView) {
	for i := range s.Teams {
		if s.Teams[i].Answered {
			s.Teams[i].Seat = own
		}
	}
}

// teamSeats adds, for a team account, the caller's own seat (and, for its
// owner and billing managers, the seat counts) on each seat-based
// subscription, to the views and the text.
func teamSeats(ctx context.Context, f format, t *target, subs []polar.Subscription, out *SubscriptionStatusOutput) string {
	if t.member == nil {
		return ""
	}
	lines := []string{t.teamIntro()}
	own, counts, known := seatFacts(ctx, t, t.member, subs)
	if t.member.Manages() {
		lines = append(lines, counts...)
	}
	if known {
		// Nothing is said of a seat no seat list could show.
		lines = append(lines, seatText(f, own))
	}
	setSeat(&out.Subject, own)
	if !t.member.Manages() {
		lines = append(lines, onlyManagers)
	}
	return "\n" + strings.Join(lines, "\n")
}

// agentTeam is what an agent is told about a member of a team: the team,
// the member's role and own seat, and the team's seats.
func agentTeam(ctx context.Context, f format, t *target, subs []polar.Subscription, s *Subject) string {
	if t.member == nil {
		return ""
	}
	own, counts, known := seatFacts(ctx, t, t.member, subs)
	setSeat(s, own)
	line := fmt.Sprintf("\nTeam account %s: this email is its %s", t.teamName(), roleWords(t.member.Role))
	switch {
	case !known:
	case own == nil:
		line += "; holds no seat"
	case own.Status == "pending":
		line += "; seat pending (invitation not accepted"
		if own.InvitationExpiresAt != nil {
			line += ", expires " + f.day(own.InvitationExpiresAt)
		}
		line += ")"
	case own.Status == "revoked":
		line += "; seat revoked"
		if own.RevokedAt != nil {
			line += " " + f.day(own.RevokedAt)
		}
	default:
		line += "; seat " + own.Status
		if own.ClaimedAt != nil {
			line += " since " + f.day(own.ClaimedAt)
		}
	}
	line += "."
	if len(counts) > 0 {
		line += " " + strings.Join(counts, " ")
	}
	if !t.member.Manages() {
		line += " Orders, invoices and plan changes are for the team's owner and billing managers."
	}
	return line
}

// otherTeams tells a customer the teams they also hold a seat on (an
// individual customer who is also a member of a team): the team's plan
// and their own seat, never the team's billing.
func otherTeams(ctx context.Context, f format, t *target, out *SubscriptionStatusOutput) string {
	ms, ok := membersOf(t.client)
	if ok && len(out.Subscriptions) == 0 && len(t.teams) == 0 {
		// "No subscriptions" may be wrong for someone who holds a team
		// seat: ask the member index (listed once for the organization).
		t.lookTeams(ctx)
		t.describeOthers(&out.Subject)
	}
	if !ok || len(t.teams) == 0 {
		return ""
	}
	var lines []string
	for i, m := range t.teams {
		subs, err := t.client.ListSubscriptions(ctx, polar.ByID(m.CustomerID))
		if err != nil {
			continue
		}
		name := "a team"
		var own *SeatView
		var plans []string
		known := false
		for _, s := range subs {
			if s.Customer == nil || s.Customer.ID != m.CustomerID || s.Status == "canceled" {
				continue
			}
			if clean(s.Customer.Name) != "" {
				name = clean(s.Customer.Name)
			}
			if s.Seats == nil {
				continue
			}
			seats, err := ms.SubscriptionSeats(ctx, s.ID)
			if err != nil {
				continue
			}
			known = true
			if v := mySeat(seats, m.ID); v != nil {
				own = v
				plans = append(plans, planName(s)+" ("+strings.ReplaceAll(s.Status, "_", " ")+")")
			}
		}
		if idx := len(out.Teams) - len(t.teams) + i; idx >= 0 && idx < len(out.Teams) {
			out.Teams[idx].Team, out.Teams[idx].Seat = name, own
		}
		line := fmt.Sprintf("You are also %s of the team account %s", asRole(m.Role), name)
		if len(plans) > 0 {
			line += ", on its " + strings.Join(plans, ", ") + " plan"
		}
		line += "."
		if known {
			line += " " + seatText(f, own)
		}
		lines = append(lines, line+" The team's owner or a billing manager manages that plan.")
	}
	if len(lines) == 0 {
		return ""
	}
	return "\n" + strings.Join(lines, "\n")
}
