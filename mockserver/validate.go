package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"
)

// form reads the fields of a decoded JSON body the way Laravel's validator
// does and collects its messages. Each field reports its first failing rule
// only, and fields report in the order they are read.
type form struct {
	fields map[string]json.RawMessage
	errs   fieldErrors
}

func newForm(fields map[string]json.RawMessage) *form { return &form{fields: fields} }

// label is Laravel's attribute name: underscores become spaces.
func label(field string) string { return strings.ReplaceAll(field, "_", " ") }

// fail records the message built from format, whose one %s is the label.
func (f *form) fail(field, format string) {
	f.errs.add(field, fmt.Sprintf(format, label(field)))
}

// has reports whether the field was sent (even as null).
func (f *form) has(field string) bool { _, ok := f.fields[field]; return ok }

// isNull reports whether the field is absent or null.
func (f *form) isNull(field string) bool {
	raw, ok := f.fields[field]
	return !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// text reads an optional string field (nil when absent or null), checking its
// length in characters against min and max (0 = no bound). A required field
// fails when absent, null or blank.
func (f *form) text(field string, required bool, min, max int) *string {
	if f.isNull(field) {
		if required {
			f.fail(field, "The %s field is required.")
		}
		return nil
	}
	var s string
	if err := json.Unmarshal(f.fields[field], &s); err != nil {
		f.fail(field, "The %s field must be a string.")
		return nil
	}
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0 && required:
		f.fail(field, "The %s field is required.")
	case n == 0:
		return nil // Laravel turns empty strings into null
	case min > 0 && n < min:
		f.fail(field, "The %s field must be at least "+strconv.Itoa(min)+" characters.")
	case max > 0 && n > max:
		f.fail(field, "The %s field must not be greater than "+strconv.Itoa(max)+" characters.")
	default:
		return &s
	}
	return nil
}

// integer reads an optional integer field (nil when absent or null). Numeric
// strings are accepted, as Laravel's integer rule does.
func (f *form) integer(field string, required bool) *int64 {
	if f.isNull(field) {
		if required {
			f.fail(field, "The %s field is required.")
		}
		return nil
	}
	raw := bytes.TrimSpace(f.fields[field])
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = []byte(strings.TrimSpace(s))
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		f.fail(field, "The %s field must be an integer.")
		return nil
	}
	return &n
}

// boolean reads an optional boolean field: true/false, 1/0, "1"/"0",
// "true"/"false", as Laravel's boolean rule accepts.
func (f *form) boolean(field string) *bool {
	if f.isNull(field) {
		return nil
	}
	var v bool
	switch strings.Trim(string(bytes.TrimSpace(f.fields[field])), `"`) {
	case "true", "1":
		v = true
	case "false", "0":
	default:
		f.fail(field, "The %s field must be true or false.")
		return nil
	}
	return &v
}

// oneOf checks that a read value is one of allowed.
func (f *form) oneOf(field string, v *string, allowed ...string) {
	if v == nil {
		return
	}
	for _, a := range allowed {
		if *v == a {
			return
		}
	}
	f.fail(field, "The selected %s is invalid.")
}

// email checks that a read value is an email address.
func (f *form) email(field string, v *string) {
	if v == nil {
		return
	}
	addr, err := mail.ParseAddress(*v)
	if err != nil || addr.Address != *v || !strings.Contains(*v, "@") {
		f.fail(field, "The %s field must be a valid email address.")
	}
}

// e164 checks that a read value is "+" then 7 to 15 digits, the first not 0.
func (f *form) e164(field string, v *string) {
	if v != nil && !isE164(*v) {
		f.fail(field, "The %s field format is invalid.")
	}
}

func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for _, c := range s[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// unique fails the field with Laravel's "has already been taken" when a
// value read without error is taken.
func (f *form) unique(field string, v *string, taken func(string) bool) {
	if v != nil && !f.errs.has(field) && taken(*v) {
		f.fail(field, "The %s has already been taken.")
	}
}

// exists fails the field with Laravel's "selected … is invalid" unless a
// value read without error is found.
func (f *form) exists(field string, v *int64, found func(int64) bool) {
	if v != nil && !f.errs.has(field) && !found(*v) {
		f.fail(field, "The selected %s is invalid.")
	}
}

// result is nil when every field passed, else the 422 to answer.
func (f *form) result() *response { return f.errs.result() }
