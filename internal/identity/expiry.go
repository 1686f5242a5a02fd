package identity

import (
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Expiry returns the exp of a token. It does not check the signature or
// anything else: call it only on a token Verify accepted (hosted ends a
// caller's SSE stream when its token expires).
func Expiry(token string) (time.Time, error) {
	mc := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(token, mc); err != nil {
		return time.Time{}, refuse(KindMalformed, "")
	}
	exp, err := mc.GetExpirationTime()
	if err != nil || exp == nil {
		return time.Time{}, refuse(KindExpired, "the token has no usable exp claim")
	}
	return exp.Time, nil
}
