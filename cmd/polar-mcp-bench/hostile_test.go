package main

import (
	"net/http"
	"strings"
	"testing"
)

// TestAnswerNamesStatusesAndTimeouts checks how attack answers are named.
func TestAnswerNamesStatusesAndTimeouts(t *testing.T) {
	if got := answer(&http.Response{StatusCode: 429}, nil); got != "429" {
		t.Errorf("answer(429) = %q", got)
	}
	if got := answers(map[string]int{"429": 5, "200": 10}); !strings.HasPrefix(got, "10× 200") {
		t.Errorf("answers lists %q, want the largest count first", got)
	}
}
