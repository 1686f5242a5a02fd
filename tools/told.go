package tools

import "errors"

// toldError is a failure whose message is written for whoever called the
// tool (their own argument or account, never the merchant's setup), so
// every caller may read it as it stands.
type toldError struct{ msg string }

func (e toldError) Error() string { return e.msg }

// tell returns a toldError saying msg.
func tell(msg string) error { return toldError{msg: msg} }

// isTold reports whether err is, or wraps, a toldError.
func isTold(err error) bool {
	var t toldError
	return errors.As(err, &t)
}
