package identity

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/polar-mcp/polar-mcp/internal/identity/caller"
)

// signRaw signs a payload given as raw JSON text, so that duplicate and
// case-variant member names survive (a Go map would fold them).
func signRaw(t *testing.T, header, payload string) string {
	t.Helper()
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	sig, err := jwt.SigningMethodHS256.Sign(signing, []byte(secretA))
	if err != nil {
		t.Fatal(err)
	}
	return signing + "." + enc.EncodeToString(sig)
}

const hs256 = `{"alg":"HS256","typ":"JWT"}`

func TestVerifyRefusesAmbiguousClaims(t *testing.T) {
	now := testNow()
	exp, past := now.Add(time.Hour).Unix(), now.Add(-time.Hour).Unix()
	cases := map[string]string{
		"ROLE beside role":            `{"role":"customer","ROLE":"agent","email":"a@example.com","email_verified":true,"exp":%d}`,
		"Role alone":                  `{"Role":"agent","exp":%d}`,
		"Email_Verified beside":       `{"role":"customer","email":"a@example.com","email_verified":false,"Email_Verified":true,"exp":%d}`,
		"EXP after an expired exp":    `{"role":"agent","exp":` + itoa(past) + `,"EXP":%d}`,
		"Email":                       `{"role":"customer","Email":"a@example.com","email_verified":true,"exp":%d}`,
		"duplicate role":              `{"role":"customer","role":"agent","exp":%d}`,
		"duplicate email":             `{"role":"customer","email":"a@example.com","email":"b@example.com","email_verified":true,"exp":%d}`,
		"duplicate exp":               `{"role":"agent","exp":%d,"exp":9999999999}`,
		"long s in external id claim": `{"role":"customer","external_cu\u017ftomer_id":"usr_1","exp":%d}`,
		"long s in sub":               `{"role":"agent","\u017fub":"x","exp":%d}`,
	}
	for name, payload := range cases {
		t.Run(name, func(t *testing.T) {
			tok := signRaw(t, hs256, sprintf(payload, exp))
			_, err := Verify([]byte(secretA), tok, Policy{Now: now})
			if err == nil {
				t.Fatal("accepted an ambiguous token")
			}
			if k := KindOf(err); k != KindAmbiguousClaims && !(name == "EXP after an expired exp" && k == KindExpired) {
				t.Errorf("kind = %v (%v), want %v", KindOf(err), err, KindAmbiguousClaims)
			}
		})
	}
}

func TestVerifyRefusesCritHeader(t *testing.T) {
	payload := sprintf(`{"role":"agent","exp":%d}`, testNow().Add(time.Hour).Unix())
	for _, h := range []string{`{"alg":"HS256","crit":["exp"],"exp":1}`, `{"alg":"HS256","CRIT":["b64"]}`, `{"alg":"HS256","alg":"HS256"}`} {
		_, err := Verify([]byte(secretA), signRaw(t, h, payload), Policy{Now: testNow()})
		if err == nil {
			t.Errorf("header %s accepted", h)
		}
	}
	if _, err := Verify([]byte(secretA), signRaw(t, `{"alg":"HS256","crit":["x"]}`, payload), Policy{Now: testNow()}); KindOf(err) != KindCritical {
		t.Errorf("crit: kind %v, want %v", KindOf(err), KindCritical)
	}
	if _, err := Verify([]byte(secretA), signRaw(t, hs256, payload), Policy{Now: testNow()}); err != nil {
		t.Fatalf("the same token without crit: %v", err)
	}
}

func TestVerifyEnforcesMaximumLifetime(t *testing.T) {
	now := testNow()
	long := signRaw(t, hs256, sprintf(`{"role":"agent","exp":%d}`, now.Add(365*24*time.Hour).Unix()))
	if _, err := Verify([]byte(secretA), long, Policy{Now: now}); KindOf(err) != KindLifetime {
		t.Errorf("a year-long token: %v, want %v", err, KindLifetime)
	}
	day := signRaw(t, hs256, sprintf(`{"role":"agent","exp":%d}`, now.Add(25*time.Hour).Unix()))
	if _, err := Verify([]byte(secretA), day, Policy{Now: now}); KindOf(err) != KindLifetime {
		t.Errorf("25h under the default 24h: %v", err)
	}
	if _, err := Verify([]byte(secretA), day, Policy{Now: now, MaxTTL: 48 * time.Hour}); err != nil {
		t.Errorf("25h under a 48h maximum: %v", err)
	}
}

