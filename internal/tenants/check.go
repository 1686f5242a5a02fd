package tenants

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// tokenPage is where merchants create organization access tokens.
const tokenPage = "Polar → Settings → General → Developers → New Token"

// ReportCheck writes `polar-mcp check`'s report: where the token was
// checked, then VerifyToken's verdict v (or err), one line per scope.
// It returns the command's error: err when the token was refused or not
// checked, one that says how to fix missing required scopes, or nil
// when the tools can work (optional scopes may be missing).
func ReportCheck(w io.Writer, where string, v Verdict, err error) error {
	fmt.Fprintf(w, "environment:  %s\n", where)
	var missing *MissingScopesError
	if err != nil && !errors.As(err, &missing) {
		fmt.Fprintln(w, "token:        refused or not checked")
		return err
	}
	writeVerdict(w, v)
	if missing != nil {
		return fmt.Errorf("required scope(s) missing: %s. Fix: in %s create a new token (the scopes of an "+
			"existing one cannot be edited) with %s, and set it as POLAR_ACCESS_TOKEN",
			strings.Join(missing.Scopes, ", "), tokenPage, strings.Join(wantedScopes(), ", "))
	}
	if len(v.Warnings) > 0 {
		fmt.Fprintln(w, "result:       the tools work; optional scopes are missing (see above)")
		return nil
	}
	fmt.Fprintln(w, "result:       every scope the tools use works")
	return nil
}

// writeVerdict writes the organization and one line per scope.
func writeVerdict(w io.Writer, v Verdict) {
	fmt.Fprintf(w, "organization: %s\n", OrgText(v.Organization))
	for _, s := range wantedScopes() {
		optional := slices.Contains(OptionalScopes(), s)
		switch {
		case slices.Contains(v.Scopes, s):
			fmt.Fprintf(w, "  ok       %s\n", s)
		case optional:
			fmt.Fprintf(w, "  missing  %s (optional)\n", s)
		default:
			fmt.Fprintf(w, "  MISSING  %s (required)\n", s)
		}
	}
	if v.Organization.ID != "" && v.Organization.Name == "" {
		fmt.Fprintln(w, "  note     organizations:read is not granted: optional, it only names the organization")
	}
	for _, warning := range v.Warnings {
		fmt.Fprintln(w, "warning:", warning)
	}
}

// wantedScopes are the scopes check reports: the required ones, then the
// optional license_keys:read.
func wantedScopes() []string {
	out := RequiredScopes()
	for _, s := range OptionalScopes() {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
