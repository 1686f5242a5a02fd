package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"golang.org/x/sync/errgroup"

	"github.com/polar-mcp/polar-mcp/polar"
)

// BenefitsOutput is get_benefits's structured answer.
type BenefitsOutput struct {
	Subject
	Benefits []BenefitView `json:"benefits"`
	// Inactive are the grants that give no access now: pending (on their
	// way), errored (granting failed) or revoked.
	Inactive []BenefitView `json:"inactive_benefits"`
	Notes    []string      `json:"-"` // said in the text
}

// BenefitView is one benefit grant. License keys show only Polar's
// masked display key.
type BenefitView struct {
	Name       string       `json:"name"`
	Type       string       `json:"type"`
	Status     string       `json:"status" jsonschema:"granted, pending, errored or revoked"`
	Detail     string       `json:"detail"`
	GrantedAt  *time.Time   `json:"granted_at,omitempty"`
	RevokedAt  *time.Time   `json:"revoked_at,omitempty"`
	Error      string       `json:"error_type,omitempty" jsonschema:"why granting failed, as Polar names it"`
	LicenseKey string       `json:"license_key,omitempty"`
	License    *LicenseView `json:"license,omitempty"`
	Meter      *MeterView   `json:"meter,omitempty"`
}

// Benefits is the get_benefits tool.
func Benefits(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameBenefits,
		mcp.WithDescription("The customer's benefits: license keys (masked), activations, credits, Discord, Slack, GitHub, downloads, feature flags."),
		schemas(deps, input[EmailArg](), output[BenefitsOutput]()),
		readOnly("Benefits"),
	)
	return server.ServerTool{Tool: tool, Handler: typed(deps, NameBenefits,
		func(ctx context.Context, in EmailArg) *mcp.CallToolResult {
			f := formatOf(ctx)
			newOut := func() *BenefitsOutput { return &BenefitsOutput{Benefits: []BenefitView{}, Inactive: []BenefitView{}} }
			return forCustomer(ctx, deps, NameBenefits, in.Email, newOut, func(t *target, out *BenefitsOutput) (string, error) {
				ga, err := grantsWithNames(ctx, t)
				if err == nil {
					err = t.check(&ga.state.Customer)
				}
				if err == nil && t.member != nil {
					err = ownOnly(ctx, t, ga)
				}
				var keys map[string]*polar.LicenseKey
				var keyNote string
				if err == nil {
					keys, keyNote, err = licenseDetails(ctx, t, ga.state.GrantedBenefits)
				}
				if err != nil {
					return "", err
				}
				out.Benefits = benefitViews(f, ga.state, ga.names, keys)
				out.Inactive = inactiveViews(f, ga)
				scope := ""
				if keyNote == noLicenseScope {
					scope, keyNote = keyNote, ""
				}
				out.Notes = noteList(keyNote, ga.nameNote, ga.inactiveNote)
				text := benefitText(f, *out, scope) + notes(out.Notes...) + unreadableNote(ga.unread, "benefit", "benefits")
				if len(out.Benefits) == 0 && len(t.teams) == 0 {
					// "No benefits" may be wrong for someone holding a team seat.
					t.lookTeams(ctx)
				}
				extra, views := teamBenefits(ctx, f, t)
				out.Benefits = append(out.Benefits, views...)
				return text + extra, nil
			})
		})}
}

// grants is a customer's benefits: the customer state (the core record,
// with the active grants), the organization's benefit names, and the
// grants that are not active, each enrichment with its note when it
// failed.
type grants struct {
	state        *polar.CustomerState
	names        map[string]string
	unread       int
	inactive     []polar.Grant
	nameNote     string
	inactiveNote string
}

