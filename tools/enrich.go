package tools

import (
	"context"
	"errors"
	"log/slog"

	"github.com/polar-mcp/polar-mcp/polar"
)

// Enrichments
//
// Every answer has a core record (the subscriptions list, the orders
// list, the customer state, the catalog) and may enrich it with further
// requests: license-key details, benefit names, the grants that are not
// active, a plan change's product, disputes, invoice links, a past-due
// plan's open order. The core record answers; an enrichment only adds.
// When one fails (404, 5xx, a timeout), the answer stands without it and
// carries one plain note, the failure is logged, and nothing is kept in
// its place: the next question asks again.

// Notes for enrichments that failed.
const (
	noteActivations = "activation details are unavailable right now"
	noteNames       = "benefit names are unavailable right now"
	noteInactive    = "benefits that are pending, failed or revoked cannot be checked right now"
	notePlanName    = "the new plan's name is unavailable right now"
	noteDisputes    = "dispute details are unavailable right now"
	noteOutstanding = "the amount outstanding and the retry date are unavailable right now"
)

// enrichFailed logs a failed enrichment and returns note, the sentence
// the answer carries instead of the detail. A check that the record is
// the caller's (errStale, errTwoCustomers) is not an enrichment failure:
// it is returned as it stands for the answer to fail.
func (t *target) enrichFailed(ctx context.Context, what string, err error, note string) (string, error) {
	if errors.Is(err, errStale) || errors.Is(err, errTwoCustomers) {
		return "", err
	}
	log := t.log
	if log == nil {
		log = slog.Default()
	}
	attrs := []slog.Attr{slog.String("enrichment", what), slog.String("error", err.Error())}
	if pe, ok := polar.AsError(err); ok {
		attrs = append(attrs, slog.String("kind", pe.Kind.String()))
	}
	log.LogAttrs(ctx, slog.LevelWarn, "enrichment failed; answering without it", attrs...)
	return note, nil
}

// notes joins the notes of failed enrichments into one line.
func notes(ns ...string) string {
	out := ""
	seen := map[string]bool{}
	for _, n := range ns {
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		if out != "" {
			out += "; "
		}
		out += n
	}
	if out == "" {
		return ""
	}
	return "\n(Note: " + out + ".)"
}