func TestVerifyIdentityRules(t *testing.T) {
	now := testNow()
	exp := now.Add(time.Hour).Unix()
	refused := map[string]string{
		"display-name email":             `{"role":"customer","email":"Alice <alice@example.com>","email_verified":true,"exp":%d}`,
		"not an address":                 `{"role":"customer","email":"alice","email_verified":true,"exp":%d}`,
		"agent with a display name":      `{"role":"agent","email":"\"Jane\" <jane@shop.test>","exp":%d}`,
		"customer with nothing":          `{"role":"customer","exp":%d}`,
		"unverified email":               `{"role":"customer","email":"a@example.com","email_verified":false,"exp":%d}`,
		"unverified email with ext id":   `{"role":"customer","email":"a@example.com","external_customer_id":"usr_1","exp":%d}`,
		"email_verified as a string":     `{"role":"customer","email":"a@example.com","email_verified":"true","exp":%d}`,
		"external id with a slash":       `{"role":"customer","external_customer_id":"../usr","exp":%d}`,
		"external id of the wrong type":  `{"role":"customer","external_customer_id":42,"exp":%d}`,
		"agent with an external id":      `{"role":"agent","external_customer_id":"usr_1","exp":%d}`,
		"locale that is no language tag": `{"role":"customer","external_customer_id":"usr_1","locale":"not a tag!","exp":%d}`,
		// Claims are exact: nothing but the email is trimmed.
		"role with a trailing space":          `{"role":"agent ","sub":"agent-7","exp":%d}`,
		"role with a leading tab":             `{"role":"\tcustomer","external_customer_id":"usr_1","exp":%d}`,
		"customer role with a newline":        `{"role":"customer\n","external_customer_id":"usr_1","exp":%d}`,
		"external id wrapped in whitespace":   `{"role":"customer","external_customer_id":" usr_4242\t","exp":%d}`,
		"external id with a trailing newline": `{"role":"customer","external_customer_id":"usr_4242\n","exp":%d}`,
	}
	for name, payload := range refused {
		if id, err := Verify([]byte(secretA), signRaw(t, hs256, sprintf(payload, exp)), Policy{Now: now}); err == nil {
			t.Errorf("%s: accepted as %+v", name, id)
		}
	}
	accepted := map[string]caller.Identity{
		`{"role":"customer","external_customer_id":"usr_1","exp":%d}`: {Role: caller.Customer, ExternalID: "usr_1"},
		`{"role":"customer","external_customer_id":"usr_1","email":"A@Example.com","email_verified":true,"sub":"u1","locale":"de-DE","exp":%d}`: {
			Role: caller.Customer, ExternalID: "usr_1", Email: "a@example.com", Subject: "u1", Locale: "de-DE"},
		`{"role":"agent","sub":"agent-7","exp":%d}`: {Role: caller.Agent, Subject: "agent-7"},
		`{"role":"agent","jti":"j-1","exp":%d}`:     {Role: caller.Agent, Subject: "j-1"},
		// The email alone is trimmed and lowercased (README).
		`{"role":"customer","email":" Ada@Example.com\t","email_verified":true,"exp":%d}`: {Role: caller.Customer, Email: "ada@example.com"},
	}
	for payload, want := range accepted {
		got, err := Verify([]byte(secretA), signRaw(t, hs256, sprintf(payload, exp)), Policy{Now: now})
		if err != nil || got != want {
			t.Errorf("%s: got %+v, %v; want %+v", payload, got, err, want)
		}
	}
}