// grantsWithNames fetches the customer state, the benefit names and the
// benefit grants list in parallel. Only the state can fail the answer.
// The state returned is a copy without the grants Polar sent in a shape
// polar-mcp cannot decode; unread counts them.
func grantsWithNames(ctx context.Context, t *target) (*grants, error) {
	var (
		ga               grants
		namesErr, allErr error
		all              []polar.Grant
	)
	ref := t.ref() // read before the goroutines start, as insights does
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		ga.state, err = t.client.CustomerState(gctx, ref)
		return err
	})
	g.Go(func() error {
		bs, err := t.client.ListBenefits(ctx)
		if err != nil {
			namesErr = err
			return nil
		}
		ga.names = make(map[string]string, len(bs))
		bs, _ = readable(bs, benefitUnreadable)
		for _, b := range bs {
			ga.names[b.ID] = clean(b.Description)
		}
		return nil
	})
	g.Go(func() error {
		all, allErr = t.client.ListBenefitGrants(ctx, ref)
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var err error
	if namesErr != nil {
		if ga.nameNote, err = t.enrichFailed(ctx, "benefits:list", namesErr, noteNames); err != nil {
			return nil, err
		}
	}
	if allErr == nil {
		allErr = checkAll(t, all, func(g polar.Grant) *polar.Customer { return g.Customer })
	}
	if allErr != nil {
		if ga.inactiveNote, err = t.enrichFailed(ctx, "benefit-grants:list", allErr, noteInactive); err != nil {
			return nil, err
		}
		all = nil
	}
	cp := *ga.state
	cp.GrantedBenefits, ga.unread = readable(cp.GrantedBenefits, grantUnreadable)
	ga.state = &cp
	ga.inactive = inactiveGrants(cp.GrantedBenefits, all)
	return &ga, nil
}

// benefitViews describes the state's grants; keys are the license keys'
// details when they could be read.
func benefitViews(f format, state *polar.CustomerState, names map[string]string, keys map[string]*polar.LicenseKey) []BenefitView {
	views := make([]BenefitView, 0, len(state.GrantedBenefits))
	for _, g := range state.GrantedBenefits {
		label, detail := describeGrant(g)
		name := names[g.BenefitID]
		if name == "" {
			name = label
		}
		v := BenefitView{Name: name, Type: clean(g.BenefitType), Status: "granted", Detail: detail, GrantedAt: instant(g.GrantedAt)}
		switch g.BenefitType {
		case "license_keys":
			v.LicenseKey = clean(g.Properties.DisplayKey)
			if k := keys[g.Properties.LicenseKeyID]; k != nil {
				v.License = licenseView(f, k)
				v.Detail += "; " + licenseLine(f, v.License)
			}
		case "meter_credit":
			for _, m := range state.ActiveMeters {
				if m.MeterID == g.Properties.LastCreditedMeterID {
					v.Meter = &MeterView{Name: name, Consumed: m.ConsumedUnits, Credited: m.CreditedUnits, Balance: m.Balance,
						Usage: usageText(f, m.ConsumedUnits, m.CreditedUnits)}
					v.Detail += "; " + creditLine(f, m)
				}
			}
		}
		views = append(views, v)
	}
	return views
}

// describeGrant gives a benefit type's label and what the customer has.
// A type Polar adds later falls through to a generic description.
func describeGrant(g polar.BenefitGrant) (label, detail string) {
	p := g.Properties
	switch g.BenefitType {
	case "license_keys":
		if k := clean(p.DisplayKey); k != "" {
			return "License key", "License key " + k + " (masked; the full key is in the customer portal)"
		}
		return "License key", "License key (see the customer portal for the key)"
	case "discord":
		return "Discord access", "Access to the Discord server; connect your Discord account in the customer portal if you haven't"
	case "github_repository":
		if p.RepositoryOwner != "" && p.RepositoryName != "" {
			return "GitHub repository", fmt.Sprintf("Access to the GitHub repository %s/%s", clean(p.RepositoryOwner), clean(p.RepositoryName)) + permission(p.Permission)
		}
		return "GitHub repository", "Access to a private GitHub repository; connect your GitHub account in the customer portal"
	case "downloadables":
		n := len(p.Files)
		if n == 0 {
			return "Downloads", "Downloadable files, available in the customer portal"
		}
		return "Downloads", fmt.Sprintf("%d downloadable file(s), available in the customer portal", n)
	case "custom":
		return "Perk", "A perk from the merchant; details are in the customer portal"
	case "meter_credit":
		return "Usage credits", "Usage credits added to your balance each billing period"
	case "feature_flag":
		return "Feature access", "A feature enabled on your account"
	case "slack_shared_channel":
		if c := clean(p.ChannelName); c != "" {
			return "Slack channel", "An invitation to the shared Slack channel #" + strings.TrimPrefix(c, "#")
		}
		return "Slack channel", "An invitation to a shared Slack channel"
	default:
		return "Benefit", "A benefit of type " + clean(g.BenefitType) + "; details are in the customer portal"
	}
}

func permission(p string) string {
	if p == "" {
		return ""
	}
	return " (" + clean(p) + " access)"
}

func benefitText(f format, out BenefitsOutput, scopeNote string) string {
	var b strings.Builder
	if len(out.Benefits) == 0 {
		fmt.Fprintf(&b, "%s has no active benefits.", out.Email)
	} else {
		b.WriteString(plural(len(out.Benefits), "active benefit", "active benefits") + ":")
	}
	for _, v := range out.Benefits {
		fmt.Fprintf(&b, "\n- %s: %s", v.Name, v.Detail)
	}
	if len(out.Inactive) > 0 {
		b.WriteString("\nNot active:")
		for _, v := range out.Inactive {
			fmt.Fprintf(&b, "\n- %s: %s", v.Name, v.Detail)
		}
	}
	if scopeNote != "" {
		b.WriteString("\n(License key " + scopeNote + ".)")
	}
	return b.String()
}

// plural writes n with the word's singular or plural ("1 active
// benefit", "4 active benefits").
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
