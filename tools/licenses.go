package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/polar-mcp/polar-mcp/polar"
)

// LicenseView is a license key's state, never the key itself.
type LicenseView struct {
	Status      string     `json:"status"`
	Activations int        `json:"activations"`
	Limit       int        `json:"activation_limit,omitempty"`
	Devices     []string   `json:"devices,omitempty"`
	Usage       int        `json:"usage,omitempty"`
	UsageLimit  int        `json:"usage_limit,omitempty"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	Expired     bool       `json:"expired,omitempty" jsonschema:"expires_at has passed"`
}

// noLicenseScope is the note on license keys shown without their details.
const noLicenseScope = "activations are not shown: the Polar token lacks the optional " + polar.ScopeLicenseKeysRead + " scope"

// licenseDetails fetches, in parallel, the state of every license key the
// grants name: an enrichment. Each key embeds its customer, checked like
// every record. Without the optional license_keys:read scope the keys
// stay as they are (masked) with a note; a key whose details cannot be
// read (deleted, Polar failing or slow) stays masked with another.
func licenseDetails(ctx context.Context, t *target, grants []polar.BenefitGrant) (map[string]*polar.LicenseKey, string, error) {
	ids := []string{}
	for _, g := range grants {
		if g.BenefitType == "license_keys" && g.Properties.LicenseKeyID != "" {
			ids = append(ids, g.Properties.LicenseKeyID)
		}
	}
	keys := make([]*polar.LicenseKey, len(ids))
	errs := make([]error, len(ids))
	var g errgroup.Group
	for i, id := range ids {
		g.Go(func() error { keys[i], errs[i] = t.client.LicenseKey(ctx, id); return nil })
	}
	_ = g.Wait()
	out := make(map[string]*polar.LicenseKey, len(keys))
	var failed error
	for i, k := range keys {
		if pe, ok := polar.AsError(errs[i]); ok && pe.Kind == polar.KindInsufficientScope {
			return nil, noLicenseScope, nil
		}
		if errs[i] != nil {
			failed = errs[i]
			continue
		}
		if err := t.check(k.Customer); err != nil {
			return nil, "", err
		}
		out[ids[i]] = k
	}
	if failed != nil {
		note, err := t.enrichFailed(ctx, "license_keys:get", failed, noteActivations)
		return out, note, err
	}
	return out, "", nil
}

func licenseView(f format, k *polar.LicenseKey) *LicenseView {
	v := &LicenseView{Status: clean(k.Status), Activations: len(k.Activations), Usage: k.Usage, ExpiresAt: instant(k.ExpiresAt)}
	v.Expired = v.ExpiresAt != nil && f.past(*v.ExpiresAt)
	if k.LimitActivations != nil {
		v.Limit = *k.LimitActivations
	}
	if k.LimitUsage != nil {
		v.UsageLimit = *k.LimitUsage
	}
	for _, a := range k.Activations {
		if l := clean(a.Label); l != "" {
			v.Devices = append(v.Devices, l)
		}
	}
	return v
}

// licenseLine writes a license key's state for a customer.
func licenseLine(f format, v *LicenseView) string {
	parts := []string{"status " + v.Status}
	act := fmt.Sprintf("%d activation(s)", v.Activations)
	if v.Limit > 0 {
		act = fmt.Sprintf("%d of %d activations used", v.Activations, v.Limit)
	}
	if len(v.Devices) > 0 {
		act += " (" + strings.Join(v.Devices, ", ") + ")"
	}
	parts = append(parts, act)
	if v.UsageLimit > 0 {
		parts = append(parts, fmt.Sprintf("usage %d of %d", v.Usage, v.UsageLimit))
	} else if v.Usage > 0 {
		parts = append(parts, fmt.Sprintf("usage %d", v.Usage))
	}
	switch {
	case v.Expired:
		parts = append(parts, "expired "+f.day(v.ExpiresAt))
	case v.ExpiresAt != nil:
		parts = append(parts, "expires "+f.day(v.ExpiresAt))
	default:
		parts = append(parts, "no expiry")
	}
	return strings.Join(parts, ", ")
}

// creditLine writes a meter-credit benefit's balance from the customer
// state's meter.
func creditLine(f format, m polar.StateMeter) string {
	return usageText(f, m.ConsumedUnits, m.CreditedUnits) + " this period"
}