func TestAgentTokensWithoutSubOrJTIAreEachTheirOwnSubject(t *testing.T) {
	now := testNow()
	a := signRaw(t, hs256, sprintf(`{"role":"agent","exp":%d}`, now.Add(time.Hour).Unix()))
	b := signRaw(t, hs256, sprintf(`{"role":"agent","exp":%d}`, now.Add(2*time.Hour).Unix()))
	ia, errA := Verify([]byte(secretA), a, Policy{Now: now})
	ib, errB := Verify([]byte(secretA), b, Policy{Now: now})
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if ia.Subject == "" || ia.Subject == ib.Subject {
		t.Fatalf("subjects %q and %q: two email-less agents would share sessions", ia.Subject, ib.Subject)
	}
}

func TestMintedTokensCarryExternalIDAndSubject(t *testing.T) {
	tok, err := Mint([]byte(secretA), Claims{Role: caller.Customer, ExternalCustomerID: "usr_9", Subject: "u9"}, time.Hour, testNow())
	if err != nil {
		t.Fatal(err)
	}
	id, err := Verify([]byte(secretA), tok, Policy{Now: testNow()})
	if err != nil || id.ExternalID != "usr_9" || id.Subject != "u9" {
		t.Fatalf("got %+v, %v", id, err)
	}
	if _, err := Mint([]byte(secretA), Claims{Role: caller.Customer, Email: "Jo <jo@example.com>", EmailVerified: true}, time.Hour, testNow()); err == nil {
		t.Error("Mint signed a display-name email")
	}
}

func sprintf(format string, exp int64) string {
	var out []byte
	for i := 0; i < len(format); i++ {
		if format[i] == '%' && i+1 < len(format) && format[i+1] == 'd' {
			out = append(out, itoa(exp)...)
			i++
			continue
		}
		out = append(out, format[i])
	}
	return string(out)
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// One token is one string: a signature whose unused trailing base64 bits
// are set decodes to the same bytes, and is refused, so that sub-less
// tokens (named by their digest) cannot be multiplied into several callers.
func TestVerifyRefusesNonCanonicalBase64(t *testing.T) {
	payload := sprintf(`{"role":"agent","exp":%d}`, testNow().Add(time.Hour).Unix())
	tok := signRaw(t, hs256, payload)
	if _, err := Verify([]byte(secretA), tok, Policy{Now: testNow()}); err != nil {
		t.Fatal(err)
	}
	// 32 signature bytes are 43 characters: the last carries 4 bits and 2
	// unused ones. Flipping the lowest unused bit keeps the bytes.
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := tok[len(tok)-1]
	i := -1
	for j := range alphabet {
		if alphabet[j] == last {
			i = j
		}
	}
	variant := tok[:len(tok)-1] + string(alphabet[i^1])
	if _, err := Verify([]byte(secretA), variant, Policy{Now: testNow()}); KindOf(err) != KindMalformed {
		t.Errorf("a variant spelling of the same signature: %v, want a malformed-token refusal", err)
	}
}

func TestVerifyRefusesCaseVariantHeaders(t *testing.T) {
	payload := sprintf(`{"role":"agent","exp":%d}`, testNow().Add(time.Hour).Unix())
	for _, h := range []string{`{"alg":"HS256","ALG":"none"}`, `{"alg":"HS256","Typ":"JWT"}`, `{"alg":"HS256","KID":"x"}`} {
		if _, err := Verify([]byte(secretA), signRaw(t, h, payload), Policy{Now: testNow()}); KindOf(err) != KindAmbiguousClaims {
			t.Errorf("header %s: %v, want an ambiguous-token refusal", h, err)
		}
	}
}

// A token aimed at a connection (aud) is refused where no connection is
// served: the single-merchant endpoint.
func TestVerifyRefusesAudienceWhereNoneIsExpected(t *testing.T) {
	for _, aud := range []string{`"conn_x"`, `[]`, `["conn_x"]`} {
		payload := sprintf(`{"role":"agent","aud":`+aud+`,"exp":%d}`, testNow().Add(time.Hour).Unix())
		if _, err := Verify([]byte(secretA), signRaw(t, hs256, payload), Policy{Now: testNow()}); KindOf(err) != KindAudience {
			t.Errorf("aud %s at the root: %v, want an audience refusal", aud, err)
		}
	}
}
