package xobito

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strconv"
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
	if err := positiveID("id", id); err != nil {
		return nil, nil, err
	}
	return doInto[T](ctx, c, http.MethodGet, e.item(id), nil)
}

// create POSTs body to the collection unless bodyErr, the body's
// validation, failed.
func (e endpoint[T]) create(ctx context.Context, c *Client, bodyErr error, body any) (*T, *Response, error) {
	if bodyErr != nil {
		return nil, nil, bodyErr
	}
	return doInto[T](ctx, c, http.MethodPost, string(e), body)
}

// update PUTs body to the record unless the id or bodyErr, the body's
// validation, failed.
func (e endpoint[T]) update(ctx context.Context, c *Client, id int64, bodyErr error, body any) (*T, *Response, error) {
	if err := check(positiveID("id", id), bodyErr); err != nil {
		return nil, nil, err
	}
	return doInto[T](ctx, c, http.MethodPut, e.item(id), body)
}

func (e endpoint[T]) delete(ctx context.Context, c *Client, id int64) (*Response, error) {
	if err := positiveID("id", id); err != nil {
		return nil, err
	}
	return c.do(ctx, http.MethodDelete, e.item(id), nil, nil, nil)
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
