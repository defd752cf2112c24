package xobito

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"
)

// endpoint is a collection path such as "statuses" whose records decode
// into T. The record resources (contacts, statuses, sources, groups,
// templates and bots) share its get, list, create, update and delete.
type endpoint[T any] string

func (e endpoint[T]) item(id int64) string {
	return string(e) + "/" + strconv.FormatInt(id, 10)
}

// list fetches one page of a list that has no filters.
func (e endpoint[T]) list(ctx context.Context, c *Client, opts *ListOptions) ([]T, *Response, error) {
	var lo ListOptions
	if opts != nil {
		lo = *opts
	}
	return list[T](ctx, c, string(e), lo, lo)
}

// all walks every page from opts.Page on.
func (e endpoint[T]) all(ctx context.Context, c *Client, opts *ListOptions) iter.Seq2[T, error] {
	var lo ListOptions
	if opts != nil {
		lo = *opts
	}
	return pages(ctx, lo, func(ctx context.Context, lo ListOptions) ([]T, *Response, error) {
		return e.list(ctx, c, &lo)
	})
}

func (e endpoint[T]) get(ctx context.Context, c *Client, id int64) (*T, *Response, error) {
	if err := checkID("id", id); err != nil {
		return nil, nil, err
	}
	return doInto[T](ctx, c, http.MethodGet, e.item(id), nil)
}

// create POSTs body to the collection unless its check failed.
func (e endpoint[T]) create(ctx context.Context, c *Client, check error, body any) (*T, *Response, error) {
	if check != nil {
		return nil, nil, check
	}
	return doInto[T](ctx, c, http.MethodPost, string(e), body)
}

// update PUTs body to the record unless the id or the body's check failed.
func (e endpoint[T]) update(ctx context.Context, c *Client, id int64, check error, body any) (*T, *Response, error) {
	if err := firstErr(checkID("id", id), check); err != nil {
		return nil, nil, err
	}
	return doInto[T](ctx, c, http.MethodPut, e.item(id), body)
}

func (e endpoint[T]) delete(ctx context.Context, c *Client, id int64) (*Response, error) {
	if err := checkID("id", id); err != nil {
		return nil, err
	}
	return c.do(ctx, http.MethodDelete, e.item(id), nil, nil, nil)
}

// Input checks. Each returns nil or an *InputError naming the field by its
// JSON name; firstErr picks the first failure of a request's checks, so a
// request's rules read as one table.

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// checkID refuses ids that cannot name a record: the API's ids are positive.
func checkID(field string, id int64) error {
	if id <= 0 {
		return invalid(field, "must be a positive id, got %d", id)
	}
	return nil
}

// optionalID accepts 0 (left out) or a positive id.
func optionalID(field string, id int64) error {
	if id < 0 {
		return invalid(field, "must be a positive id, got %d", id)
	}
	return nil
}

// text checks a string's length in characters, as the server counts them;
// min > 0 makes the field required.
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

// nilBody refuses a nil request struct.
func nilBody(isNil bool) error {
	if isNil {
		return invalid("body", "is nil")
	}
	return nil
}

// NullableID is an id field of an update that can be left out (the zero
// value: the server keeps its value), set to an id (ID) or cleared to null
// (NullID).
type NullableID struct {
	id    int64
	state uint8 // 0 left out, 1 an id, 2 null
}

// ID sets a NullableID to the id.
func ID(id int64) NullableID { return NullableID{id: id, state: 1} }

// NullID sets a NullableID to null, clearing the field.
func NullID() NullableID { return NullableID{state: 2} }

// IsZero reports that the field is left out of the request.
func (n NullableID) IsZero() bool { return n.state == 0 }

// Get returns the id and whether one is set (false when left out or null).
func (n NullableID) Get() (int64, bool) { return n.id, n.state == 1 }

// IsNull reports that the field is sent as null.
func (n NullableID) IsNull() bool { return n.state == 2 }

// MarshalJSON writes the id, or null.
func (n NullableID) MarshalJSON() ([]byte, error) {
	if n.state != 1 {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, n.id, 10), nil
}

func (n NullableID) check(field string) error {
	if n.state == 1 {
		return checkID(field, n.id)
	}
	return nil
}

// flexString reads a field that is documented as a string but may come as
// a number or as raw JSON: a string gives its value, null gives "", and
// anything else gives its JSON text.
type flexString string

func (s *flexString) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch {
	case bytes.Equal(data, []byte("null")):
		*s = ""
	case len(data) > 0 && data[0] == '"':
		var v string
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		*s = flexString(v)
	default:
		*s = flexString(data)
	}
	return nil
}
