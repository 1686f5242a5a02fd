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
}

// BenefitView is one granted benefit. License keys show only Polar's
// masked display key.
type BenefitView struct {
	Name       string       `json:"name"`
	Type       string       `json:"type"`
	Detail     string       `json:"detail"`
	GrantedAt  *time.Time   `json:"granted_at,omitempty"`
	LicenseKey string       `json:"license_key,omitempty"`
	License    *LicenseView `json:"license,omitempty"`
	Meter      *MeterView   `json:"meter,omitempty"`
}

// Benefits is the get_benefits tool.
func Benefits(deps Deps) server.ServerTool {
	tool := mcp.NewTool(NameBenefits,
		mcp.WithDescription("The customer's granted benefits: license keys (masked; activations, usage, expiry), usage credits and balance, Discord, Slack, GitHub repos, downloads, feature flags, perks."),
		input[EmailArg](),
		output[BenefitsOutput](),
		readOnly("Benefits"),
	)
	return server.ServerTool{Tool: tool, Handler: typed(deps, NameBenefits,
		func(ctx context.Context, in EmailArg) *mcp.CallToolResult {
			f := formatOf(ctx)
			newOut := func() *BenefitsOutput { return &BenefitsOutput{Benefits: []BenefitView{}} }
			return forCustomer(ctx, deps, NameBenefits, in.Email, newOut, func(t *target, out *BenefitsOutput) (string, error) {
				state, names, unread, err := grantsWithNames(ctx, t)
				if err == nil {
					err = t.check(&state.Customer)
				}
				var keys map[string]*polar.LicenseKey
				var note string
				if err == nil {
					keys, note, err = licenseDetails(ctx, t, state.GrantedBenefits)
				}
				if err != nil {
					return "", err
				}
				out.Benefits = benefitViews(f, state, names, keys)
				return benefitText(*out, note) + unreadableNote(unread, "benefit", "benefits"), nil
			})
		})}
}

// grantsWithNames fetches the customer's granted benefits and the
// organization's benefit names in parallel. The state returned is a copy
// without the grants Polar sent in a shape polar-mcp cannot decode; unread
// counts them.
func grantsWithNames(ctx context.Context, t *target) (_ *polar.CustomerState, _ map[string]string, unread int, _ error) {
	var (
		state *polar.CustomerState
		names map[string]string
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		state, err = t.client.CustomerState(gctx, t.ref())
		return err
	})
	g.Go(func() error {
		bs, err := t.client.ListBenefits(gctx)
		if err != nil {
			return err
		}
		names = make(map[string]string, len(bs))
		bs, _ = readable(bs, benefitUnreadable)
		for _, b := range bs {
			names[b.ID] = clean(b.Description)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, nil, 0, err
	}
	cp := *state
	cp.GrantedBenefits, unread = readable(cp.GrantedBenefits, grantUnreadable)
	return &cp, names, unread, nil
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
		v := BenefitView{Name: name, Type: clean(g.BenefitType), Detail: detail, GrantedAt: instant(g.GrantedAt)}
		switch g.BenefitType {
		case "license_keys":
			v.LicenseKey = clean(g.Properties.DisplayKey)
			if k := keys[g.Properties.LicenseKeyID]; k != nil {
				v.License = licenseView(k)
				v.Detail += "; " + licenseLine(f, v.License)
			}
		case "meter_credit":
			for _, m := range state.ActiveMeters {
				if m.MeterID == g.Properties.LastCreditedMeterID {
					v.Meter = &MeterView{Name: name, Consumed: m.ConsumedUnits, Credited: m.CreditedUnits, Balance: m.Balance}
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

func benefitText(out BenefitsOutput, note string) string {
	if len(out.Benefits) == 0 {
		return fmt.Sprintf("%s has no active benefits.", out.Email)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d active benefit(s):", len(out.Benefits))
	for _, v := range out.Benefits {
		fmt.Fprintf(&b, "\n- %s: %s", v.Name, v.Detail)
	}
	if note != "" {
		b.WriteString("\n(License key " + note + ".)")
	}
	return b.String()
}
