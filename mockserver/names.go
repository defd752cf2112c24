package mockserver

import (
	"errors"
	"strings"
	"unicode"
)

// CheckSubdomain reports why s cannot be a workspace's subdomain: it must
// be one non-empty path segment, neither "." nor "..", without "/", "?",
// "#", "%", "\", whitespace or control characters.
func CheckSubdomain(s string) error {
	switch {
	case s == "":
		return errors.New("the subdomain is empty")
	case s == "." || s == "..":
		return errors.New("the subdomain may not be . or ..")
	case strings.ContainsAny(s, `/?#%\`) || strings.ContainsFunc(s, spaceOrControl):
		return errors.New(`the subdomain must be a single path segment, without / ? # % \, whitespace or control characters`)
	}
	return nil
}

// CheckToken reports why t cannot be a workspace's token: it may hold no
// whitespace or control characters (a client could not send it in an
// Authorization header). An empty token is fine: one is generated.
func CheckToken(t string) error {
	if strings.ContainsFunc(t, spaceOrControl) {
		return errors.New("the token may not hold whitespace or control characters")
	}
	return nil
}

func spaceOrControl(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }
