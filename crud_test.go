package xobito

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// apiCase is one call of an endpoint against a canned answer: the request
// it must send and what the caller must get back.
type apiCase struct {
	name   string
	call   func(context.Context, *Client) (any, *Response, error)
	method string
	path   string // below the workspace base, as sent (escaped)
	query  string // expected query, compared as url.Values; "" for none
	body   string // expected JSON body; "" for no body
	status int    // the answer's status
	file   string // the answer's body, a file under testdata/
	check  func(t *testing.T, got any, resp *Response, err error)
}

// runAPICases runs each case on its own client and transport, in parallel.
func runAPICases(t *testing.T, cases []apiCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := newMockClient(t)
			var cp capture
			mt.RegisterResponder(tc.method, testBase+tc.path, cp.then(jsonResponder(tc.status, readTestdata(t, tc.file))))
			got, resp, err := tc.call(t.Context(), c)
			if n := cp.count(); n != 1 {
				t.Fatalf("sent %d requests, want 1 (err %v)", n, err)
			}
			req, body := cp.last(t)
			checkRequest(t, req, body, tc.method, tc.path, tc.query, tc.body)
			if resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("response %+v, want status %d (err %v)", resp, tc.status, err)
			}
			tc.check(t, got, resp, err)
		})
	}
}

// checkRequest asserts the method, URL, headers and JSON body of a request.
func checkRequest(t *testing.T, req *http.Request, body []byte, method, path, query, wantBody string) {
	t.Helper()
	if req.Method != method {
		t.Errorf("method %s, want %s", req.Method, method)
	}
	if got := req.URL.Scheme + "://" + req.URL.Host + req.URL.EscapedPath(); got != testBase+path {
		t.Errorf("URL %s, want %s", got, testBase+path)
	}
	gotQ, _ := url.ParseQuery(req.URL.RawQuery)
	wantQ, _ := url.ParseQuery(query)
	if gotQ.Encode() != wantQ.Encode() {
		t.Errorf("query %q, want %q", req.URL.RawQuery, query)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization %q", got)
	}
	if got := req.Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept %q", got)
	}
	if wantBody == "" {
		if len(body) != 0 || req.Header.Get("Content-Type") != "" {
			t.Errorf("unexpected body %q (Content-Type %q)", body, req.Header.Get("Content-Type"))
		}
		return
	}
	if got := req.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q", got)
	}
	jsonEqual(t, body, wantBody)
}

func readTestdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noValue adapts a Delete's results to apiCase.call.
func noValue(resp *Response, err error) (any, *Response, error) { return nil, resp, err }

// wantOK fails unless err is nil and the answer's message is msg.
func wantOK(t *testing.T, resp *Response, err error, msg string) {
	t.Helper()
	if err != nil {
		t.Fatalf("err = %v", err)
	}
	if resp.Message != msg {
		t.Errorf("message %q, want %q", resp.Message, msg)
	}
}

// wantAPIError fails unless err is an *APIError matching sentinel with the
// given message.
func wantAPIError(t *testing.T, err, sentinel error, msg string) {
	t.Helper()
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, sentinel) {
		t.Fatalf("err = %v, want an *APIError matching %v", err, sentinel)
	}
	if ae.Message != msg {
		t.Errorf("message %q, want %q", ae.Message, msg)
	}
}

// wantInputErrors runs calls that must be refused before sending: each
// yields an *InputError naming field, and the transport sees nothing.
func wantInputErrors(t *testing.T, cases []inputCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := newMockClient(t)
			_, _, err := tc.call(t.Context(), c)
			var ie *InputError
			if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want an *InputError", err)
			}
			if ie.Field != tc.field {
				t.Errorf("field %q, want %q (%v)", ie.Field, tc.field, err)
			}
			if n := mt.GetTotalCallCount(); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

type inputCase struct {
	name  string
	field string
	call  func(context.Context, *Client) (any, *Response, error)
}

func ts(s string) Time {
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return Time{v}
}

func TestStatusesEndpoints(t *testing.T) {
	t.Parallel()
	yes := true
	runAPICases(t, []apiCase{{
		name:   "list",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Statuses.List(ctx, nil) },
		method: "GET", path: "statuses", status: 200, file: "statuses_list.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			l := got.([]Status)
			if len(l) != 2 || l[0].IsDefault || !l[1].IsDefault || l[1].Color != "#3B82F6" || resp.Total != 2 {
				t.Errorf("got %+v", l)
			}
		},
	}, {
		name:   "get",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return c.Statuses.Get(ctx, 5) },
		method: "GET", path: "statuses/5", status: 200, file: "statuses_get.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			want := Status{ID: 5, TenantID: 7, Name: "Qualified", Color: "#3B82F6", IsDefault: true,
				CreatedAt: ts("2026-04-01T08:00:00Z"), UpdatedAt: ts("2026-04-02T09:30:00Z")}
			if *got.(*Status) != want {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		},
	}, {
		name: "create",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Statuses.Create(ctx, &StatusRequest{Name: "Won", Color: "#22C55E"})
		},
		method: "POST", path: "statuses", body: `{"name":"Won","color":"#22C55E"}`, status: 201, file: "statuses_create.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "Status created successfully")
			if s := got.(*Status); s.ID != 6 || s.IsDefault {
				t.Errorf("got %+v", s)
			}
		},
	}, {
		name: "create refused",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Statuses.Create(ctx, &StatusRequest{Name: "Won"})
		},
		method: "POST", path: "statuses", body: `{"name":"Won"}`, status: 422, file: "statuses_validation_error.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantAPIError(t, err, ErrValidation, "Validation failed")
			var ae *APIError
			errors.As(err, &ae)
			if ae.Fields["name"][0] != "The name has already been taken." || got.(*Status) != nil {
				t.Errorf("fields %v, got %v", ae.Fields, got)
			}
		},
	}, {
		name: "update sets default",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Statuses.Update(ctx, 6, &StatusRequest{IsDefault: &yes})
		},
		method: "PUT", path: "statuses/6", body: `{"isdefault":true}`, status: 200, file: "statuses_update.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "Status updated successfully")
			if s := got.(*Status); !s.IsDefault || s.Color != "" {
				t.Errorf("got %+v", s)
			}
		},
	}, {
		name: "delete",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.Statuses.Delete(ctx, 6))
		},
		method: "DELETE", path: "statuses/6", status: 200, file: "statuses_delete.json",
		check: func(t *testing.T, _ any, resp *Response, err error) {
			wantOK(t, resp, err, "Status deleted successfully")
		},
	}, {
		name: "delete default",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.Statuses.Delete(ctx, 5))
		},
		method: "DELETE", path: "statuses/5", status: 400, file: "statuses_delete_default.json",
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrDefaultStatus, "Cannot delete the default status")
		},
	}})
}

// namedCases covers sources and groups, which share their shape: a record
// with a name, and the same five operations.
func namedCases[T any](
	prefix, model, updated string,
	list func(context.Context, *Client) ([]T, *Response, error),
	get func(context.Context, *Client, int64) (*T, *Response, error),
	create func(context.Context, *Client, *NameRequest) (*T, *Response, error),
	update func(context.Context, *Client, int64, *NameRequest) (*T, *Response, error),
	del func(context.Context, *Client, int64) (*Response, error),
	name func(*T) string,
) []apiCase {
	return []apiCase{{
		name:   "list",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return list(ctx, c) },
		method: "GET", path: prefix, status: 200, file: prefix + "_list.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, "")
			if l := got.([]T); len(l) != 2 || resp.CurrentPage != 1 || resp.LastPage != 1 {
				t.Errorf("got %+v, resp %+v", l, resp)
			}
		},
	}, {
		name:   "get",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return get(ctx, c, 3) },
		method: "GET", path: prefix + "/3", status: 200, file: prefix + "_get.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if name(got.(*T)) == "" {
				t.Errorf("got %+v", got)
			}
		},
	}, {
		name:   "get unknown",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return get(ctx, c, 3) },
		method: "GET", path: prefix + "/3", status: 404, file: prefix + "_not_found.json",
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrNotFound, model+" not found")
		},
	}, {
		name: "create",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return create(ctx, c, &NameRequest{Name: "Zoë’s list"})
		},
		method: "POST", path: prefix, body: `{"name":"Zoë’s list"}`, status: 201, file: prefix + "_create.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, model+" created successfully")
		},
	}, {
		name: "update",
		call: func(ctx context.Context, c *Client) (any, *Response, error) {
			return update(ctx, c, 4, &NameRequest{Name: "renamed"})
		},
		method: "PUT", path: prefix + "/4", body: `{"name":"renamed"}`, status: 200, file: prefix + "_update.json",
		check: func(t *testing.T, got any, resp *Response, err error) {
			wantOK(t, resp, err, model+" updated successfully")
			if n := name(got.(*T)); n != updated {
				t.Errorf("name %q, want %q", n, updated)
			}
		},
	}, {
		name:   "delete",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return noValue(del(ctx, c, 4)) },
		method: "DELETE", path: prefix + "/4", status: 200, file: prefix + "_delete.json",
		check: func(t *testing.T, _ any, resp *Response, err error) {
			wantOK(t, resp, err, model+" deleted successfully")
		},
	}, {
		name:   "delete in use",
		call:   func(ctx context.Context, c *Client) (any, *Response, error) { return noValue(del(ctx, c, 3)) },
		method: "DELETE", path: prefix + "/3", status: 400, file: prefix + "_in_use.json",
		check: func(t *testing.T, _ any, _ *Response, err error) {
			wantAPIError(t, err, ErrInUse, "The "+model+" ID is already being used")
		},
	}}
}

