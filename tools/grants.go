package tools

import (
	"fmt"

	"github.com/polar-mcp/polar-mcp/polar"
)

// inactiveGrants picks, from every grant of the customer, those that give
// no access now: pending, errored or revoked, leaving out a revoked or
// earlier grant of a benefit the customer holds now.
func inactiveGrants(active []polar.BenefitGrant, all []polar.Grant) []polar.Grant {
	held := map[string]bool{}
	for _, g := range active {
		held[g.BenefitID] = true
	}
	var out []polar.Grant
	seen := map[string]bool{}
	for _, g := range all {
		if g.Unreadable || g.IsGranted && !g.IsRevoked || held[g.BenefitID] || seen[g.BenefitID] {
			continue
		}
		seen[g.BenefitID] = true
		out = append(out, g)
	}
	return out
}

// grantStatus names a grant's state: granted, pending, errored or revoked.
func grantStatus(g polar.Grant) string {
	switch {
	case g.IsRevoked:
		return "revoked"
	case g.Error != nil:
		return "errored"
	case g.IsGranted:
		return "granted"
	default:
		return "pending"
	}
}

// inactiveViews describes the grants that are not active, and what the
// customer can do about each.
func inactiveViews(f format, ga *grants) []BenefitView {
	views := []BenefitView{}
	for _, g := range ga.inactive {
		label, _ := describeGrant(g.BenefitGrant)
		name := ga.names[g.BenefitID]
		if name == "" && g.Benefit != nil {
			name = clean(g.Benefit.Description)
		}
		if name == "" {
			name = label
		}
		v := BenefitView{Name: name, Type: clean(g.BenefitType), Status: grantStatus(g), RevokedAt: instant(g.RevokedAt)}
		if v.Type == "" && g.Benefit != nil {
			v.Type = clean(g.Benefit.Type)
		}
		switch v.Status {
		case "revoked":
			v.Detail = "revoked"
			if v.RevokedAt != nil {
				v.Detail += " on " + f.day(v.RevokedAt)
			}
			v.Detail += "; access has ended"
		case "errored":
			v.Error = clean(g.Error.Type)
			v.Detail = "could not be granted: " + grantFix(v.Type)
		default:
			v.Detail = "being granted; it should be available shortly"
		}
		views = append(views, v)
	}
	return views
}

// grantFix says what to do about a grant Polar could not make.
func grantFix(benefitType string) string {
	switch benefitType {
	case "github_repository":
		return "the GitHub invitation failed; connect (or reconnect) your GitHub account in the customer portal, or contact support"
	case "discord":
		return "connect (or reconnect) your Discord account in the customer portal, or contact support"
	case "slack_shared_channel":
		return "the Slack invitation failed; please contact support"
	default:
		return fmt.Sprintf("granting this %s failed; please contact support", benefitNoun(benefitType))
	}
}

func benefitNoun(t string) string {
	switch t {
	case "license_keys":
		return "license key"
	case "downloadables":
		return "download"
	case "meter_credit":
		return "usage credit"
	case "feature_flag":
		return "feature"
	}
	return "benefit"
}

// noteList keeps the notes that are set.
func noteList(ns ...string) []string {
	var out []string
	for _, n := range ns {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
