package xobito

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Input checks. Every method refuses bad input before anything is sent, and
// every request states its rules as one list, in a validate method:
//
//	func (o *ContactListOptions) validate() error {
//		return check(
//			oneOf("type", o.Type, false, ContactLead, ContactCustomer, ContactGuest),
//			optionalID("source_id", o.SourceID),
//			optionalID("status_id", o.StatusID),
//		)
//	}
//
// A rule is a call that returns nil when the input passes, or an
// *InputError (see invalid) naming the field by its JSON name. check
// returns the first failure, so a list's order is the order in which faults
// are reported. A rule that applies only in some cases is refuseIf, or a
// rule whose empty value passes (text with min 0, oneOf and httpURL not
// required).

// check returns the first failed rule, or nil.
func check(rules ...error) error {
	for _, err := range rules {
		if err != nil {
			return err
		}
	}
	return nil
}

// refuseIf fails field with the formatted reason when cond holds.
func refuseIf(cond bool, field, format string, args ...any) error {
	if cond {
		return invalid(field, format, args...)
	}
	return nil
}

// nilBody is the failure of a nil request.
func nilBody() error { return invalid("body", "is nil") }

// nested checks the fields of an object field, naming a failure by its
// path, such as "contact.groups" or "buttons[1].title".
func nested(object string, rules ...error) error {
	err := check(rules...)
	if ie, ok := err.(*InputError); ok {
		return &InputError{Field: object + "." + ie.Field, Reason: ie.Reason}
	}
	return err
}

// each applies rule to every item, returning the first failure.
func each[T any](items []T, rule func(i int, item T) error) error {
	for i, item := range items {
		if err := rule(i, item); err != nil {
			return err
		}
	}
	return nil
}

// positiveID refuses ids that cannot name a record: the API's ids are
// positive.
func positiveID(field string, id int64) error {
	return refuseIf(id <= 0, field, "must be a positive id, got %d", id)
}

// optionalID accepts 0 (left out) or a positive id.
func optionalID(field string, id int64) error {
	return refuseIf(id < 0, field, "must be a positive id, got %d", id)
}

// nullableID accepts a NullableID left out, null, or set to a positive id.
func nullableID(field string, n NullableID) error {
	if id, ok := n.Get(); ok {
		return positiveID(field, id)
	}
	return nil
}

// text checks a string's length in characters, as the server counts them;
// min > 0 makes the field required (blank fails), max 0 sets no limit.
func text(field, v string, min, max int) error {
	n := utf8.RuneCountInString(v)
	switch {
	case min > 0 && strings.TrimSpace(v) == "":
		return invalid(field, "is required")
	case n < min:
		return invalid(field, "must be at least %d characters, got %d", min, n)
	case max > 0 && n > max:
		return invalid(field, "must be at most %d characters, got %d", max, n)
	}
	return nil
}

// oneOf accepts v when it is one of allowed; "" passes unless required.
func oneOf(field, v string, required bool, allowed ...string) error {
	if v == "" && !required {
		return nil
	}
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	if v == "" {
		return invalid(field, "is required (one of %s)", strings.Join(allowed, ", "))
	}
	return invalid(field, "must be one of %s, got %q", strings.Join(allowed, ", "), v)
}

// httpURL accepts an absolute http or https URL with a host; "" passes
// unless required.
func httpURL(field, v string, required bool) error {
	if v == "" {
		return refuseIf(required, field, "is required (an http(s) URL)")
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid(field, "must be an http(s) URL, got %q", v)
	}
	return nil
}

// email checks an optional email address of at most max characters.
func email(field, v string, max int) error {
	return check(
		text(field, v, 0, max),
		refuseIf(v != "" && !strings.Contains(v, "@"), field, "is not an email address"),
	)
}

// groupNames refuses group names that the API's comma-separated "groups"
// cannot carry.
func groupNames(field string, names []string) error {
	return each(names, func(_ int, n string) error {
		return check(
			refuseIf(strings.Contains(n, ","), field, "group name %q contains a comma", n),
			text(field, n, 1, 255),
		)
	})
}

// atMost refuses more than limit values for the numbered fields
// prefix+first, prefix+first+1, …, naming the first one too many.
func atMost(prefix string, first int, values []string, limit int) error {
	return refuseIf(len(values) > limit, prefix+strconv.Itoa(first+limit),
		"takes at most %d values, got %d", limit, len(values))
}