func TestSourcesEndpoints(t *testing.T) {
	t.Parallel()
	runAPICases(t, namedCases("sources", "Source", "Referral 2",
		func(ctx context.Context, c *Client) ([]Source, *Response, error) { return c.Sources.List(ctx, nil) },
		func(ctx context.Context, c *Client, id int64) (*Source, *Response, error) {
			return c.Sources.Get(ctx, id)
		},
		func(ctx context.Context, c *Client, r *NameRequest) (*Source, *Response, error) {
			return c.Sources.Create(ctx, r)
		},
		func(ctx context.Context, c *Client, id int64, r *NameRequest) (*Source, *Response, error) {
			return c.Sources.Update(ctx, id, r)
		},
		func(ctx context.Context, c *Client, id int64) (*Response, error) { return c.Sources.Delete(ctx, id) },
		func(s *Source) string { return s.Name },
	))
}

func TestGroupsEndpoints(t *testing.T) {
	t.Parallel()
	runAPICases(t, namedCases("groups", "Group", "Wholesale 2",
		func(ctx context.Context, c *Client) ([]Group, *Response, error) { return c.Groups.List(ctx, nil) },
		func(ctx context.Context, c *Client, id int64) (*Group, *Response, error) {
			return c.Groups.Get(ctx, id)
		},
		func(ctx context.Context, c *Client, r *NameRequest) (*Group, *Response, error) {
			return c.Groups.Create(ctx, r)
		},
		func(ctx context.Context, c *Client, id int64, r *NameRequest) (*Group, *Response, error) {
			return c.Groups.Update(ctx, id, r)
		},
		func(ctx context.Context, c *Client, id int64) (*Response, error) { return c.Groups.Delete(ctx, id) },
		func(g *Group) string { return g.Name },
	))
}

func TestNamedRecordsDecode(t *testing.T) {
	t.Parallel()
	// The get answers carry the "Y-m-d H:i:s" form in updated_at; the list
	// answers carry null timestamps.
	c, mt, _ := newMockClient(t)
	mt.RegisterResponder("GET", testBase+"groups/3", jsonResponder(200, readTestdata(t, "groups_get.json")))
	mt.RegisterResponder("GET", testBase+"sources", jsonResponder(200, readTestdata(t, "sources_list.json")))
	g, _, err := c.Groups.Get(t.Context(), 3)
	if err != nil {
		t.Fatal(err)
	}
	want := Group{ID: 3, TenantID: 7, Name: "VIP", CreatedAt: ts("2026-04-01T08:00:00Z"), UpdatedAt: ts("2026-04-01T08:00:00Z")}
	if *g != want {
		t.Errorf("got %+v, want %+v", *g, want)
	}
	l, _, err := c.Sources.List(t.Context(), &ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !l[1].CreatedAt.IsZero() || !l[1].UpdatedAt.IsZero() || l[1].Name != "Website" {
		t.Errorf("got %+v", l[1])
	}
}

func TestRecordInputRefused(t *testing.T) {
	t.Parallel()
	wantInputErrors(t, []inputCase{
		{"status get id 0", "id", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Statuses.Get(ctx, 0) }},
		{"status delete negative id", "id", func(ctx context.Context, c *Client) (any, *Response, error) {
			return noValue(c.Statuses.Delete(ctx, -1))
		}},
		{"status create nil", "body", func(ctx context.Context, c *Client) (any, *Response, error) { return c.Statuses.Create(ctx, nil) }},
		{"status name short", "name", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Statuses.Create(ctx, &StatusRequest{Name: "ab"})
		}},
		{"status name missing", "name", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Statuses.Create(ctx, &StatusRequest{Color: "#fff"})
		}},
		{"status name long", "name", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Statuses.Create(ctx, &StatusRequest{Name: repeatRune('é', 256)})
		}},
		{"status update short name", "name", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Statuses.Update(ctx, 5, &StatusRequest{Name: "ab"})
		}},
		{"status color long", "color", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Statuses.Update(ctx, 5, &StatusRequest{Color: "#3B82F6A"})
		}},
		{"status update id", "id", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Statuses.Update(ctx, 0, &StatusRequest{Name: "Fine"})
		}},
		{"source name missing", "name", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Sources.Create(ctx, &NameRequest{Name: "  "})
		}},
		{"source update nil", "body", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Sources.Update(ctx, 1, nil)
		}},
		{"group name long", "name", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Groups.Update(ctx, 1, &NameRequest{Name: repeatRune('x', 256)})
		}},
		{"group per_page", "per_page", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Groups.List(ctx, &ListOptions{PerPage: 101})
		}},
		{"source page", "page", func(ctx context.Context, c *Client) (any, *Response, error) {
			return c.Sources.List(ctx, &ListOptions{Page: -1})
		}},
	})
}

func TestRecordLengthsCountCharacters(t *testing.T) {
	t.Parallel()
	// 255 two-byte characters are 510 bytes but within the 255 limit.
	r := &NameRequest{Name: repeatRune('é', 255)}
	if err := r.validate(); err != nil {
		t.Fatal(err)
	}
	if err := (&StatusRequest{Name: "Wön"}).validate(true); err != nil {
		t.Fatal(err)
	}
}

func repeatRune(r rune, n int) string {
	s := make([]rune, n)
	for i := range s {
		s[i] = r
	}
	return string(s)
}
